"""Reports: who reviews a report, and what the reporter and the subject see."""

from __future__ import annotations

from sqlalchemy import Select, func, select

from network.errors import NotFound
from network.extensions import db
from network.models import (
    Account,
    Membership,
    Message,
    Organization,
    Profile,
    Report,
    ReviewOptOut,
    Role,
    Room,
    Status,
)
from network.models.orgs import ROOM_MANAGER_ROLES
from network.policy.actors import _account, active_membership, is_admin, lead_org
from network.policy.messages import visible_messages
from network.policy.profiles import access_profile
from network.policy.rooms import visible_rooms
from network.policy.safety import kept_apart, kept_apart_ids

# Who reviews each kind of report row (see Report.audience). "Someone from my past"
# is narrower: the reporter's leads (and the platform admins), never moderators.
REVIEW_ROLES = {
    "reporter": ROOM_MANAGER_ROLES,
    "host": ROOM_MANAGER_ROLES,
    "forwarded": {Role.LEAD},
}


PAST_ROLES = {Role.LEAD}


def _review_roles(report: Report) -> set:
    return PAST_ROLES if report.category == "past" else REVIEW_ROLES[report.audience]


def _excluded_reviewer(account: Account, report: Report) -> bool:
    """Nobody reviews a report about themselves or their own report, and nobody
    kept apart from the reporter or the subject sees it."""
    people = [report.reporter_id, report.target_account_id]
    if account.id in people:
        return True
    return any(person and kept_apart(account, person) for person in people)


def can_review_report(actor, report: Report) -> bool:
    """The organization the row is routed to: its leads and moderators (leads
    only for forwarded copies and "Someone from my past"), minus the subject,
    the reporter, anyone kept apart from either, and a moderator's opt-outs.
    The platform admins: originals marked for them and "Recruitment"."""
    account = _account(actor)
    if account is None or _excluded_reviewer(account, report):
        return False
    if is_admin(account):
        return report.copy_of_id is None and (
            report.admin_review or report.category == "recruitment"
        )
    membership = active_membership(account)
    if membership is None or membership.organization_id != report.routed_org_id:
        return False
    if membership.role not in _review_roles(report):
        return False
    opted = db.session.scalar(
        select(ReviewOptOut.id).where(
            ReviewOptOut.account_id == account.id,
            ReviewOptOut.category == report.category,
        )
    )
    return opted is None


def visible_reports(stmt: Select, actor) -> Select:
    """The review queue: the query-filter twin of can_review_report."""
    account = _account(actor)
    if account is None:
        return stmt.where(Report.id.is_(None))
    apart = kept_apart_ids(account.id)
    stmt = stmt.where(
        Report.reporter_id != account.id,
        Report.reporter_id.not_in(apart),
        func.coalesce(Report.target_account_id, 0) != account.id,
        func.coalesce(Report.target_account_id, 0).not_in(apart),
    )
    if is_admin(account):
        return stmt.where(
            Report.copy_of_id.is_(None),
            Report.admin_review | (Report.category == "recruitment"),
        )
    membership = active_membership(account)
    if membership is None:
        return stmt.where(Report.id.is_(None))
    audiences = [a for a, roles in REVIEW_ROLES.items() if membership.role in roles]
    opted = select(ReviewOptOut.category).where(ReviewOptOut.account_id == account.id)
    stmt = stmt.where(
        Report.routed_org_id == membership.organization_id,
        Report.audience.in_(audiences),
        Report.category.not_in(opted),
    )
    if membership.role not in PAST_ROLES:
        stmt = stmt.where(Report.category != "past")
    return stmt


def access_report_for_review(actor, public_id: str) -> Report:
    """A report in the actor's review queue."""
    report = db.session.scalar(select(Report).where(Report.public_id == public_id))
    if report is None or not can_review_report(actor, report):
        raise NotFound()
    return report


