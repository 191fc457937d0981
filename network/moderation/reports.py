"""Reports: filing, routing to the reporter's organization, copies, the queue."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from network import audit, policy
from network.extensions import db
from network.models import (
    REPORT_CATEGORIES,
    Account,
    Message,
    Profile,
    Report,
    Resource,
    ReviewOptOut,
    Room,
    utcnow,
)
from network.moderation.services import ModerationInputError
from network.notifications.services import notify

OUTCOMES = {"action_taken": _l("Action taken"), "no_action": _l("No action needed")}
STATUS_LABELS = {
    "open": _l("Open"),
    "in_review": _l("In review"),
    "resolved": _l("Resolved"),
}


def _check(category: str, note: str) -> str:
    if category not in REPORT_CATEGORIES:
        raise ModerationInputError("category", _("Choose a reason from the list."))
    note = (note or "").strip()
    if len(note) > 1000:
        raise ModerationInputError("note", _("Keep the note under 1,000 characters."))
    return note


def report_message(
    message: Message, category: str, note: str, *, actor: Account
) -> Report:
    """A message report; a de-identified copy goes to a host that is not the
    reporter's own organization."""
    room = db.session.get(Room, message.room_id)
    # From a direct conversation the report carries that one message only: no
    # room (no context, no history, no link), and no copy to any "host".
    direct = room.kind == "direct"
    report = _new(
        actor,
        category,
        note,
        target_type="message",
        message_id=message.id,
        target_account_id=message.author_id,
        room_id=None if direct else room.id,
        snapshot=message.body[:4000],
    )
    return _file(report, content_org_id=None if direct else room.host_org_id)


def report_profile(
    profile: Profile,
    category: str,
    note: str,
    *,
    share: bool = False,
    actor: Account,
) -> Report:
    """A profile report stays with the reporter's organization until its lead
    forwards it; `share` is the reporter's consent to be named then."""
    report = _new(
        actor,
        category,
        note,
        target_type="profile",
        target_account_id=profile.account_id,
        snapshot=f"{profile.pseudonym}\n{profile.pronouns}\n{profile.bio}",
    )
    report.reporter_consents = bool(share)
    return _file(report, content_org_id=None)


def report_resource(
    resource: Resource, category: str, note: str, *, actor: Account
) -> Report:
    """A resource report; a de-identified copy goes to another owner organization."""
    report = _new(
        actor,
        category,
        note,
        target_type="resource",
        resource_id=resource.id,
        target_account_id=resource.author_id,
        snapshot=f"{resource.title}\n{resource.url}\n{resource.description}"[:4000],
    )
    return _file(report, content_org_id=resource.owner_org_id)


def _new(reporter: Account, category: str, note: str, **fields: object) -> Report:
    """The original report, routed to the reporter's own organization."""
    note = _check(category, note)
    membership = policy.active_membership(reporter)
    return Report(
        reporter_id=reporter.id,
        routed_org_id=membership.organization_id,
        audience="reporter",
        category=category,
        note=note,
        **fields,
    )


def _file(report: Report, content_org_id: int | None) -> Report:
    db.session.add(report)
    # "Someone from my past" always reaches the admins; so does a report no one
    # of the reporter's organization may review (the subject is every reviewer).
    report.admin_review = report.category == "past" or not policy.has_reviewer(report)
    db.session.flush()
    _audit_filed(report)
    if content_org_id not in (None, report.routed_org_id) and report.category != "past":
        _copy(report, content_org_id, "host")
    db.session.commit()
    return report


def _copy(report: Report, org_id: int, audience: str) -> Report:
    """A copy for another organization, with its own status; without the note
    unless it may show the reporter."""
    copy = Report(
        reporter_id=report.reporter_id,
        target_type=report.target_type,
        resource_id=report.resource_id,
        message_id=report.message_id,
        target_account_id=report.target_account_id,
        room_id=report.room_id,
        routed_org_id=org_id,
        category=report.category,
        snapshot=report.snapshot,
        copy_of_id=report.id,
        audience=audience,
        reporter_consents=report.reporter_consents,
        created_at=report.created_at,
    )
    copy.note = report.note if policy.shows_reporter(copy) else ""
    db.session.add(copy)
    db.session.flush()
    _audit_filed(copy)
    return copy


