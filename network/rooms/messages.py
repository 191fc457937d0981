"""Messages: send (the one path every post takes), edit, delete."""

from __future__ import annotations

import math

from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import (
    BigInteger,
    case,
    func,
    insert,
    literal,
    select,
)
from sqlalchemy.exc import IntegrityError

from network import policy, ratelimit
from network.errors import InputError
from network.extensions import commit_keeping_loaded, db
from network.models import (
    MAX_MESSAGE_LENGTH,
    Account,
    Message,
    Resource,
    Room,
    RoomMember,
    RoomPresence,
    utcnow,
)
from network.models.message_search import forget_removed_text
from network.notifications.services import notify
from network.rooms.history import message_payload
from network.rooms.membership import ensure_member
from network.rooms.mentions import NONE, Mentions, notify_mentioned, resolve
from network.rooms.mentions import render as render_html
from network.rooms.people import emit_about

RoomInputError = InputError  # one shape of field error for every feature


def validate_text(body, content_warning) -> tuple[str, str]:
    """Trimmed body and warning, or RoomInputError."""
    if not isinstance(body, str) or not body.strip():
        raise RoomInputError("body", "empty")
    if len(body) > MAX_MESSAGE_LENGTH:
        raise RoomInputError("body", "too_long")
    warning = content_warning if isinstance(content_warning, str) else ""
    if len(warning) > 120:
        raise RoomInputError("content_warning", "too_long")
    return body.strip(), warning.strip()


def send_message(
    room: Room,
    *,
    actor: Account,
    body: str,
    content_warning: str = "",
    client_msg_id: str,
    resource: Resource | None = None,
    access: policy.RoomAccess | None = None,
) -> Message:
    """Post a message: the one path every post takes (socket send, library share)."""
    # In order: the text (a shared resource carries none), the policy's refusal
    # when the caller holds an access context (without one, as for seed data,
    # the caller vouches for the author), a rate-limit token, slow mode.
    # A retry (the same client_msg_id) gets the stored message back whatever
    # would refuse a new one: what the server stored, it always acknowledges.
    try:
        if resource is None:
            body, content_warning = validate_text(body, content_warning)
        refusal = policy.refusal(access) if access is not None else None
        if refusal is not None:
            raise RoomInputError("body", refusal)
        if not ratelimit.allow("message", actor.id):
            raise RoomInputError("body", "rate_limited")
    except RoomInputError:
        existing = _by_client_id(actor, client_msg_id)
        if existing is None or existing.room_id != room.id:
            raise
        return existing  # acknowledged, not broadcast again: the event was refused
    # The one statement resolving `@` names (none for a body without `@`).
    mentions = resolve(room, actor, body) if resource is None else NONE
    new = _New(body, content_warning, client_msg_id, resource, mentions)
    if access is None:
        return _store(room, actor, new, ensure_member(room, actor), slow_mode=True)
    row = access.row if access.row is not None else ensure_member(room, actor)
    return _store(room, actor, new, row, slow_mode=not access.moderates)


class _New(NamedTuple):
    """What a new message carries."""

    body: str
    content_warning: str
    client_msg_id: str
    resource: Resource | None
    mentions: Mentions = NONE


def _store(
    room: Room, author: Account, new: _New, row: RoomMember, *, slow_mode: bool
) -> Message:
    """Store a message, then broadcast it after the commit. A retry is found by
    the unique client id (no look-up first on the common path): it returns the
    first message, stores nothing and broadcasts it again."""
    # One writer per room at a time (PostgreSQL; SQLite writers are serial anyway):
    # ids are then committed, and broadcast, in id order, so a client's catch-up
    # after the last id it saw (room:join after_id) cannot skip a message.
    db.session.execute(
        select(Room.id).where(Room.id == room.id).with_for_update(key_share=True)
    )
    now = utcnow()  # after the lock: a writer that waited does not stamp the past
    wait = _wait_seconds(room, row, now) if slow_mode else 0
    if wait:
        existing = _by_client_id(author, new.client_msg_id)
        if existing is not None:  # a retry is never refused
            db.session.rollback()
            return _again(room, existing)
        raise RoomInputError("body", "slow_mode", seconds=wait)
    row.last_message_at = now
    try:
        message = db.session.scalar(_insert(room, author, new, now))
    except IntegrityError:  # a retry: the unique client id, or the same retry
        db.session.rollback()  # racing us from another socket
        return _again(room, _by_client_id(author, new.client_msg_id))
    # Only a newly stored message notifies: a retry or an edit never does.
    notify_mentioned(room, author, message.public_id, new.mentions.people(new.body))
    if room.kind == "direct":
        _notify_absent(room, author)
    return _created(room, message, author)


