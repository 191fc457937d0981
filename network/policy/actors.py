"""Who the actor is: signed in, platform admin, approved member, lead."""

from __future__ import annotations

from network.errors import NotFound
from network.models import Account, Membership, Organization, Role, Status


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
    """The socket connect gate: same rule as using the network at all, and a
    member whose organization requires two-factor login has enrolled."""
    return can_use_network(actor) and not must_enrol_two_factor(actor)


def must_enrol_two_factor(actor) -> bool:
    """An approved member whose organization requires two-factor login and who
    has not enrolled: they may reach the enrolment page and sign out, nothing else."""
    membership = active_membership(actor)
    return (
        membership is not None
        and membership.organization.require_two_factor
        and actor.totp_secret is None
    )


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
