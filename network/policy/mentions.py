"""Mentions: whom a writer may mention (and be suggested) in a room.

A person is mentionable by the writer in a room when they are an active member
of it, can themselves read it (an approved member of an active organization in
the room's audience), and the writer may meet them in a room (no block or
separation either way, trust at `collaborate` or above): the same people the
writer sees there. Anyone else is never suggested, and `@name` of them stays
plain text and notifies nobody.
"""

from __future__ import annotations

from sqlalchemy import Select, false, select

from network.extensions import db
from network.models import (
    Account,
    Membership,
    Organization,
    Room,
    RoomMember,
    RoomPartner,
    Status,
    TrustLevel,
)
from network.models.orgs import ROOM_MANAGER_ROLES
from network.policy.actors import _account
from network.policy.room_people import room_people_criterion
from network.policy.trust import trusted_org_ids


def visible_mentionable(stmt: Select, actor, room: Room, account_column) -> Select:
    """Filter people (account_column) to those the actor may mention in room:
    twin of can_mention."""
    account = _account(actor)
    if account is None:
        return stmt.where(false())
    return stmt.where(
        account_column != account.id,
        account_column.in_(_active_members(room)),
        account_column.in_(_readers(room)),
        room_people_criterion(account_column, account.id),
    )


def can_mention(actor, room: Room, account_id: int) -> bool:
    """Whether `@` of this person in room reaches them (visible_mentionable's
    yes/no form, through the same filter)."""
    stmt = visible_mentionable(
        select(Account.id).where(Account.id == account_id), actor, room, Account.id
    )
    return db.session.scalar(stmt) is not None


def _active_members(room: Room) -> Select:
    """Active members of the room; a row made only by a role counts while the
    role lasts (as policy.rooms._row_counts)."""
    managers = select(Membership.account_id).where(
        Membership.organization_id == room.host_org_id,
        Membership.role.in_([str(role) for role in ROOM_MANAGER_ROLES]),
    )
    return select(RoomMember.account_id).where(
        RoomMember.room_id == room.id,
        RoomMember.status == "active",
        RoomMember.via_role.is_(False) | RoomMember.account_id.in_(managers),
    )


def _readers(room: Room) -> Select:
    """Approved members of active organizations in the room's audience (with an
    active member row, as _active_members requires, that is can_join_room)."""
    readers = (
        select(Membership.account_id)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(
            Membership.status == Status.APPROVED, Organization.suspended_at.is_(None)
        )
    )
    if room.kind == "supervision" and room.private:
        return readers  # a private supervision room: its member rows decide
    audience = Membership.organization_id == room.host_org_id
    if room.visibility == "partners" and not room.private:
        subset = select(RoomPartner.org_id).where(RoomPartner.room_id == room.id)
        audience = audience | (
            Membership.organization_id.in_(
                trusted_org_ids(room.host_org_id, TrustLevel.COLLABORATE)
            )
            & (~subset.exists() | Membership.organization_id.in_(subset))
        )
    return readers.where(audience)