def _notify_absent(room: Room, author: Account) -> None:
    """In a direct conversation, the other person, when no socket of theirs is
    in it, is notified (one query whatever the number of sockets)."""
    here = select(RoomPresence.account_id).where(RoomPresence.room_id == room.id)
    absent = db.session.scalar(
        select(RoomMember.account_id).where(
            RoomMember.room_id == room.id,
            RoomMember.account_id != author.id,
            RoomMember.account_id.not_in(here),
        )
    )
    if absent is not None:
        link = f"/rooms/{room.public_id}"  # also outside a request (seed data)
        notify(absent, "direct_message", room_id=room.id, link=link)


def _wait_seconds(room: Room, row: RoomMember, now: datetime) -> int:
    """Slow mode: whole seconds until the author may post again (0: now). Only
    messages sent while slow mode is on count (moderation.set_slow_mode)."""
    if not room.slow_mode_seconds or not row.last_message_at:
        return 0
    left = row.last_message_at + timedelta(seconds=room.slow_mode_seconds) - now
    return max(0, math.ceil(left.total_seconds()))


def _insert(room: Room, author: Account, new: _New, now: datetime):
    """One INSERT ... RETURNING the whole row: order_key is computed in the
    statement, and comes back without a second query."""
    return (
        insert(Message)
        .values(
            room_id=room.id,
            author_id=author.id,
            client_msg_id=new.client_msg_id,
            body=new.body,
            html=render_html(new.body),
            content_warning=new.content_warning,
            resource_id=new.resource.id if new.resource is not None else None,
            created_at=now,
            order_key=_next_order_key(room.id, now),
        )
        .returning(Message)
    )


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def micros(moment: datetime) -> int:
    """Microseconds since the epoch (what an order_key counts)."""
    return (moment - EPOCH) // timedelta(microseconds=1)


def _next_order_key(room_id: int, now: datetime):
    """The new message's order_key, computed inside its INSERT (under the room's
    lock, so after the previous message's commit): the send time, or one past
    the room's previous key when this clock is behind it (another host's, or a
    clock step back). Keys then grow with the id."""
    previous = (
        select(Message.order_key)
        .where(Message.room_id == room_id)
        .order_by(Message.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    after = func.coalesce(previous, 0) + 1
    now_us = literal(micros(now), BigInteger)
    return case((after > now_us, after), else_=now_us)


def _again(room: Room, message: Message | None) -> Message | None:
    """A retry found its message stored: broadcast it again, as the first time
    (the process that stored it may have died before its broadcast went out;
    pages drop a message they already show by its id). Nothing goes out for a
    message of another room (a reused client id, not a retry)."""
    if message is None or message.room_id != room.id:
        return message
    return _created(room, message, db.session.get(Account, message.author_id))


def _created(room: Room, message: Message, author: Account) -> Message:
    """Queue the one message:created broadcast and commit (a new message, or a
    retry's stored one sent again)."""
    emit_about(
        room,
        "message:created",
        message_payload(room, message, author),
        person_id=author.id,
    )
    commit_keeping_loaded()
    return message


def _by_client_id(author: Account, client_msg_id: str) -> Message | None:
    return db.session.scalar(
        select(Message).where(
            Message.author_id == author.id, Message.client_msg_id == client_msg_id
        )
    )


def edit_message(
    room: Room, message: Message, *, actor: Account, body: str, content_warning: str
) -> None:
    """Edit one's own message and broadcast the new text (takes a message token)."""
    body, content_warning = validate_text(body, content_warning)
    if not ratelimit.allow("message", actor.id):
        raise RoomInputError("body", "rate_limited")
    message.body = body
    message.html = render_html(body)
    message.content_warning = content_warning
    message.edited_at = utcnow()
    forget_removed_text()  # the words edited away leave the search index
    author = db.session.get(Account, message.author_id)
    emit_about(
        room,
        "message:updated",
        message_payload(room, message, author),
        person_id=author.id,
    )
    commit_keeping_loaded()  # the ack reads the message's public id


def delete_message(room: Room, message: Message, *, actor: Account) -> None:
    """Soft-delete one's own message; the text is gone, the place in order stays."""
    message.deleted_at = utcnow()
    message.body = ""
    message.html = ""
    forget_removed_text()  # and from the search index
    emit_about(
        room,
        "message:deleted",
        {"room_id": room.public_id, "id": message.public_id},
        person_id=message.author_id,
    )
    commit_keeping_loaded()  # the ack reads the message's public id
