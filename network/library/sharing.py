"""Resources in rooms: sharing a card into a room, and what a room shows of it."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from network import policy
from network.extensions import db
from network.models import Account, Message, Resource, Room
from network.rooms import services as rooms


def share_to_room(
    resource: Resource, access: policy.RoomAccess, *, actor: Account
) -> Message:
    """Post a card for the resource in a room, through the rooms' one send path
    (policy refusal, rate-limit token, slow mode). The message carries no title:
    each viewer's page asks for the card, and sees "resource unavailable" if the
    resource is not theirs to see."""
    return rooms.send_message(
        access.room,
        actor=actor,
        body="",
        client_msg_id=f"share-{secrets.token_hex(8)}",
        resource=resource,
        access=access,
    )


def share_choices(actor: Account) -> list[Room]:
    """Rooms the actor may post a resource card in now (not direct conversations:
    they are listed nowhere but on the conversations page)."""
    rooms_seen = db.session.scalars(
        policy.visible_rooms(select(Room), actor)
        .where(Room.kind != "direct")
        .order_by(Room.name)
    )
    return [room for room in rooms_seen if policy.can_post(actor, room)]


def card(viewer: Account, public_id: str) -> dict | None:
    """What a room shows of a shared resource to this viewer, or None."""
    resource = db.session.scalar(
        select(Resource).where(Resource.public_id == public_id)
    )
    if resource is None or not policy.can_see_resource(viewer, resource):
        return None
    return {"id": resource.public_id, "title": resource.title, "kind": resource.kind}
