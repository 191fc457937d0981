"""Rooms: creating, editing and archiving them, and the lists a member sees."""

from __future__ import annotations

from sqlalchemy import (
    func,
    select,
)

from network import audit, policy, realtime
from network.extensions import db
from network.models import (
    AUTHOR_DELETION_CHOICES,
    DEFAULT_GROUND_RULES,
    Account,
    Message,
    Organization,
    Room,
    RoomMember,
    RoomPartner,
    RoomPresence,
    TrustLevel,
    utcnow,
)


def create_room(
    org: Organization,
    *,
    actor: Account,
    name: str,
    topic: str = "",
    visibility: str = "org",
    partner_org_ids=(),
    retention_days: int = 90,
    kind: str = "channel",
    on_author_deletion: str = "remove",
) -> Room:
    """Create a room hosted by `org`: a channel, or a supervision room whose
    ground rules start from a default the facilitators can edit."""
    kind = kind if kind in {"channel", "supervision"} else "channel"
    room = Room(
        host_org_id=org.id,
        name=" ".join(name.split()),
        topic=topic.strip(),
        visibility=visibility,
        retention_days=retention_days,
        on_author_deletion=_author_rule(on_author_deletion),
        kind=kind,
        ground_rules=DEFAULT_GROUND_RULES if kind == "supervision" else "",
        created_by_id=actor.id,
    )
    room.partners = [RoomPartner(org_id=org_id) for org_id in partner_org_ids]
    db.session.add(room)
    db.session.flush()
    audit.record(
        "room.created",
        actor=actor,
        organization=org,
        room=room,
        visibility=visibility,
    )
    db.session.commit()
    return room


def update_room(
    room: Room,
    *,
    actor: Account,
    name: str,
    topic: str,
    visibility: str,
    partner_org_ids=(),
    retention_days: int,
    on_author_deletion: str = "remove",
) -> None:
    """Edit a room; narrowing who may join closes the sockets of those who lose it."""
    room.name = " ".join(name.split())
    room.topic = topic.strip()
    room.visibility = visibility
    room.retention_days = retention_days
    room.on_author_deletion = _author_rule(on_author_deletion)
    room.partners = [RoomPartner(org_id=org_id) for org_id in partner_org_ids]
    org = db.session.get(Organization, room.host_org_id)
    audit.record(
        "room.updated",
        actor=actor,
        organization=org,
        room=room,
        visibility=visibility,
    )
    db.session.commit()
    _reverify_present(room)


def _author_rule(choice: str) -> str:
    # Anything but an explicit "keep" removes: the safer reading.
    return choice if choice in AUTHOR_DELETION_CHOICES else "remove"


def archive_room(room: Room, *, actor: Account) -> None:
    """Archive a room: it leaves every room list and accepts nothing more."""
    room.archived_at = utcnow()
    org = db.session.get(Organization, room.host_org_id)
    audit.record("room.archived", actor=actor, organization=org, room=room)
    db.session.commit()
    _reverify_present(room)


def _reverify_present(room: Room) -> None:
    """Re-check everyone inside the room now (they rejoin if still allowed)."""
    accounts = set(
        db.session.scalars(
            select(RoomPresence.account_id).where(RoomPresence.room_id == room.id)
        )
    )
    if accounts:
        realtime.reverify(account_ids=accounts)


def partner_choices(org: Organization) -> list[Organization]:
    """Organizations at effective `collaborate` or above with the host."""
    ids = policy.trusted_org_ids(org.id, TrustLevel.COLLABORATE)
    return list(
        db.session.scalars(
            select(Organization)
            .where(Organization.id.in_(ids))
            .order_by(Organization.name)
        )
    )


def room_list(actor: Account) -> list[tuple[Room, int]]:
    """Rooms the actor may join, with their unread counts (two queries in all).
    Direct conversations are never listed here (the conversations page has them)."""
    rooms = list(
        db.session.scalars(
            policy.visible_rooms(select(Room), actor)
            .where(Room.kind != "direct")
            .order_by(Room.name)
        )
    )
    if not rooms:
        return []
    ids = [room.id for room in rooms]
    read = (
        select(RoomMember.room_id, RoomMember.last_read_id)
        .where(RoomMember.account_id == actor.id)
        .subquery()
    )
    counts = dict(
        db.session.execute(
            select(Message.room_id, func.count(Message.id))
            .outerjoin(read, read.c.room_id == Message.room_id)
            .where(
                Message.room_id.in_(ids),
                Message.deleted_at.is_(None),
                Message.author_id != actor.id,
                Message.id > func.coalesce(read.c.last_read_id, 0),
                Message.author_id.not_in(policy.room_apart_ids(actor.id)),
            )
            .group_by(Message.room_id)
        ).all()
    )
    return [(room, counts.get(room.id, 0)) for room in rooms]


# --- supervision rooms -------------------------------------------------------------


def invitations(account: Account) -> list[Room]:
    """Supervision rooms the account is invited to."""
    return list(
        db.session.scalars(
            select(Room)
            .join(RoomMember, RoomMember.room_id == Room.id)
            .where(
                RoomMember.account_id == account.id,
                RoomMember.status == "invited",
                Room.archived_at.is_(None),
            )
        )
    )


def requestable(account: Account) -> list[tuple[Room, bool]]:
    """Supervision rooms one may ask to join, and whether one already asked."""
    rooms = list(
        db.session.scalars(
            policy.requestable_rooms(select(Room), account).order_by(Room.name)
        )
    )
    asked = set(
        db.session.scalars(
            select(RoomMember.room_id).where(
                RoomMember.account_id == account.id, RoomMember.status == "requested"
            )
        )
    )
    pending = list(db.session.scalars(select(Room).where(Room.id.in_(asked))))
    return [(room, False) for room in rooms] + [(room, True) for room in pending]
