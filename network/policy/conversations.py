"""Message requests and direct conversations: who may ask whom, who answers,
and what a member of a closed conversation is told."""

from __future__ import annotations

from sqlalchemy import Select, select

from network.errors import NotFound
from network.extensions import db
from network.models import Account, MessageRequest, Profile, Room, RoomMember, utcnow
from network.policy.actors import _account
from network.policy.direct import DIRECT, direct_room_open
from network.policy.profiles import (
    access_profile,
    can_request_message,
    can_talk_directly,
)
from network.policy.safety import kept_apart_ids


def access_requestable_profile(actor, public_id) -> Profile:
    """A profile the actor may see and ask to talk to (can_request_message), or
    the NotFound a missing profile gives."""
    profile = access_profile(actor, public_id)
    if not can_request_message(actor, profile.account):
        raise NotFound()
    return profile


def visible_incoming_requests(stmt: Select, actor) -> Select:
    """Requests delivered to the actor, still waiting and unexpired, from people
    not kept apart from them (trust is checked per row by the caller through
    access_incoming_request's rule, can_answer_request)."""
    account = _account(actor)
    if account is None:
        return stmt.where(MessageRequest.id.is_(None))
    return stmt.where(
        MessageRequest.recipient_id == account.id,
        MessageRequest.delivered.is_(True),
        MessageRequest.status == "pending",
        MessageRequest.expires_at > utcnow(),
        # A request to someone away waits for their hours (docs/security.md).
        MessageRequest.visible_from.is_(None)
        | (MessageRequest.visible_from <= utcnow()),
        MessageRequest.sender_id.not_in(kept_apart_ids(account.id)),
    )


def can_answer_request(actor, row: MessageRequest) -> bool:
    """The recipient may accept only while the two may still talk directly."""
    sender = db.session.get(Account, row.sender_id)
    return sender is not None and can_talk_directly(actor, sender)


def access_incoming_request(actor, public_id) -> MessageRequest:
    """A request waiting for the actor's answer, or NotFound (someone else's,
    answered, expired, undelivered and missing requests answer alike)."""
    if not isinstance(public_id, str):
        raise NotFound()
    row = db.session.scalar(
        visible_incoming_requests(
            select(MessageRequest).where(MessageRequest.public_id == public_id), actor
        )
    )
    if row is None:
        raise NotFound()
    return row


def closed_conversation(actor, room_public_id) -> bool:
    """Whether the actor is one of the two people of a direct conversation that
    is closed (or may no longer stay open): they are told "This conversation is
    closed", never why. Anyone else: False (the missing room's answer)."""
    account = _account(actor)
    if account is None or not isinstance(room_public_id, str):
        return False
    room = db.session.scalar(
        select(Room)
        .join(RoomMember, RoomMember.room_id == Room.id)
        .where(
            Room.public_id == room_public_id,
            Room.kind == DIRECT,
            RoomMember.account_id == account.id,
            RoomMember.via_role.is_(False),
        )
    )
    return room is not None and not direct_room_open(account, room)
