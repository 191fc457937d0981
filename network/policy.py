"""Every permission and trust rule of the network, in one place.

Kinds of function, by prefix:
- ``can_*``     -> bool, for templates and branches;
- ``require_*`` -> returns nothing or raises NotFound;
- ``access_*``  -> fetches and checks in one call: the object, or the same NotFound
                   an absent object raises (deny is indistinguishable from absent);
- ``visible_*`` -> a query filter that must agree with the matching ``can_*``.
"""

from __future__ import annotations

from sqlalchemy import Select, select

from network.errors import NotFound
from network.extensions import db
from network.models import (
    Account,
    Invitation,
    Membership,
    Organization,
    Profile,
    Role,
    Status,
    VettingItem,
)

ROLE_RANK = {Role.MEMBER: 0, Role.MODERATOR: 1, Role.LEAD: 2}


def _account(actor) -> Account | None:
    """Treat Flask-Login's anonymous user and None alike."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return actor


def is_admin(actor) -> bool:
    """The platform admin runs the network; it is not a member of any organization."""
    account = _account(actor)
    return bool(account and account.is_platform_admin)


def active_membership(actor) -> Membership | None:
    """The actor's membership if approved in an organization that is not suspended."""
    account = _account(actor)
    if account is None or account.membership is None:
        return None
    membership = account.membership
    if membership.status != Status.APPROVED or not membership.organization.is_active:
        return None
    return membership


def can_use_network(actor) -> bool:
    """Approved members of active organizations, and the platform admin."""
    return is_admin(actor) or active_membership(actor) is not None


def can_connect_socket(actor) -> bool:
    """The socket connect gate: same rule as using the network at all."""
    return can_use_network(actor)


def is_waiting(actor) -> bool:
    """Logged in, but pending, rejected, suspended, or in a suspended organization."""
    account = _account(actor)
    return account is not None and not can_use_network(account)


def lead_org(actor) -> Organization | None:
    """The organization the actor leads, if they are an active lead."""
    membership = active_membership(actor)
    if membership is None or membership.role != Role.LEAD:
        return None
    return membership.organization


def can_lead(actor) -> bool:
    """True for an approved lead of an active organization."""
    return lead_org(actor) is not None


def require_lead(actor) -> Organization:
    """The organization the actor leads, or NotFound."""
    org = lead_org(actor)
    if org is None:
        raise NotFound()
    return org


def require_admin(actor) -> None:
    """NotFound unless the actor is the platform admin."""
    if not is_admin(actor):
        raise NotFound()


# --- members, as a lead sees them -------------------------------------------------


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


# --- organization settings ---------------------------------------------------------


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


# --- profiles ------------------------------------------------------------------------


def can_see_profile(actor, profile: Profile) -> bool:
    """Self always; otherwise two approved members of the same active organization.

    Cross-organization visibility arrives with trust levels (a later issue).
    """
    account = _account(actor)
    if account is None:
        return False
    if profile.account_id == account.id:
        return True
    mine = active_membership(account)
    theirs = profile.account.membership
    return (
        mine is not None
        and theirs is not None
        and theirs.status == Status.APPROVED
        and theirs.organization_id == mine.organization_id
    )


def visible_profiles(stmt: Select, actor) -> Select:
    """Filter a Profile query to the profiles can_see_profile allows."""
    account = _account(actor)
    if account is None:
        return stmt.where(Profile.id.is_(None))
    mine = active_membership(account)
    if mine is None:
        return stmt.where(Profile.account_id == account.id)
    same_org = select(Membership.account_id).where(
        Membership.organization_id == mine.organization_id,
        Membership.status == Status.APPROVED,
    )
    return stmt.where(
        (Profile.account_id == account.id) | Profile.account_id.in_(same_org)
    )


def access_profile(actor, public_id: str) -> Profile:
    """A profile the actor may see, or the NotFound a missing profile gives."""
    profile = db.session.scalar(select(Profile).where(Profile.public_id == public_id))
    if profile is None or not can_see_profile(actor, profile):
        raise NotFound()
    return profile
