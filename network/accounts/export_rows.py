"""What a person's export holds, file by file: their own rows only.

Each function yields plain dicts for one file of the archive; messages,
conversations and requests are in export_messages.py. Other people appear only
as a pseudonym where the person dealt with them directly; never their messages,
login names or emails (docs/security.md, "Your data: export").
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased

from network import policy
from network.extensions import db
from network.models import (
    NOTIFICATION_TITLES,
    Account,
    AuditEvent,
    CheckIn,
    Membership,
    Notification,
    Organization,
    Report,
    Resource,
    Room,
    RoomMember,
    SupervisionSession,
)

DIRECT = "direct"


def when(value: datetime | None) -> str | None:
    """A time as ISO 8601 in UTC (or None)."""
    return value.isoformat() if value is not None else None


def visible_room_ids(account: Account) -> set[int]:
    """Rooms whose name the person may still see (their number is bounded)."""
    return set(db.session.scalars(policy.visible_rooms(select(Room.id), account)))


def room_fields(room_id: int, public_id: str, name: str, visible: set[int]) -> dict:
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
            **room_fields(room_id, public_id, name, visible),
            "role": row.role,
            "status": row.status,
            "joined_at": when(row.joined_at),
        }


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
            **room_fields(room_id, public_id, name, visible),
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