def has_reviewer(report: Report) -> bool:
    """Whether anyone of the routed organization may review this row (at filing:
    if not, the platform admins get it)."""
    candidates = db.session.scalars(
        select(Account)
        .join(Membership, Membership.account_id == Account.id)
        .where(
            Membership.organization_id == report.routed_org_id,
            Membership.status == Status.APPROVED,
            Membership.role.in_(_review_roles(report)),
        )
    )
    return any(can_review_report(account, report) for account in candidates)


def shows_reporter(report: Report) -> bool:
    """The reporter's pseudonym and note appear on the original only, and on a
    forwarded copy when the reporter agreed."""
    if report.copy_of_id is None:
        return True
    return report.audience == "forwarded" and report.reporter_consents


def subject_org_id(report: Report) -> int | None:
    """The organization of the reported person, if they have an active one."""
    if report.target_account_id is None:
        return None
    subject = db.session.get(Account, report.target_account_id)
    membership = active_membership(subject)
    return membership.organization_id if membership else None


def can_forward_report(actor, report: Report) -> bool:
    """The reporter's lead may forward a profile report (never "Someone from my
    past") once to the subject's organization, when that is another one."""
    if report.copy_of_id is not None or report.target_type != "profile":
        return False
    if report.category == "past" or report.forwarded_at is not None:
        return False
    own = lead_org(actor)
    if own is None or own.id != report.routed_org_id:
        return False
    other = subject_org_id(report)
    return other is not None and other != own.id and can_review_report(actor, report)


def report_audit_org(report: Report) -> Organization | None:
    """The organization log for audit entries about this report row: the routed
    organization, unless the subject can read that log (then the platform's)."""
    org = db.session.get(Organization, report.routed_org_id)
    if report.target_account_id is None:
        return org
    subject = db.session.get(Account, report.target_account_id)
    led = lead_org(subject)
    return None if led is not None and led.id == org.id else org


def access_own_report(actor, public_id: str) -> Report:
    """A report the actor filed (not a copy) about a person who still exists."""
    report = db.session.scalar(select(Report).where(Report.public_id == public_id))
    account = _account(actor)
    if (
        report is None
        or account is None
        or report.reporter_id != account.id
        or report.copy_of_id is not None
        or report.target_account_id is None
    ):
        raise NotFound()
    return report


def access_own_report_subject(actor, public_id: str) -> tuple[Report, Account]:
    """A report the actor filed (access_own_report) and the account it is about."""
    report = access_own_report(actor, public_id)
    other = db.session.get(Account, report.target_account_id or 0)
    if other is None:
        raise NotFound()
    return report, other


def can_review_any(actor) -> bool:
    """Whether to show the review queue link at all."""
    if is_admin(actor):
        return True
    membership = active_membership(actor)
    return membership is not None and membership.role in ROOM_MANAGER_ROLES


def require_reviewer(actor) -> None:
    """Raise NotFound unless the actor has a review queue (can_review_any)."""
    if not can_review_any(actor):
        raise NotFound()


def require_review_preferences(actor) -> None:
    """Raise NotFound unless the actor reviews reports and is not the admin (the
    admin's queue has no opt-outs)."""
    if not can_review_any(actor) or is_admin(actor):
        raise NotFound()


def access_reportable_profile(actor, public_id) -> Profile:
    """A profile the actor may see and report: never their own (that answers
    like a missing one)."""
    profile = access_profile(actor, public_id)
    if profile.account_id == actor.id:
        raise NotFound()
    return profile


def access_reportable_message(actor, public_id) -> Message:
    """A message the actor can see (one cannot report what one cannot see), by
    its public id; fetched through the room and message filters in one query."""
    account = _account(actor)
    if not isinstance(public_id, str) or account is None:
        public_id = None
    stmt = (
        select(Message)
        .join(Room, Room.id == Message.room_id)
        .where(
            Message.public_id == public_id,
            Message.deleted_at.is_(None),
            Message.author_id != (account.id if account else None),
        )
    )
    message = db.session.scalar(visible_messages(visible_rooms(stmt, actor), actor))
    if message is None:
        raise NotFound()
    return message
