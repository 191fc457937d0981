"""Rooms reached by a request: joining on request, invitations, facilitators and
scheduled sessions of a room one moderates."""

from __future__ import annotations

from sqlalchemy import select

from network.errors import NotFound
from network.extensions import db
from network.models import Room, RoomMember, SupervisionSession
from network.policy.actors import _account
from network.policy.rooms import (
    can_moderate,
    can_name_facilitators,
    can_request_to_join,
)


def _room_by_public_id(room_public_id) -> Room | None:
    if not isinstance(room_public_id, str):
        return None
    return db.session.scalar(select(Room).where(Room.public_id == room_public_id))


def access_requestable_room(actor, room_public_id) -> Room:
    """A supervision room the actor may ask to join (can_request_to_join)."""
    room = _room_by_public_id(room_public_id)
    if room is None or not can_request_to_join(actor, room):
        raise NotFound()
    return room


def access_room_invitation(actor, room_public_id) -> tuple[Room, RoomMember]:
    """A room the actor is invited to, with their invited member row."""
    room = _room_by_public_id(room_public_id)
    account = _account(actor)
    if room is None or account is None:
        raise NotFound()
    row = db.session.scalar(
        select(RoomMember).where(
            RoomMember.room_id == room.id, RoomMember.account_id == account.id
        )
    )
    if row is None or row.status != "invited":
        raise NotFound()
    return room, row


def require_naming_facilitators(actor, room: Room) -> None:
    """Raise NotFound unless the actor may name the room's facilitators."""
    if not can_name_facilitators(actor, room):
        raise NotFound()


def access_room_session(actor, room: Room, session_public_id) -> SupervisionSession:
    """A supervision session of a room the actor moderates, by public id."""
    if not isinstance(session_public_id, str) or not can_moderate(actor, room):
        raise NotFound()
    session = db.session.scalar(
        select(SupervisionSession).where(
            SupervisionSession.public_id == session_public_id,
            SupervisionSession.room_id == room.id,
        )
    )
    if session is None:
        raise NotFound()
    return session
