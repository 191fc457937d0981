"""What the conversations page lists: my conversations (open and closed), the
requests waiting for my answer, and the requests I sent (as I may see them)."""

from __future__ import annotations

from flask_babel import gettext as _
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from network import policy
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

OUTGOING_SHOWN = 20


@dataclass(frozen=True)
class Conversation:
    """One line of my conversations."""

    room: Room
    other: Profile | None  # None when I may no longer see who it was
    is_open: bool
    unread: int


@dataclass(frozen=True)
class Outgoing:
    """A request I sent, with the only states I may know."""

    request: MessageRequest
    recipient: Profile
    state: str  # waiting | expired | accepted


def conversations(actor: Account) -> list[Conversation]:
    """My direct conversations, newest first, with unread counts."""
    mine = aliased(RoomMember)
    theirs = aliased(RoomMember)
    unread = (
        select(func.count(Message.id))
        .where(
            Message.room_id == Room.id,
            Message.id > mine.last_read_id,
            Message.author_id != actor.id,
            Message.deleted_at.is_(None),
        )
        .correlate(Room, mine)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Room, Profile, unread)
        .join(mine, (mine.room_id == Room.id) & (mine.account_id == actor.id))
        .join(theirs, (theirs.room_id == Room.id) & (theirs.account_id != actor.id))
        .join(Profile, Profile.account_id == theirs.account_id)
        .where(Room.kind == "direct", mine.via_role.is_(False))
        .order_by(Room.closed_at.is_not(None), Room.created_at.desc())
    ).all()
    result = []
    for room, other, count in rows:
        is_open = room.closed_at is None and policy.direct_room_open(actor, room)
        shown = other if is_open or policy.can_see_profile(actor, other) else None
        result.append(Conversation(room, shown, is_open, count if is_open else 0))
    return result


def incoming(actor: Account) -> list[tuple[MessageRequest, Profile]]:
    """Requests waiting for my answer from people I may still talk with."""
    rows = db.session.execute(
        policy.visible_incoming_requests(
            select(MessageRequest, Profile)
            .join(Profile, Profile.account_id == MessageRequest.sender_id)
            .order_by(MessageRequest.created_at.desc()),
            actor,
        )
    ).all()
    return [(row, who) for row, who in rows if policy.can_answer_request(actor, row)]


def outgoing(actor: Account, now: datetime | None = None) -> list[Outgoing]:
    """The requests I sent, newest first: a declined or undelivered request
    reads "waiting" until it expires, like any other."""
    now = now or utcnow()
    rows = db.session.execute(
        select(MessageRequest, Profile)
        .join(Profile, Profile.account_id == MessageRequest.recipient_id)
        .where(MessageRequest.sender_id == actor.id)
        .order_by(MessageRequest.created_at.desc())
        .limit(OUTGOING_SHOWN)
    ).all()
    return [Outgoing(row, who, row.sender_status(now)) for row, who in rows]


def waiting_count(actor: Account, now: datetime | None = None) -> int:
    """How many of my requests read "waiting" (what MAX_PENDING counts)."""
    now = now or utcnow()
    return db.session.scalar(
        select(func.count(MessageRequest.id)).where(
            MessageRequest.sender_id == actor.id,
            MessageRequest.status.in_(("pending", "declined")),
            MessageRequest.expires_at > now,
        )
    )


def other_profile(room: Room, actor: Account) -> Profile | None:
    """The other person of a direct conversation the actor may open."""
    other_id = policy.direct_other_id(room, actor.id)
    return db.session.scalar(select(Profile).where(Profile.account_id == other_id))


def search_titles(actor: Account, room_public_ids) -> dict[str, str]:
    """What a search result calls each direct conversation: the other person's
    name, as the conversation's own page does (one query for a page of results;
    search only returns rooms the actor may open now)."""
    other = aliased(RoomMember)
    rows = db.session.execute(
        select(Room.public_id, Profile.pseudonym, Profile.tag)
        .join(other, other.room_id == Room.id)
        .join(Profile, Profile.account_id == other.account_id)
        .where(
            Room.public_id.in_(list(room_public_ids)),
            Room.kind == "direct",
            other.account_id != actor.id,
        )
    )
    return {
        public_id: _("Conversation with %(name)s", name=display_name(pseudonym, tag))
        for public_id, pseudonym, tag in rows
    }
