"""Availability and breaks: who may see that a person is on a break.

Everyone else sees only "away" (docs/security.md, "Availability and breaks").
The break state is seen by the person themself; by a named facilitator of a
supervision room of the person's own organization that the person is an
active member of (the supervision relationship the break is about); and by
the organization's leads only when the person chose to share it with them.
Never across organizations, never by someone kept apart from the person.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, literal, or_, select
from sqlalchemy.orm import aliased

from network.extensions import db
from network.models import Membership, Profile, Role, Room, RoomMember, Status
from network.policy.actors import _account, active_membership
from network.policy.safety import kept_apart


def break_visible_criterion(subject_id, viewer_id) -> ColumnElement[bool]:
    """SQL: the viewer may see whether the subject is on a break (the subject's
    Profile must be in the query's FROM for the share flag). One expression,
    so a presence list decides for everyone in its own query."""
    viewer_m, subject_m = aliased(Membership), aliased(Membership)
    same_org = and_(
        viewer_m.account_id == viewer_id,
        viewer_m.status == Status.APPROVED,
        subject_m.account_id == subject_id,
        subject_m.status == Status.APPROVED,
        subject_m.organization_id == viewer_m.organization_id,
    )
    shared_with_lead = and_(
        Profile.share_break_with_leads.is_(True),
        exists().where(same_org, viewer_m.role == Role.LEAD),
    )
    facilitator, member = aliased(RoomMember), aliased(RoomMember)
    facilitates = exists().where(
        same_org,
        Room.kind == "supervision",
        Room.host_org_id == viewer_m.organization_id,
        facilitator.room_id == Room.id,
        facilitator.account_id == viewer_id,
        facilitator.role == "facilitator",
        facilitator.status == "active",
        member.room_id == Room.id,
        member.account_id == subject_id,
        member.status == "active",
    )
    return or_(subject_id == viewer_id, shared_with_lead, facilitates)


def can_see_break(viewer, subject) -> bool:
    """Whether the viewer may see that `subject` (an Account) is on a break,
    rather than only "away" (break_visible_criterion, for one person)."""
    account = _account(viewer)
    if account is None or subject is None or active_membership(account) is None:
        return False
    if account.id == subject.id:
        return True
    if active_membership(subject) is None or kept_apart(account.id, subject.id):
        return False
    return bool(
        db.session.scalar(
            select(literal(True))
            .select_from(Profile)
            .where(
                Profile.account_id == subject.id,
                break_visible_criterion(literal(subject.id), literal(account.id)),
            )
        )
    )


def can_see_break_count(viewer) -> bool:
    """An organization's leads see how many of its members are on a break
    (never who, unless each chose to share it)."""
    membership = active_membership(viewer)
    return membership is not None and membership.role == Role.LEAD
