"""Profiles: who sees whom in the directory, and who may reach whom."""

from __future__ import annotations

from sqlalchemy import Select, select

from network.errors import NotFound
from network.extensions import db
from network.models import (
    Account,
    Membership,
    Organization,
    Profile,
    Status,
    TrustLevel,
)
from network.policy.actors import _account, active_membership
from network.policy.safety import blocked_ids, kept_apart, separated_ids
from network.policy.trust import effective_trust, trusted_org_ids


def can_see_profile(actor, profile: Profile) -> bool:
    """Self always. Otherwise an approved member of an active organization who is
    not blocked or separated, in the viewer's own organization, or in one at
    effective trust `see` or above and not hidden from other organizations."""
    account = _account(actor)
    if account is None:
        return False
    if profile.account_id == account.id:
        return True
    mine = active_membership(account)
    theirs = profile.account.membership
    if mine is None or theirs is None or theirs.status != Status.APPROVED:
        return False
    if not theirs.organization.is_active or kept_apart(account, profile.account_id):
        return False
    if theirs.organization_id == mine.organization_id:
        return True
    if profile.hidden_from_other_orgs:
        return False
    return (
        effective_trust(mine.organization_id, theirs.organization_id) >= TrustLevel.SEE
    )


def visible_profiles(stmt: Select, actor) -> Select:
    """Filter a Profile query to exactly the profiles can_see_profile allows."""
    account = _account(actor)
    if account is None:
        return stmt.where(Profile.id.is_(None))
    mine = active_membership(account)
    if mine is None:
        return stmt.where(Profile.account_id == account.id)
    others = (
        select(Membership.account_id)
        .join(Organization, Organization.id == Membership.organization_id)
        .join(Profile, Profile.account_id == Membership.account_id)
        .where(
            Membership.status == Status.APPROVED,
            Organization.suspended_at.is_(None),
            Membership.account_id.not_in(blocked_ids(account.id)),
            Membership.account_id.not_in(separated_ids(account.id)),
            (Membership.organization_id == mine.organization_id)
            | (
                Profile.hidden_from_other_orgs.is_(False)
                & Membership.organization_id.in_(
                    trusted_org_ids(mine.organization_id, TrustLevel.SEE)
                )
            ),
        )
    )
    return stmt.where(
        (Profile.account_id == account.id) | Profile.account_id.in_(others)
    )


def access_profile(actor, public_id: str) -> Profile:
    """A profile the actor may see, or the NotFound a missing profile gives.
    Fetched through visible_profiles in one query, so a hidden profile and a
    missing one run the same statements (no timing oracle)."""
    profile = db.session.scalar(
        visible_profiles(select(Profile).where(Profile.public_id == public_id), actor)
    )
    if profile is None:
        raise NotFound()
    return profile


def can_see_org_name(actor, membership: Membership) -> bool:
    """Organization names show at effective `see` or above (and in one's own)."""
    mine = active_membership(actor)
    if mine is None:
        return False
    level = effective_trust(mine.organization_id, membership.organization_id)
    return level >= TrustLevel.SEE


def org_label(actor, membership: Membership) -> str:
    """The organization's name, or "partner organization" where it may not show."""
    if can_see_org_name(actor, membership):
        return membership.organization.name
    return "partner organization"


def can_talk_directly(a, b) -> bool:
    """Two different people who may be in a direct conversation: both approved
    members of active organizations at effective `message` (or the same
    organization), neither blocked nor separated. It decides both asking and
    whether an open conversation stays open."""
    first, second = _account(a), _account(b)
    if first is None or second is None or first.id == second.id:
        return False
    mine = active_membership(first)
    theirs = active_membership(second)
    if mine is None or theirs is None or kept_apart(first, second):
        return False
    return effective_trust(mine.organization_id, theirs.organization_id) >= (
        TrustLevel.MESSAGE
    )


def can_request_message(actor, other: Account) -> bool:
    """Message requests: can_talk_directly, and the recipient accepts requests
    from the actor (Profile.accept_requests: anyone, org only, nobody)."""
    if not can_talk_directly(actor, other):
        return False
    setting = other.profile.accept_requests if other.profile else "nobody"
    if setting == "anyone":
        return True
    if setting == "org":
        return (
            active_membership(actor).organization_id
            == active_membership(other).organization_id
        )
    return False


def can_block(actor, profile: Profile) -> bool:
    """Anyone may block a person whose profile they can see, except themselves."""
    return can_see_profile(actor, profile) and profile.account_id != actor.id
