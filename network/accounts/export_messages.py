"""What a person's export holds, part two: what they wrote to and with others.

Room messages and direct-conversation lines are read in keyset batches of
BATCH, so memory stays flat however many there are. The other person of a
conversation or request appears as a pseudonym only, never their words
(docs/security.md, "Your data: export").
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from network.accounts.export_rows import DIRECT, room_fields, when
from network.extensions import db
from network.models import (
    Account,
    Message,
    MessageRequest,
    Profile,
    Room,
    RoomMember,
    display_name,
    utcnow,
)

BATCH = 500  # rows per query where a table can grow without bound


def _keyset(stmt: Select) -> Iterator:
    """Rows of a statement whose first column is Message.id, BATCH at a time."""
    last = 0
    while True:
        rows = db.session.execute(
            stmt.where(Message.id > last).order_by(Message.id).limit(BATCH)
        ).all()
        yield from rows
        if len(rows) < BATCH:
            return
        last = rows[-1][0]


def _own_messages(account: Account, direct: bool) -> Select:
    kind = Room.kind == DIRECT if direct else Room.kind != DIRECT
    return (
        select(
            Message.id,
            Message.public_id,
            Message.body,
            Message.content_warning,
            Message.created_at,
            Message.edited_at,
            Message.deleted_at,
            Message.hidden_at,
            Room.id,
            Room.public_id,
            Room.name,
        )
        .join(Room, Room.id == Message.room_id)
        .where(Message.author_id == account.id, kind)
    )


def _line(row) -> dict:
    deleted = row.deleted_at is not None
    return {
        "message": row.public_id,
        # A message the person deleted stays deleted: its time, not its text.
        "text": None if deleted else row.body,
        "content_warning": None if deleted else row.content_warning,
        "written_at": when(row.created_at),
        "edited_at": when(row.edited_at),
        "deleted_at": when(row.deleted_at),
        "hidden_by_moderators": row.hidden_at is not None,
    }


def messages(account: Account, visible: set[int]) -> Iterator[dict]:
    """Every room message the person wrote (direct conversations apart)."""
    for row in _keyset(_own_messages(account, direct=False)):
        yield {**room_fields(row[8], row[9], row[10], visible), **_line(row)}


def conversations(account: Account) -> Iterator[dict]:
    """Direct conversations: the other person's pseudonym, never their lines."""
    other = aliased(RoomMember)
    rows = db.session.execute(
        select(Room, Profile.pseudonym, Profile.tag)
        .join(RoomMember, RoomMember.room_id == Room.id)
        .outerjoin(other, (other.room_id == Room.id) & (other.account_id != account.id))
        .outerjoin(Profile, Profile.account_id == other.account_id)
        .where(Room.kind == DIRECT, RoomMember.account_id == account.id)
        .order_by(Room.id)
    ).all()
    for room, pseudonym, tag in rows:
        yield {
            "conversation": room.public_id,
            "with": display_name(pseudonym, tag) if pseudonym else None,
            "started_at": when(room.created_at),
            "closed_at": when(room.closed_at),
        }


def conversation_lines(account: Account) -> Iterator[dict]:
    """The lines the person wrote in direct conversations (theirs alone)."""
    for row in _keyset(_own_messages(account, direct=True)):
        yield {"conversation": row[9], **_line(row)}


def message_requests(account: Account) -> Iterator[dict]:
    """Requests the person sent (their text; the status as they see it, never
    "declined") and received (who asked and the answer given, not the asker's
    text: it is the other person's words)."""
    now = utcnow()
    rows = db.session.execute(
        select(MessageRequest, Profile.pseudonym, Profile.tag)
        .join(Profile, Profile.account_id == MessageRequest.recipient_id)
        .where(MessageRequest.sender_id == account.id)
        .order_by(MessageRequest.id)
    ).all()
    for row, pseudonym, tag in rows:
        yield {
            "direction": "sent",
            "to": display_name(pseudonym, tag),
            "text": row.body,
            "content_warning": row.content_warning,
            "status": row.sender_status(now),
            "sent_at": when(row.created_at),
        }
    received = db.session.execute(
        select(MessageRequest, Profile.pseudonym, Profile.tag)
        .join(Profile, Profile.account_id == MessageRequest.sender_id)
        .where(
            MessageRequest.recipient_id == account.id,
            MessageRequest.delivered.is_(True),
        )
        .order_by(MessageRequest.id)
    ).all()
    for row, pseudonym, tag in received:
        yield {
            "direction": "received",
            "from": display_name(pseudonym, tag),
            "your_answer": row.status,
            "received_at": when(row.created_at),
            "answered_at": when(row.answered_at),
        }
