"""Message requests and direct conversations. Callers check permission first
(policy.access_requestable_profile, access_incoming_request, access_room_context).

The sender of a request only ever learns "waiting", "expired" or "accepted": a
decline, and a re-ask that is never delivered, read exactly like a request that
is waiting (the same rows counted, the same answers, the same page)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from datetime import datetime

from sqlalchemy import exists, select

from network import markup, ratelimit
from network.conversations import closing
from network.errors import InputError
from network.extensions import db
from network.models import (
    DEFAULT_RETENTION_DAYS,
    Account,
    Block,
    Message,
    MessageRequest,
    Room,
    RoomMember,
    utcnow,
)
from network.models.conversations import (
    DECLINE_MEMORY,
    MAX_PENDING,
    REQUEST_MAX_LENGTH,
    REQUEST_TTL,
)
from network.availability.services import resume_at
from network.notifications.services import notify
from network.rooms.messages import micros

TOO_MANY = _l(
    "You have %(most)s requests waiting for an answer. You can ask someone "
    "else when one of them is answered or expires.",
    most=MAX_PENDING,
)
ALREADY_ASKED = _l("You already asked this person. Their answer will show here.")
# Notification links are paths (url_for needs a request; demo data has none).
CONVERSATIONS_PATH = "/conversations"
ALREADY_TALKING = _l("You already have a conversation with this person.")


def _text(body, content_warning) -> tuple[str, str]:
    if not isinstance(body, str) or not body.strip():
        raise InputError("body", _("Write a short first message."))
    if len(body.strip()) > REQUEST_MAX_LENGTH:
        raise InputError(
            "body", _("Keep it under %(num)s characters.", num=REQUEST_MAX_LENGTH)
        )
    warning = content_warning.strip() if isinstance(content_warning, str) else ""
    if len(warning) > 120:
        raise InputError("content_warning", _("Keep it under 120 characters."))
    return body.strip(), warning


def _waiting(sender_id: int, now: datetime):
    """The sender's requests that read "waiting" to them (pending or declined,
    delivered or not, unexpired): what the limit and a re-ask count."""
    return select(MessageRequest).where(
        MessageRequest.sender_id == sender_id,
        MessageRequest.status.in_(("pending", "declined")),
        MessageRequest.expires_at > now,
    )


def open_conversation(a_id: int, b_id: int) -> Room | None:
    """The open direct conversation of these two people, if there is one."""
    theirs = select(RoomMember.room_id).where(RoomMember.account_id == b_id)
    return db.session.scalar(
        select(Room)
        .join(RoomMember, RoomMember.room_id == Room.id)
        .where(
            Room.kind == "direct",
            Room.closed_at.is_(None),
            RoomMember.account_id == a_id,
            Room.id.in_(theirs),
        )
    )


def send_request(
    recipient: Account, *, actor: Account, body, content_warning=""
) -> MessageRequest:
    """Ask to talk. Delivered (and the recipient notified) unless the recipient
    declined the actor within DECLINE_MEMORY: then it is kept, never shown to
    them, and reads to the actor like any waiting request."""
    body, content_warning = _text(body, content_warning)
    now = utcnow()
    waiting = list(db.session.scalars(_waiting(actor.id, now)))
    if any(row.recipient_id == recipient.id for row in waiting):
        raise InputError("body", str(ALREADY_ASKED))
    if open_conversation(actor.id, recipient.id) is not None:
        raise InputError("body", str(ALREADY_TALKING))
    if len(waiting) >= MAX_PENDING:
        raise InputError("body", str(TOO_MANY))
    if not ratelimit.allow("request", actor.id):
        raise InputError("body", _("Too many requests for now. Try again later."))
    declined = db.session.scalar(
        select(
            exists().where(
                MessageRequest.sender_id == actor.id,
                MessageRequest.recipient_id == recipient.id,
                MessageRequest.status == "declined",
                MessageRequest.answered_at > now - DECLINE_MEMORY,
            )
        )
    )
    row = MessageRequest(
        sender_id=actor.id,
        recipient_id=recipient.id,
        body=body,
        content_warning=content_warning,
        delivered=not declined,
        created_at=now,
        expires_at=now + REQUEST_TTL,
        # To someone away it waits for their hours; the sender sees "waiting".
        visible_from=resume_at([recipient.id], now).get(recipient.id),
    )
    db.session.add(row)
    db.session.flush()
    if row.delivered:
        notify(recipient.id, "message_request", link=CONVERSATIONS_PATH)
    db.session.commit()
    return row


def accept(row: MessageRequest, *, actor: Account) -> Room:
    """Open the conversation: a room of kind "direct" with exactly the two of
    them, its first message the request's own text."""
    sender = db.session.get(Account, row.sender_id)
    now = utcnow()
    existing = open_conversation(sender.id, actor.id)
    if existing is not None:  # they asked each other: one conversation
        row.status, row.answered_at, row.room_id = "accepted", now, existing.id
        db.session.commit()
        return existing
    room = Room(
        kind="direct",
        host_org_id=sender.membership.organization_id,
        visibility="org",
        name="Direct conversation",
        retention_days=DEFAULT_RETENTION_DAYS,
        created_by_id=actor.id,
        created_at=now,
    )
    db.session.add(room)
    db.session.flush()
    for account_id in (sender.id, actor.id):
        db.session.add(RoomMember(room_id=room.id, account_id=account_id))
    db.session.add(
        Message(
            room_id=room.id,
            author_id=sender.id,
            client_msg_id=f"request-{row.public_id}",
            body=row.body,
            html=markup.render(row.body),
            content_warning=row.content_warning,
            created_at=row.created_at,
            order_key=micros(row.created_at),
        )
    )
    row.status, row.answered_at, row.room_id = "accepted", now, room.id
    link = f"/rooms/{room.public_id}"
    notify(sender.id, "request_accepted", room_id=room.id, link=link)
    db.session.commit()
    return room


def decline(row: MessageRequest, *, actor: Account, block: bool = False) -> None:
    """Decline silently (the sender keeps seeing "waiting" until it expires);
    with `block`, also block the sender (as safety.block does)."""
    row.status, row.answered_at = "declined", utcnow()
    if block:
        exists_already = db.session.scalar(
            select(Block.id).where(
                Block.blocker_id == actor.id, Block.blocked_id == row.sender_id
            )
        )
        if exists_already is None:
            db.session.add(Block(blocker_id=actor.id, blocked_id=row.sender_id))
        closing.recheck(account_ids=[actor.id])
    db.session.commit()


def leave(room: Room, *, actor: Account) -> None:
    """Leave a direct conversation: it closes for both (the other person sees
    "This conversation is closed", never who or why)."""
    # Not audited: no organization's log may show a direct conversation.
    closing.close_room(room)
    db.session.commit()
