"""Members as their lead sees them, and an organization's own settings."""

from __future__ import annotations

from sqlalchemy import Select, select

from network.errors import NotFound
from network.extensions import db
from network.models import (
    Invitation,
    Membership,
    Organization,
    Profile,
    Role,
    Status,
    VettingItem,
)
from network.policy.actors import is_admin, lead_org, require_admin

ROLE_RANK = {Role.MEMBER: 0, Role.MODERATOR: 1, Role.LEAD: 2}


def visible_memberships(stmt: Select, actor) -> Select:
    """Filter memberships to those the actor may manage (their own org, as lead)."""
    org = lead_org(actor)
    if org is None:
        return stmt.where(Membership.id.is_(None))
    return stmt.where(Membership.organization_id == org.id)


def can_manage_membership(actor, membership: Membership) -> bool:
    """A lead manages the memberships of their own organization only."""
    org = lead_org(actor)
    return org is not None and membership.organization_id == org.id


def access_membership(actor, profile_public_id: str) -> Membership:
    """A membership of the lead's own organization, by the member's public id."""
    stmt = (
        select(Membership)
        .join(Profile, Profile.account_id == Membership.account_id)
        .where(Profile.public_id == profile_public_id)
    )
    membership = db.session.scalar(visible_memberships(stmt, actor))
    if membership is None or not can_manage_membership(actor, membership):
        raise NotFound()
    return membership


def access_listed_member(actor, profile_public_id: str) -> Membership:
    """An approved or suspended member of the lead's organization (the members
    list's detail page); a pending or rejected one answers like a missing one."""
    membership = access_membership(actor, profile_public_id)
    if membership.status not in {Status.APPROVED, Status.SUSPENDED}:
        raise NotFound()
    return membership


def access_pending_request(actor, profile_public_id: str) -> Membership:
    """A pending join request to the lead's own organization."""
    membership = access_membership(actor, profile_public_id)
    if membership.status != Status.PENDING:
        raise NotFound()
    return membership


def can_change_status(actor, membership: Membership) -> bool:
    """Leads suspend and reinstate others in their org, never themselves."""
    return (
        can_manage_membership(actor, membership) and membership.account_id != actor.id
    )


def require_status_change(actor, membership: Membership) -> None:
    """Raise NotFound unless the actor may change this member's status."""
    if not can_change_status(actor, membership):
        raise NotFound()


def can_set_role(actor, membership: Membership, role: str) -> bool:
    """Leads set roles of approved members of their org, but not their own role."""
    return (
        can_change_status(actor, membership)
        and membership.status == Status.APPROVED
        and role in ROLE_RANK
    )


def can_issue_reset_code(actor, membership: Membership) -> bool:
    """A lead may issue a reset code to an approved or suspended member of their org."""
    return can_change_status(actor, membership) and membership.status in {
        Status.APPROVED,
        Status.SUSPENDED,
    }


def access_invitation(actor, invitation_public_id: str) -> Invitation:
    """An invitation issued for the lead's own organization."""
    org = lead_org(actor)
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.public_id == invitation_public_id)
    )
    if org is None or invitation is None or invitation.organization_id != org.id:
        raise NotFound()
    return invitation


def access_vetting_item(actor, item_id: int) -> VettingItem:
    """A checklist item of the lead's own organization."""
    org = lead_org(actor)
    item = db.session.get(VettingItem, item_id)
    if org is None or item is None or item.organization_id != org.id or not item.active:
        raise NotFound()
    return item


def access_org_audit(actor, org_public_id: str) -> Organization:
    """An organization's audit log: its own leads and the platform admin."""
    org = db.session.scalar(
        select(Organization).where(Organization.public_id == org_public_id)
    )
    if org is None:
        raise NotFound()
    if is_admin(actor):
        return org
    own = lead_org(actor)
    if own is None or own.id != org.id:
        raise NotFound()
    return org


def access_org_as_admin(actor, org_public_id: str) -> Organization:
    """Any organization, for the platform admin only."""
    require_admin(actor)
    org = db.session.scalar(
        select(Organization).where(Organization.public_id == org_public_id)
    )
    if org is None:
        raise NotFound()
    return org


def visible_join_targets(stmt: Select) -> Select:
    """Organizations a newcomer may ask to join: active and accepting requests."""
    return stmt.where(
        Organization.suspended_at.is_(None), Organization.accepts_requests.is_(True)
    )
