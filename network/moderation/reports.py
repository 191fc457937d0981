"""Reports: filing, routing to the right organization, and the review queue."""

from __future__ import annotations

from sqlalchemy import delete, select

from network import audit
from network.extensions import db
from network.models import (
    REPORT_CATEGORIES,
    Account,
    Message,
    Organization,
    Profile,
    Report,
    Resource,
    ReviewOptOut,
    Room,
    utcnow,
)
from network.moderation.services import ModerationInputError

OUTCOMES = {"action_taken": "Action taken", "no_action": "No action needed"}
STATUS_LABELS = {"open": "Open", "in_review": "In review", "resolved": "Resolved"}


def _check(category: str, note: str) -> str:
    if category not in REPORT_CATEGORIES:
        raise ModerationInputError("category", "Choose a reason from the list.")
    note = (note or "").strip()
    if len(note) > 1000:
        raise ModerationInputError("note", "Keep the note under 1,000 characters.")
    return note


def report_message(
    reporter: Account, message: Message, category: str, note: str
) -> Report:
    """A message report goes to the moderators of the room's host organization."""
    note = _check(category, note)
    room = db.session.get(Room, message.room_id)
    report = Report(
        reporter_id=reporter.id,
        target_type="message",
        message_id=message.id,
        target_account_id=message.author_id,
        room_id=room.id,
        routed_org_id=room.host_org_id,
        category=category,
        note=note,
        snapshot=message.body[:4000],
    )
    return _file(report, reporter)


def report_profile(
    reporter: Account, profile: Profile, category: str, note: str
) -> Report:
    """A profile report goes to the leads of the reported member's organization."""
    note = _check(category, note)
    target = db.session.get(Account, profile.account_id)
    report = Report(
        reporter_id=reporter.id,
        target_type="profile",
        target_account_id=profile.account_id,
        routed_org_id=target.membership.organization_id,
        category=category,
        note=note,
        snapshot=f"{profile.pseudonym}\n{profile.pronouns}\n{profile.bio}",
    )
    return _file(report, reporter)


def report_resource(
    reporter: Account, resource: Resource, category: str, note: str
) -> Report:
    """A resource report goes to the owner organization's moderators."""
    note = _check(category, note)
    report = Report(
        reporter_id=reporter.id,
        target_type="resource",
        resource_id=resource.id,
        target_account_id=resource.author_id,
        routed_org_id=resource.owner_org_id,
        category=category,
        note=note,
        snapshot=f"{resource.title}\n{resource.url}\n{resource.description}"[:4000],
    )
    return _file(report, reporter)


def _file(report: Report, reporter: Account) -> Report:
    db.session.add(report)
    db.session.flush()
    org = db.session.get(Organization, report.routed_org_id)
    # The reporter is not named in the organization's audit log.
    audit.record(
        "report.filed",
        actor=None,
        organization=org,
        report=report.public_id,
        category=report.category,
        kind=report.target_type,
    )
    db.session.commit()
    return report


def claim(report: Report, *, actor: Account) -> None:
    """Move a report from open to in review."""
    if report.status == "open":
        report.status = "in_review"
        report.reviewer_id = actor.id
        report.reviewed_at = utcnow()
        audit.record(
            "report.in_review",
            actor=actor,
            organization=db.session.get(Organization, report.routed_org_id),
            report=report.public_id,
        )
        db.session.commit()


def resolve(report: Report, outcome: str, *, actor: Account) -> None:
    """Resolve a report with an outcome."""
    if outcome not in OUTCOMES:
        raise ModerationInputError("outcome", "Choose an outcome.")
    if report.status == "resolved":
        raise ModerationInputError("outcome", "This report is resolved already.")
    report.status = "resolved"
    report.outcome = outcome
    report.reviewer_id = actor.id
    report.resolved_at = utcnow()
    report.reviewed_at = report.reviewed_at or report.resolved_at
    audit.record(
        "report.resolved",
        actor=actor,
        organization=db.session.get(Organization, report.routed_org_id),
        report=report.public_id,
        outcome=outcome,
    )
    db.session.commit()


def opted_out(account: Account) -> set[str]:
    """The categories this moderator chose not to review."""
    return set(
        db.session.scalars(
            select(ReviewOptOut.category).where(ReviewOptOut.account_id == account.id)
        )
    )


def set_opt_outs(account: Account, categories: list[str]) -> None:
    """Replace the moderator's opt-outs."""
    db.session.execute(
        delete(ReviewOptOut).where(ReviewOptOut.account_id == account.id)
    )
    for category in categories:
        if category in REPORT_CATEGORIES:
            db.session.add(ReviewOptOut(account_id=account.id, category=category))
    db.session.commit()


def time_to_resolution(report: Report) -> str:
    """Hours and minutes from filing to resolution, or empty."""
    if report.resolved_at is None:
        return ""
    minutes = int((report.resolved_at - report.created_at).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"
