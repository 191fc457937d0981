"""Deleting accounts: one's own, and a lead's for someone whose membership ended."""

from __future__ import annotations

from network.errors import NotFound
from network.models import Membership, Status
from network.policy.actors import _account
from network.policy.members import access_membership, can_manage_membership

# Memberships that ended: the lead suspended it (there is no "left" status: a
# member who leaves asks their lead, who suspends) or declined the request.
DEPARTED = frozenset({Status.SUSPENDED, Status.REJECTED})


def can_delete_own_account(actor) -> bool:
    """Any signed-in person may delete their own account, except the platform
    admin (the network would lose its only operator: another admin removes it)."""
    account = _account(actor)
    return (
        account is not None
        and not account.is_platform_admin
        and account.deleted_at is None
    )


def can_erase_member(actor, membership: Membership) -> bool:
    """A lead may delete the account of someone whose membership in the lead's
    organization ended; never an active member, never another organization's."""
    account = _account(actor)
    if account is None or membership.account_id == account.id:
        return False
    return can_manage_membership(account, membership) and membership.status in DEPARTED


def access_departed_member(actor, profile_public_id: str) -> Membership:
    """A departed member of the lead's organization, or the same NotFound as a
    missing one (an active member or another organization's answers alike)."""
    membership = access_membership(actor, profile_public_id)
    if not can_erase_member(actor, membership):
        raise NotFound()
    return membership
