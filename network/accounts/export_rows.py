"""What a person's export holds, file by file: their own rows only.

Each function yields plain dicts for one file of the archive. Large tables
(messages) are read in keyset batches, so memory stays flat however many rows
there are. Other people appear only as a pseudonym where the person dealt with
them directly (the other person of a conversation, the recipient or sender of a
message request); never their messages, login names or emails
(docs/security.md, "Your data: export").
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from network import policy
from network.extensions import db
from network.models import (
    NOTIFICATION_TITLES,
    Account,
    AuditEvent,
    CheckIn,
    Membership,
    Message,
    MessageRequest,
    Notification,
    Organization,
    Profile,
    Report,
    Resource,
    Room,
    RoomMember,
    SupervisionSession,
    display_name,
    utcnow,
)

BATCH = 500  # rows per query where a table can grow without bound
DIRECT = "direct"


def when(value: datetime | None) -> str | None:
    """A time as ISO 8601 in UTC (or None)."""
    return value.isoformat() if value is not None else None


def visible_room_ids(account: Account) -> set[int]:
    """Rooms whose name the person may still see (their number is bounded)."""
    return set(db.session.scalars(policy.visible_rooms(select(Room.id), account)))


def _room(room_id: int, public_id: str, name: str, visible: set[int]) -> dict:
    """A room as the export names it: its name only while the person may see it."""
    return {"room": public_id, "room_name": name if room_id in visible else None}


def profile(account: Account) -> dict:
    """The account and profile: everything the person can see of themselves."""
    shown = account.profile
    return {
        "sign_in_name": account.login_name,
        "email": account.email,
        "created_at": when(account.created_at),
        "password_changed_at": when(account.password_changed_at),
        "email_notifications": account.notify_by_email,
        "pseudonym": shown.pseudonym,
        "tag": shown.tag,
        "pronouns": shown.pronouns,
        "region": shown.region_name,
        "languages": shown.language_names,
        "experience": shown.experience_names,
        "bio": shown.bio,
        "hidden_from_other_organizations": shown.hidden_from_other_orgs,
        "appear_offline": shown.appear_offline,
        "accept_message_requests_from": shown.accept_requests,
        "time_zone": shown.timezone,
    }


def memberships(account: Account, visible: set[int]) -> Iterator[dict]:
    """The organization membership, then every non-direct room membership."""
    rows = db.session.execute(
        select(Membership, Organization.name)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(Membership.account_id == account.id)
    ).all()
    for membership, org_name in rows:
        yield {
            "organization": org_name,
            "role": str(membership.role),
            "status": str(membership.status),
            "joined_via": membership.joined_via,
            "your_request_note": membership.request_note,
            "asked_at": when(membership.created_at),
            "approved_at": when(membership.approved_at),
            "decided_at": when(membership.decided_at),
        }
    rooms = db.session.execute(
        select(RoomMember, Room.id, Room.public_id, Room.name)
        .join(Room, Room.id == RoomMember.room_id)
        .where(RoomMember.account_id == account.id, Room.kind != DIRECT)
        .order_by(RoomMember.id)
    ).all()
    for row, room_id, public_id, name in rooms:
        yield {
            **_room(room_id, public_id, name, visible),
            "role": row.role,
            "status": row.status,
            "joined_at": when(row.joined_at),
        }


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
        yield {**_room(row[8], row[9], row[10], visible), **_line(row)}


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


def check_ins(account: Account, visible: set[int]) -> Iterator[dict]:
    """Supervision check-ins the person gave."""
    rows = db.session.execute(
        select(
            CheckIn, SupervisionSession.starts_at, Room.id, Room.public_id, Room.name
        )
        .join(SupervisionSession, SupervisionSession.id == CheckIn.session_id)
        .join(Room, Room.id == SupervisionSession.room_id)
        .where(CheckIn.account_id == account.id)
        .order_by(CheckIn.id)
    ).all()
    for row, starts_at, room_id, public_id, name in rows:
        yield {
            **_room(room_id, public_id, name, visible),
            "session_started_at": when(starts_at),
            "feeling": row.feeling,
            "word": row.word,
            "shared_with_the_group": row.shared,
            "given_at": when(row.created_at),
        }


def reports(account: Account) -> Iterator[dict]:
    """Reports the person filed: what they wrote, never who or what it was about
    (the reported text is someone else's), nor reports about them."""
    rows = db.session.scalars(
        select(Report)
        .where(Report.reporter_id == account.id, Report.copy_of_id.is_(None))
        .order_by(Report.id)
    )
    for row in rows:
        yield {
            "report": row.public_id,
            "about_a": row.target_type,
            "category": row.category,
            "your_note": row.note,
            "status": row.status,
            "outcome": row.outcome,
            "filed_at": when(row.created_at),
            "resolved_at": when(row.resolved_at),
        }


def library(account: Account) -> Iterator[dict]:
    """Library items the person shared (descriptions and links, not files)."""
    rows = db.session.scalars(
        select(Resource).where(Resource.author_id == account.id).order_by(Resource.id)
    )
    for row in rows:
        yield {
            "item": row.public_id,
            "kind": row.kind,
            "title": row.title,
            "description": row.description,
            "url": row.url or None,
            "file_name": row.file_name or None,
            "tags": [tag for tag in row.tags.split(",") if tag],
            "language": row.language,
            "visibility": row.visibility,
            "shared_at": when(row.created_at),
            "updated_at": when(row.updated_at),
        }


def notifications(account: Account) -> Iterator[dict]:
    """The person's notifications (their neutral titles)."""
    rows = db.session.scalars(
        select(Notification)
        .where(Notification.account_id == account.id)
        .order_by(Notification.id)
    )
    for row in rows:
        yield {
            "title": NOTIFICATION_TITLES.get(row.kind, "New activity"),
            "link": row.link or None,
            "created_at": when(row.created_at),
            "read_at": when(row.read_at),
        }


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


def account_events(account: Account) -> Iterator[dict]:
    """Audit events about the person's account: the action and its time; who
    acted only as "you", "your organization" or "the platform"."""
    actor = aliased(Account)
    rows = db.session.execute(
        select(
            AuditEvent.action, AuditEvent.created_at, actor.id, actor.is_platform_admin
        )
        .outerjoin(actor, actor.id == AuditEvent.actor_id)
        .where(AuditEvent.target_account_id == account.id)
        .order_by(AuditEvent.id)
    ).all()
    for action, created_at, actor_id, is_admin in rows:
        if actor_id == account.id:
            by = "you"
        elif actor_id is None or is_admin:
            by = "the platform"
        else:
            by = "your organization"
        yield {"action": action, "by": by, "at": when(created_at)}
