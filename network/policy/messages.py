"""Messages: who may post in a room now, and which messages one sees."""

from __future__ import annotations

from sqlalchemy import Select, select

from network.errors import NotFound
from network.extensions import db
from network.models import Message, Room, RoomMember, utcnow
from network.models.supervision import room_open
from network.policy.actors import _account
from network.policy.room_memo import RoomAccess, _memoized
from network.policy.room_people import can_meet_in_room, visible_room_people
from network.policy.rooms import _room_member, can_join_room, can_moderate


def post_refusal(actor, room: Room) -> str | None:
    """Why the actor may not post in the room now, or None when they may."""
    known = _memoized(actor, room)
    if known is not None:
        return refusal(known)
    if not can_join_room(actor, room):
        return "not_found"
    row = _room_member(actor, room)
    return _refusal(room, row, can_moderate(actor, room))


def refusal(access: RoomAccess, *, is_open: bool | None = None) -> str | None:
    """post_refusal for an access context (join rights were checked by access).
    A caller that already knows whether the room is open (room_open) passes it."""
    return _refusal(access.room, access.row, access.moderates, is_open)


def _refusal(
    room: Room, row: RoomMember | None, moderator: bool, is_open: bool | None = None
) -> str | None:
    if row is not None and row.muted_until is not None and row.muted_until > utcnow():
        return "muted"
    if room.locked and not moderator:
        return "locked"
    if room.kind == "supervision" and not moderator:
        if row is None or row.rules_accepted_at is None:
            return "rules"
        if not (room_open(room) if is_open is None else is_open):
            return "closed"
    return None


def can_post(actor, room: Room) -> bool:
    """Join rights, not muted, not locked, and for supervision: rules accepted and
    the room supervised right now."""
    return post_refusal(actor, room) is None


def can_see_message(actor, message: Message) -> bool:
    """Room access, and the author is not blocked or separated from the viewer."""
    room = db.session.get(Room, message.room_id)
    if room is None or not can_join_room(actor, room):
        return False
    return can_meet_in_room(actor, message.author_id)


def visible_messages(stmt: Select, actor) -> Select:
    """Hide messages of people kept apart from the viewer in rooms (the room is
    checked by the caller with access_room)."""
    account = _account(actor)
    if account is None:
        return stmt.where(Message.id.is_(None))
    return visible_room_people(stmt, account, Message.author_id)


def _message_by_public_id(room: Room, public_id) -> Select:
    """Messages of this room with this public id (members never see integer ids)."""
    if not isinstance(public_id, str):
        public_id = None  # a number or anything else is simply not found
    return select(Message).where(
        Message.public_id == public_id, Message.room_id == room.id
    )


def access_message_position(actor, room: Room, public_id) -> int:
    """The place in the room's order of a message the client saw (for keyset
    paging and read positions). Another room's id or a guess: NotFound."""
    stmt = _message_by_public_id(room, public_id).with_only_columns(Message.id)
    position = db.session.scalar(stmt)
    if position is None or _account(actor) is None:
        raise NotFound()
    return position


def access_own_message(actor, room: Room, public_id) -> Message:
    """One of the actor's own, undeleted messages in a room they may use."""
    message = db.session.scalar(
        _message_by_public_id(room, public_id).where(
            Message.author_id == actor.id,
            Message.deleted_at.is_(None),
            Message.hidden_at.is_(None),
        )
    )
    if message is None:
        raise NotFound()
    return message


def access_room_message(actor, room: Room, public_id) -> Message:
    """A message of this room the actor can see (one query, so a kept-apart
    author's message answers like a missing one, in the same time)."""
    message = db.session.scalar(
        visible_messages(_message_by_public_id(room, public_id), actor)
    )
    if message is None:
        raise NotFound()
    return message