def _audit_filed(report: Report) -> None:
    # The reporter is never named in an audit entry, and an entry never lands in
    # a log the subject can read.
    audit.record(
        "report.filed",
        actor=None,
        organization=policy.report_audit_org(report),
        report=report.public_id,
        category=report.category,
        kind=report.target_type,
    )


def forward(report: Report, *, actor: Account) -> Report:
    """The reporter's lead forwards a profile report to the subject's organization."""
    report.forwarded_at = utcnow()
    report.forwarded_by_id = actor.id
    copy = _copy(report, policy.subject_org_id(report), "forwarded")
    audit.record(
        "report.forwarded",
        actor=actor,
        organization=policy.report_audit_org(report),
        report=report.public_id,
        named=report.reporter_consents,
    )
    db.session.commit()
    return copy


def claim(report: Report, *, actor: Account) -> None:
    """Move a report from open to in review."""
    if report.status == "open":
        report.status = "in_review"
        report.reviewer_id = actor.id
        report.reviewed_at = utcnow()
        audit.record(
            "report.in_review",
            actor=actor,
            organization=policy.report_audit_org(report),
            report=report.public_id,
        )
        db.session.commit()


def resolve(report: Report, outcome: str, *, actor: Account) -> None:
    """Resolve a report with an outcome."""
    if outcome not in OUTCOMES:
        raise ModerationInputError("outcome", _("Choose an outcome."))
    if report.status == "resolved":
        raise ModerationInputError("outcome", _("This report is resolved already."))
    report.status = "resolved"
    report.outcome = outcome
    report.reviewer_id = actor.id
    report.resolved_at = utcnow()
    report.reviewed_at = report.reviewed_at or report.resolved_at
    audit.record(
        "report.resolved",
        actor=actor,
        organization=policy.report_audit_org(report),
        report=report.public_id,
        outcome=outcome,
    )
    if report.copy_of_id is None:  # the reporter's own report, not a host's copy
        notify(report.reporter_id, "report_outcome", link="/reports")
    db.session.commit()


def own_reports(reporter: Account) -> list[Report]:
    """The reporter's own reports (never the copies), newest first."""
    return list(
        db.session.scalars(
            select(Report)
            .where(Report.reporter_id == reporter.id, Report.copy_of_id.is_(None))
            .order_by(Report.id.desc())
            .limit(100)
        )
    )


def review_queue(viewer: Account, status: str) -> list[Report]:
    """The reports routed to the viewer, optionally of one status, oldest first."""
    stmt = policy.visible_reports(select(Report), viewer)
    if status in STATUS_LABELS:
        stmt = stmt.where(Report.status == status)
    return list(db.session.scalars(stmt.order_by(Report.id).limit(200)))


def review_names(report: Report) -> dict[int, str]:
    """Pseudonyms for the review page: the reporter only where they may be shown."""
    people = [report.target_account_id or 0]
    if policy.shows_reporter(report):
        people.append(report.reporter_id)
    return dict(
        db.session.execute(
            select(Profile.account_id, Profile.pseudonym).where(
                Profile.account_id.in_(people)
            )
        ).all()
    )


def report_room(report: Report) -> Room | None:
    """The room a message report came from, if any."""
    return db.session.get(Room, report.room_id) if report.room_id else None


def opted_out(account: Account) -> set[str]:
    """The categories this moderator chose not to review."""
    return set(
        db.session.scalars(
            select(ReviewOptOut.category).where(ReviewOptOut.account_id == account.id)
        )
    )


def set_opt_outs(categories: list[str], *, actor: Account) -> None:
    """Replace the moderator's opt-outs."""
    account = actor
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


def message_author(message: Message) -> Profile | None:
    """The profile of a message's author, for the report form's preview (the
    caller fetched the message through the reporter's visibility filters)."""
    return db.session.scalar(
        select(Profile).where(Profile.account_id == message.author_id)
    )
