"""What is happening in a supervision room now: who facilitates it, whether a
session runs, whether it is open. Facts, not rules: policy and features read them."""

from __future__ import annotations

from sqlalchemy import Select, select, union

from network.extensions import db
from network.models.orgs import ROOM_MANAGER_ROLES, Membership, Status
from network.models.rooms import Room, RoomMember, RoomPresence, SupervisionSession
from network.models.types import utcnow


def session_running(room: Room, now=None) -> SupervisionSession | None:
    """The supervision session running in the room now, if any."""
    now = now or utcnow()
    return db.session.scalar(
        select(SupervisionSession)
        .where(
            SupervisionSession.room_id == room.id,
            SupervisionSession.cancelled_at.is_(None),
            SupervisionSession.starts_at <= now,
            SupervisionSession.ends_at > now,
        )
        .limit(1)
    )


def facilitator_ids(room: Room) -> Select:
    """Accounts who facilitate the room: named facilitators and host managers."""
    named = select(RoomMember.account_id).where(
        RoomMember.room_id == room.id,
        RoomMember.role == "facilitator",
        RoomMember.status == "active",
    )
    managers = select(Membership.account_id).where(
        Membership.organization_id == room.host_org_id,
        Membership.status == Status.APPROVED,
        Membership.role.in_([str(role) for role in ROOM_MANAGER_ROLES]),
    )
    return union(named, managers)


def facilitator_present(room: Room) -> bool:
    """True while a facilitator has the room open."""
    return (
        db.session.scalar(
            select(RoomPresence.sid)
            .where(
                RoomPresence.room_id == room.id,
                RoomPresence.account_id.in_(facilitator_ids(room)),
            )
            .limit(1)
        )
        is not None
    )


def room_open(room: Room) -> bool:
    """Channels are always open; supervision rooms only when supervised."""
    if room.kind != "supervision":
        return True
    return session_running(room) is not None or facilitator_present(room)
