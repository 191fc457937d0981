"""Rooms: their audience, who joins, who moderates, who manages."""

from __future__ import annotations

import functools

from sqlalchemy import Select, and_, bindparam, select
from sqlalchemy.orm import lazyload

from network.errors import NotFound
from network.extensions import db
from network.models import (
    Membership,
    Organization,
    Room,
    RoomMember,
    RoomPartner,
    TrustLevel,
)
from network.models.orgs import ROOM_MANAGER_ROLES
from network.policy.actors import _account, active_membership, lead_org
from network.policy.direct import DIRECT, _direct_pair_open, direct_room_open
from network.policy.room_memo import RoomAccess, _access_memo, _memoized
from network.policy.trust import can_collaborate, trusted_org_ids


def room_manager_org(actor) -> Organization | None:
    """The organization whose rooms the actor may create and edit (lead, moderator)."""
    membership = active_membership(actor)
    if membership is None or membership.role not in ROOM_MANAGER_ROLES:
        return None
    return membership.organization


# A moderator took them out of the room: they cannot join until let back in.
SHUT_OUT = ("removed", "banned")


def shut_out_reason(actor, room_public_id) -> str | None:
    """Why a moderator removed or banned the actor from this room ("" when no
    reason was kept), or None when they were not. Told to that person only."""
    account = _account(actor)
    if account is None or not isinstance(room_public_id, str):
        return None
    return db.session.scalar(
        select(RoomMember.removed_reason)
        .join(Room, Room.id == RoomMember.room_id)
        .where(
            Room.public_id == room_public_id,
            RoomMember.account_id == account.id,
            RoomMember.status.in_(SHUT_OUT),
        )
    )


def _room_member(actor, room: Room) -> RoomMember | None:
    account = _account(actor)
    if account is None:
        return None
    return db.session.scalar(
        select(RoomMember).where(
            RoomMember.room_id == room.id, RoomMember.account_id == account.id
        )
    )


def _in_audience(membership: Membership, room: Room) -> bool:
    """The host's members, and for partner rooms organizations at `collaborate`
    or above with the host (or the host's chosen subset of them)."""
    if membership.organization_id == room.host_org_id:
        return True
    if room.visibility != "partners" or room.private:
        return False
    subset = room.partner_org_ids
    if subset and membership.organization_id not in subset:
        return False
    return can_collaborate(room.host_org_id, membership.organization_id)


def _room_usable(room: Room) -> bool:
    host = db.session.get(Organization, room.host_org_id)
    return room.archived_at is None and host is not None and host.is_active


def is_host_manager(actor, room: Room) -> bool:
    """A lead or moderator of the room's host organization (never of a direct
    conversation: it has no manager)."""
    membership = active_membership(actor)
    return (
        room.kind != DIRECT
        and membership is not None
        and membership.organization_id == room.host_org_id
        and membership.role in ROOM_MANAGER_ROLES
    )


def _row_counts(actor, row: RoomMember, room: Room) -> bool:
    """A row made only because of a role (a lead or moderator opening a room or a
    one-to-one space) counts only while the role lasts: access ends with it."""
    return not row.via_role or is_host_manager(actor, room)


def can_moderate(actor, room: Room) -> bool:
    """Host leads and moderators, and the room's named facilitators. A moderator of
    another organization has no power here, even as a member of the room. A
    one-to-one space is moderated by its own facilitator only."""
    known = _memoized(actor, room)
    if known is not None:
        return known.moderates
    if not _room_usable(room) or active_membership(actor) is None:
        return False
    return _moderates(actor, room, _room_member(actor, room))


def _moderates(actor, room: Room, row: RoomMember | None) -> bool:
    """can_moderate for a usable room and an active member whose row is in hand.
    Nobody moderates a direct conversation."""
    if room.kind == DIRECT:
        return False
    if is_host_manager(actor, room) and not room.private:
        return True
    if row is None or not _row_counts(actor, row, room):
        return False
    return row.role == "facilitator" and row.status == "active"


def can_join_room(actor, room: Room) -> bool:
    """Channels: the audience (host, or partners) unless banned. Supervision rooms:
    host managers and the room's active members (invited or approved)."""
    membership = active_membership(actor)
    if membership is None or not _room_usable(room):
        return False
    row = _room_member(actor, room)
    if row is not None and row.status in SHUT_OUT:
        return False
    if room.kind == "channel":
        return _in_audience(membership, room)
    if room.kind == DIRECT:
        active = row is not None and row.status == "active" and not row.via_role
        return active and direct_room_open(actor, room)
    if row is not None and row.status == "active" and _row_counts(actor, row, room):
        return room.private or _in_audience(membership, room)
    return not room.private and is_host_manager(actor, room)


def can_request_to_join(actor, room: Room) -> bool:
    """A supervision room in one's audience that one is not (yet) part of."""
    membership = active_membership(actor)
    if membership is None or not _room_usable(room) or room.kind != "supervision":
        return False
    if room.private or not _in_audience(membership, room):
        return False
    return not can_join_room(actor, room) and _room_member(actor, room) is None


def visible_rooms(stmt: Select, actor) -> Select:
    """Filter a Room query to exactly the rooms can_join_room allows."""
    membership = active_membership(actor)
    if membership is None:
        return stmt.where(Room.id.is_(None))
    return stmt.where(
        *_visible_room_criteria(
            membership.organization_id,
            membership.account_id,
            membership.role in ROOM_MANAGER_ROLES,
        )
    )


