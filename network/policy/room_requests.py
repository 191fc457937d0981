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
    requestable_rooms,
)


def access_requestable_room(actor, room_public_id) -> Room:
    """A supervision room the actor may ask to join: one query through
    requestable_rooms (the twin of can_request_to_join), so a room outside one's
    audience takes the same path as a missing one."""
    if not isinstance(room_public_id, str):
        raise NotFound()
    stmt = select(Room).where(Room.public_id == room_public_id)
    room = db.session.scalar(requestable_rooms(stmt, actor))
    if room is None:
        raise NotFound()
    return room


def access_room_invitation(actor, room_public_id) -> tuple[Room, RoomMember]:
    """A room the actor is invited to, with their invited member row, in one
    query: a room they were never invited to reads like a missing one."""
    account = _account(actor)
    if account is None or not isinstance(room_public_id, str):
        raise NotFound()
    found = db.session.execute(
        select(Room, RoomMember)
        .join(RoomMember, RoomMember.room_id == Room.id)
        .where(
            Room.public_id == room_public_id,
            RoomMember.account_id == account.id,
            RoomMember.status == "invited",
        )
    ).first()
    if found is None:
        raise NotFound()
    return found[0], found[1]


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
