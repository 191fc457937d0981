"""Two-factor login: who may require it for an organization, who may reset it."""

from __future__ import annotations

from network.models import Membership, Organization, Status
from network.policy.actors import active_membership, lead_org
from network.policy.members import can_change_status


def can_require_two_factor(actor, org: Organization) -> bool:
    """Only a lead of the organization sets whether its members need a second
    factor (the platform admin does not: it does not run organizations)."""
    own = lead_org(actor)
    return own is not None and own.id == org.id


def can_issue_two_factor_reset(actor, membership: Membership) -> bool:
    """A lead may issue a two-factor reset code to an approved or suspended member
    of their own organization, never to themselves (another lead of the same
    organization does that: a code one issues to oneself would turn a stolen
    password alone into a way around the second factor)."""
    return can_change_status(actor, membership) and membership.status in {
        Status.APPROVED,
        Status.SUSPENDED,
    }


def can_turn_off_two_factor(actor) -> bool:
    """Anyone may turn their own two-factor login off, unless their organization
    requires it (a lead's reset code is then the way back from a lost phone)."""
    membership = active_membership(actor)
    return membership is None or not membership.organization.require_two_factor