def _visible_room_criteria(org_id, account_id, is_manager: bool) -> tuple:
    """visible_rooms' conditions; org_id and account_id may be bound parameters
    (the hot paths build the statement once and bind them per event)."""
    audience = (Room.host_org_id == org_id) | (
        (Room.visibility == "partners")
        & Room.private.is_(False)
        & Room.host_org_id.in_(trusted_org_ids(org_id, TrustLevel.COLLABORATE))
        & (~Room.partners.any() | Room.partners.any(RoomPartner.org_id == org_id))
    )

    def rows(status: str):
        return select(RoomMember.room_id).where(
            RoomMember.account_id == account_id, RoomMember.status == status
        )

    manager = (
        (Room.host_org_id == org_id) & Room.private.is_(False)
        if is_manager
        else Room.id.is_(None)
    )
    joined = Room.id.in_(rows("active").where(RoomMember.via_role.is_(False)))
    if is_manager:  # rows from a role count while the role lasts (_row_counts)
        joined = joined | (Room.id.in_(rows("active")) & (Room.host_org_id == org_id))
    supervision = (Room.kind == "supervision") & (
        (joined & (Room.private | audience)) | manager
    )
    # Its two members only: no role, no audience, no admin ever reaches it; and
    # only while the two may still talk (direct_room_open, as a filter).
    direct = (
        (Room.kind == DIRECT)
        & Room.closed_at.is_(None)
        & Room.id.in_(rows("active").where(RoomMember.via_role.is_(False)))
        & _direct_pair_open(org_id, account_id)
    )
    return (
        Room.archived_at.is_(None),
        Room.host_org_id.in_(
            select(Organization.id).where(Organization.suspended_at.is_(None))
        ),
        ((Room.kind == "channel") & audience) | supervision | direct,
        Room.id.not_in(
            select(RoomMember.room_id).where(
                RoomMember.account_id == account_id,
                RoomMember.status.in_(SHUT_OUT),
            )
        ),
    )


def requestable_rooms(stmt: Select, actor) -> Select:
    """Supervision rooms the actor may ask to join (twin of can_request_to_join)."""
    membership = active_membership(actor)
    if membership is None:
        return stmt.where(Room.id.is_(None))
    org_id = membership.organization_id
    mine = select(RoomMember.room_id).where(
        RoomMember.account_id == membership.account_id
    )
    audience = (Room.host_org_id == org_id) | (
        (Room.visibility == "partners")
        & Room.host_org_id.in_(trusted_org_ids(org_id, TrustLevel.COLLABORATE))
        & (~Room.partners.any() | Room.partners.any(RoomPartner.org_id == org_id))
    )
    not_manager = (
        Room.host_org_id != org_id
        if membership.role in ROOM_MANAGER_ROLES
        else Room.id.is_not(None)
    )
    return stmt.where(
        Room.kind == "supervision",
        Room.private.is_(False),
        Room.archived_at.is_(None),
        Room.host_org_id.in_(
            select(Organization.id).where(Organization.suspended_at.is_(None))
        ),
        audience,
        not_manager,
        Room.id.not_in(mine),
    )


@functools.cache
def _room_with_row(is_manager: bool) -> Select:
    """The room, if visible to the actor, with the actor's member row (outer
    join). Built once per role kind, with the actor and room bound per call:
    building this statement cost more than running it."""
    own_row = and_(
        RoomMember.room_id == Room.id,
        RoomMember.account_id == bindparam("account_id"),
    )
    return (
        select(Room, RoomMember)
        .outerjoin(RoomMember, own_row)
        .where(
            Room.public_id == bindparam("room_public_id"),
            *_visible_room_criteria(
                bindparam("org_id"), bindparam("account_id"), is_manager
            ),
        )
        .options(lazyload(Room.partners))
        .execution_options(populate_existing=True)
    )


def access_room_context(actor, room_public_id) -> RoomAccess:
    """A room the actor may join with what the check fetched, or the NotFound a
    missing room gives. One query through the visible_rooms filter: denied and
    missing run the same statements."""
    if not isinstance(room_public_id, str):
        raise NotFound()
    membership = active_membership(actor)
    if membership is None:
        raise NotFound()
    found = db.session.execute(
        _room_with_row(membership.role in ROOM_MANAGER_ROLES),
        {
            "room_public_id": room_public_id,
            "org_id": membership.organization_id,
            "account_id": membership.account_id,
        },
    ).first()
    if found is None:
        raise NotFound()
    room, row = found
    access = RoomAccess(room, row, membership, _moderates(actor, room, row))
    _access_memo()[(actor.id, room.id)] = access
    return access


def access_room(actor, room_public_id) -> Room:
    """A room the actor may join, or the NotFound a missing room gives."""
    return access_room_context(actor, room_public_id).room


def can_manage_room(actor, room: Room) -> bool:
    """The yes/no twin of access_managed_room, for a room already in hand."""
    org = room_manager_org(actor)
    return (
        org is not None
        and room.kind != DIRECT
        and room.host_org_id == org.id
        and room.archived_at is None
    )


def access_managed_room(actor, room_public_id: str) -> Room:
    """A room of the actor's organization that they manage (lead or moderator)."""
    org = room_manager_org(actor)
    room = db.session.scalar(
        select(Room).where(
            Room.public_id == room_public_id,
            Room.host_org_id == (org.id if org else None),
            Room.kind != DIRECT,
            Room.archived_at.is_(None),
        )
    )
    if room is None:
        raise NotFound()
    return room


def access_moderated_room(actor, room_public_id) -> Room:
    """A room the actor moderates (host lead/moderator or facilitator)."""
    if not isinstance(room_public_id, str):
        raise NotFound()
    room = db.session.scalar(select(Room).where(Room.public_id == room_public_id))
    if room is None or not can_moderate(actor, room):
        raise NotFound()
    return room


def can_name_facilitators(actor, room: Room) -> bool:
    """Only the host's leads name facilitators."""
    org = lead_org(actor)
    if org is None or room.kind == DIRECT:
        return False
    return org.id == room.host_org_id and _room_usable(room)
