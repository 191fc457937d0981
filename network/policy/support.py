"""Help: whom a request for support reaches, and who may handle it."""

from __future__ import annotations

from sqlalchemy import Select, select

from network.errors import NotFound
from network.extensions import db
from network.models import (
    Account,
    LiveSocket,
    Membership,
    Organization,
    Room,
    RoomMember,
    RoomPresence,
    Status,
    SupportRecipient,
    SupportRequest,
)
from network.models.availability import away_ids
from network.models.orgs import ROOM_MANAGER_ROLES
from network.models.supervision import facilitator_ids
from network.policy.actors import active_membership
from network.policy.rooms import _room_member
from network.policy.safety import kept_apart, kept_apart_ids


def _active_account_ids() -> Select:
    """Approved members of organizations that are not suspended."""
    return (
        select(Membership.account_id)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(
            Membership.status == Status.APPROVED, Organization.suspended_at.is_(None)
        )
    )


def _manager_ids(org_id: int) -> Select:
    """An organization's approved leads and moderators."""
    return select(Membership.account_id).where(
        Membership.organization_id == org_id,
        Membership.status == Status.APPROVED,
        Membership.role.in_([str(role) for role in ROOM_MANAGER_ROLES]),
    )


def can_ask_for_help(room: Room) -> bool:
    """Help requests and support alerts come from rooms someone watches over:
    never from a direct conversation (no lead or moderator may reach one)."""
    return room.kind != "direct"


def support_recipient_ids(
    room: Room, asker: Account, *, online: bool = False
) -> list[int]:
    """Who a help request or support alert from `asker` in `room` reaches: the
    facilitators present; else the host's leads and moderators; else, in another
    organization's room, the asker's own leads and moderators. Anyone kept apart
    from the asker is skipped at every step. With `online`, only people with a
    connected socket count. Empty means nobody can be reached (always, from a
    direct conversation: nobody watches over one)."""
    if room.kind == "direct":
        return []
    present = select(RoomPresence.account_id).where(
        RoomPresence.room_id == room.id,
        RoomPresence.account_id.in_(facilitator_ids(room)),
    )
    tiers = [present, _manager_ids(room.host_org_id)]
    own = active_membership(asker)
    if own is not None and own.organization_id != room.host_org_id:
        tiers.append(_manager_ids(own.organization_id))
    for tier in tiers:
        column = tier.selected_columns[0]
        tier = tier.where(
            column != asker.id,
            column.not_in(kept_apart_ids(asker.id)),
            column.in_(_active_account_ids()),
        )
        if online:
            tier = tier.where(column.in_(select(LiveSocket.account_id)))
        found = set(db.session.scalars(tier))
        # Someone away (outside their hours or on a break) is not available
        # here: better "nobody can be reached" than a call nobody sees.
        found = sorted(found - away_ids(found)) if found else []
        if found:
            return found
    return []


def can_handle_support(actor, row: SupportRequest) -> bool:
    """Only someone the request reached, while not kept apart from the asker and
    still holding the part that made them reachable (facilitator of the room, or
    lead/moderator of the host or of the asker's organization)."""
    membership = active_membership(actor)
    if membership is None or row.requester_id == membership.account_id:
        return False
    reached = db.session.scalar(
        select(SupportRecipient.id).where(
            SupportRecipient.request_id == row.id,
            SupportRecipient.account_id == membership.account_id,
        )
    )
    if reached is None or kept_apart(membership.account_id, row.requester_id):
        return False
    room = db.session.get(Room, row.room_id)
    named = room is not None and _room_member(actor, room)
    if named and named.role == "facilitator" and named.status == "active":
        return True
    requester_org = db.session.scalar(
        select(Membership.organization_id).where(
            Membership.account_id == row.requester_id
        )
    )
    return membership.role in ROOM_MANAGER_ROLES and membership.organization_id in {
        row.host_org_id,
        requester_org,
    }


def visible_support_requests(stmt: Select, actor) -> Select:
    """The query-filter twin of can_handle_support (the home page's list)."""
    membership = active_membership(actor)
    if membership is None:
        return stmt.where(SupportRequest.id.is_(None))
    account_id = membership.account_id
    facilitated = select(RoomMember.room_id).where(
        RoomMember.account_id == account_id,
        RoomMember.role == "facilitator",
        RoomMember.status == "active",
    )
    part = SupportRequest.room_id.in_(facilitated)
    if membership.role in ROOM_MANAGER_ROLES:
        org_id = membership.organization_id
        own = select(Membership.account_id).where(Membership.organization_id == org_id)
        part = part | (SupportRequest.host_org_id == org_id)
        part = part | SupportRequest.requester_id.in_(own)
    reached = select(SupportRecipient.request_id).where(
        SupportRecipient.account_id == account_id
    )
    return stmt.where(
        SupportRequest.id.in_(reached),
        SupportRequest.requester_id != account_id,
        SupportRequest.requester_id.not_in(kept_apart_ids(account_id)),
        part,
    )


def access_support_request(actor, public_id) -> SupportRequest:
    """A help request or alert the actor may handle, or the NotFound of a missing one."""
    if not isinstance(public_id, str):
        raise NotFound()
    # One query through the list's filter: a request one may not handle runs
    # the same statements as a missing one.
    row = db.session.scalar(
        visible_support_requests(
            select(SupportRequest).where(SupportRequest.public_id == public_id), actor
        )
    )
    if row is None:
        raise NotFound()
    return row


def access_support_alert(actor, public_id) -> SupportRequest:
    """A support alert the actor may answer with a one-to-one space."""
    row = access_support_request(actor, public_id)
    if row.kind != "support":
        raise NotFound()
    return row
