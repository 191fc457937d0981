"""Room management (moderators, facilitators, leads), reports and the review queue."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from network import policy
from network.errors import NotFound
from network.extensions import db
from network.guards import member_required
from network.models import (
    REPORT_CATEGORIES,
    Account,
    Membership,
    Organization,
    Profile,
    display_name,
    Report,
    Room,
    RoomMember,
    Status,
    SupervisionSession,
)
from network.models.supervision import facilitator_ids, session_running
from network.moderation import forms, reports, services
from network.safety import services as safety
from network.supervision import forms as supervision_forms
from network.supervision import services as supervision
from network.timezones import format_local, parse_local

bp = Blueprint("moderation", __name__)

ROOM_ACTIONS = {
    "mute",
    "unmute",
    "remove",
    "ban",
    "unban",
    "facilitator",
    "unfacilitator",
    "approve",
    "decline",
}


@bp.route("/rooms/<room_id>/manage", methods=["GET", "POST"])
@member_required
def manage(room_id: str):
    """Everything a facilitator or moderator does to a room, in one page."""
    room = policy.access_moderated_room(current_user, room_id)
    action = request.form.get("action", "")
    member_form = forms.MemberActionForm(prefix="m")
    slow_form = forms.SlowModeForm(prefix="slow", seconds=room.slow_mode_seconds)
    invite_form = supervision_forms.InviteForm(prefix="invite")
    rules_form = supervision_forms.GroundRulesForm(
        prefix="rules", ground_rules=room.ground_rules
    )
    session_form = supervision_forms.SessionForm(prefix="session")
    plain = FlaskForm()
    error = None
    invite_form.member.choices = _invitable(room)
    session_form.facilitator.choices = _facilitators(room)
    try:
        if request.method == "POST" and action in ROOM_ACTIONS:
            if member_form.validate_on_submit():
                _member_action(room, action, member_form)
                return _back(room)
            error = "Check the form below."
        elif action in {"lock", "unlock"} and plain.validate_on_submit():
            services.set_lock(room, action == "lock", actor=current_user)
            return _back(room)
        elif action == "slow" and slow_form.validate_on_submit():
            services.set_slow_mode(room, slow_form.seconds.data, actor=current_user)
            return _back(room)
        elif action == "invite" and invite_form.validate_on_submit():
            profile = db.session.scalar(
                select(Profile).where(Profile.public_id == invite_form.member.data)
            )
            if profile is None or invite_form.member.data not in dict(
                invite_form.member.choices
            ):
                invite_form.member.errors = ["Choose a member of your organization."]
            else:
                supervision.invite(room, profile.account, actor=current_user)
                return _back(room)
        elif action == "rules" and rules_form.validate_on_submit():
            supervision.set_ground_rules(
                room, rules_form.ground_rules.data, actor=current_user
            )
            return _back(room)
        elif action == "schedule" and session_form.validate_on_submit():
            if _schedule(room, session_form):
                return _back(room)
        elif action == "cancel_session" and plain.validate_on_submit():
            session = db.session.scalar(
                select(SupervisionSession).where(
                    SupervisionSession.public_id == request.form.get("session", ""),
                    SupervisionSession.room_id == room.id,
                )
            )
            if session is None:
                raise NotFound()
            supervision.cancel(room, session, actor=current_user)
            return _back(room)
        elif request.method == "POST":
            error = "Check the form below."
    except (services.ModerationInputError, supervision.SupervisionInputError) as exc:
        error = exc.message
    running = session_running(room)
    return render_template(
        "moderation/manage.html",
        room=room,
        members=_members(room),
        member_form=member_form,
        slow_form=slow_form,
        invite_form=invite_form,
        rules_form=rules_form,
        session_form=session_form,
        plain=plain,
        error=error,
        sessions=supervision.upcoming(room, limit=20),
        check_ins=supervision.shared_check_ins(running, current_user)
        if running
        else [],
        partners_apart=policy.is_host_manager(current_user, room)
        and policy.partners_apart(room),
        can_name=policy.can_name_facilitators(current_user, room),
        host_public_id=db.session.get(Organization, room.host_org_id).public_id,
    ), (400 if request.method == "POST" else 200)


def _back(room):
    flash("Done.")
    return redirect(url_for("moderation.manage", room_id=room.public_id))


def _member_action(room, action: str, form) -> None:
    row = policy.access_room_member(current_user, room, form.member.data)
    if row.account_id == current_user.id:
        raise services.ModerationInputError("member", "You cannot do that to yourself.")
    reason = form.reason.data or ""
    if action == "mute":
        services.mute(room, row, form.minutes.data, reason, actor=current_user)
    elif action == "unmute":
        services.unmute(room, row, actor=current_user)
    elif action == "remove":
        services.remove(room, row, reason, actor=current_user)
    elif action == "ban":
        services.ban(room, row, reason, actor=current_user)
    elif action == "unban":
        services.unban(room, row, actor=current_user)
    elif action in {"facilitator", "unfacilitator"}:
        if not policy.can_name_facilitators(current_user, room):
            raise NotFound()
        account = db.session.get(Account, row.account_id)
        membership = policy.active_membership(account)
        if membership is None or membership.organization_id != room.host_org_id:
            raise services.ModerationInputError(
                "member", "Facilitators come from the host organization."
            )
        services.set_facilitator(
            room, account, action == "facilitator", actor=current_user
        )
    else:
        supervision.decide_request(room, row, action == "approve", actor=current_user)


def _schedule(room, form) -> bool:
    zone = current_user.profile.timezone
    starts, ends = (
        parse_local(form.starts_at.data, zone),
        parse_local(form.ends_at.data, zone),
    )
    if starts is None:
        form.starts_at.errors = ["Enter a date and time."]
    if ends is None:
        form.ends_at.errors = ["Enter a date and time."]
    facilitator = db.session.scalar(
        select(Account).join(Profile).where(Profile.public_id == form.facilitator.data)
    )
    if facilitator is None:
        form.facilitator.errors = ["Choose one of the room's facilitators."]
    if starts is None or ends is None or facilitator is None:
        return False
    try:
        supervision.schedule(
            room,
            starts_at=starts,
            ends_at=ends,
            facilitator=facilitator,
            topic=form.topic.data or "",
            actor=current_user,
        )
    except supervision.SupervisionInputError as exc:
        getattr(form, exc.field).errors = [exc.message]
        return False
    return True


def _members(room) -> list[tuple[RoomMember, Profile]]:
    stmt = (
        select(RoomMember, Profile)
        .join(Profile, Profile.account_id == RoomMember.account_id)
        .where(RoomMember.room_id == room.id)
        .order_by(RoomMember.status, Profile.pseudonym_key)
    )
    stmt = policy.visible_room_people(stmt, current_user, RoomMember.account_id)
    return list(db.session.execute(stmt).all())


def _invitable(room) -> list[tuple[str, str]]:
    existing = select(RoomMember.account_id).where(RoomMember.room_id == room.id)
    stmt = (
        select(Profile.public_id, Profile.pseudonym, Profile.tag)
        .join(Membership, Membership.account_id == Profile.account_id)
        .where(
            Membership.organization_id == room.host_org_id,
            Membership.status == Status.APPROVED,
            Profile.account_id.not_in(existing),
        )
        .order_by(Profile.pseudonym_key)
    )
    rows = db.session.execute(
        policy.visible_room_people(stmt, current_user, Profile.account_id)
    )
    return [("", "Choose a member")] + [
        (pid, display_name(name, tag)) for pid, name, tag in rows
    ]


def _facilitators(room) -> list[tuple[str, str]]:
    stmt = (
        select(Profile.public_id, Profile.pseudonym, Profile.tag)
        .where(Profile.account_id.in_(facilitator_ids(room)))
        .order_by(Profile.pseudonym_key)
    )
    rows = db.session.execute(
        policy.visible_room_people(stmt, current_user, Profile.account_id)
    )
    return [(pid, display_name(name, tag)) for pid, name, tag in rows]


# --- reports --------------------------------------------------------------------------


@bp.route("/reports/new", methods=["GET", "POST"])
@member_required
def new_report():
    """Report a message (?message=<id>) or a profile (?profile=<public id>)."""
    message_id = request.args.get("message")
    profile_id = request.args.get("profile", "")
    resource = None
    if request.args.get("resource"):
        resource = policy.access_resource(current_user, request.args["resource"])
        target = shown = None
    elif message_id is not None:
        target = policy.access_reportable_message(current_user, message_id)
        shown = None
    else:
        shown = policy.access_profile(current_user, profile_id)
        if shown.account_id == current_user.id:
            raise NotFound()
        target = None
    form = forms.ReportForm()
    if form.validate_on_submit():
        category, note = form.category.data, form.note.data or ""
        try:
            if resource is not None:
                report = reports.report_resource(current_user, resource, category, note)
            elif target is not None:
                report = reports.report_message(current_user, target, category, note)
            else:
                report = reports.report_profile(
                    current_user, shown, category, note, share=form.share.data
                )
        except services.ModerationInputError as exc:
            getattr(form, exc.field).errors = [exc.message]
        else:
            flash("Thank you. Your report was sent; you can follow its status here.")
            if category == "past":
                return redirect(
                    url_for("moderation.offer_separation", report_id=report.public_id)
                )
            return redirect(url_for("moderation.my_reports"))
    return render_template(
        "moderation/new_report.html",
        form=form,
        profile=shown,
        message=target,
        resource=resource,
    ), (400 if form.is_submitted() else 200)


@bp.get("/reports")
@member_required
def my_reports():
    """The reporter's own reports: status only, never who reviewed them."""
    rows = db.session.scalars(
        select(Report)
        .where(Report.reporter_id == current_user.id, Report.copy_of_id.is_(None))
        .order_by(Report.id.desc())
        .limit(100)
    )
    return render_template(
        "moderation/my_reports.html",
        reports=rows,
        labels=reports.STATUS_LABELS,
        categories=REPORT_CATEGORIES,
    )


@bp.get("/moderation/reports")
@member_required
def queue():
    """The review queue: reports routed to the actor, minus opted-out categories."""
    if not policy.can_review_any(current_user):
        raise NotFound()
    status = request.args.get("status", "open")
    stmt = policy.visible_reports(select(Report), current_user)
    if status in reports.STATUS_LABELS:
        stmt = stmt.where(Report.status == status)
    rows = list(db.session.scalars(stmt.order_by(Report.id).limit(200)))
    return render_template(
        "moderation/queue.html",
        reports=rows,
        status=status,
        labels=reports.STATUS_LABELS,
        categories=REPORT_CATEGORIES,
        ttr=reports.time_to_resolution,
    )


@bp.route("/moderation/reports/<report_id>", methods=["GET", "POST"])
@member_required
def review(report_id: str):
    """One report, its content blurred until revealed; claim and resolve."""
    report = policy.access_report_for_review(current_user, report_id)
    form = forms.ResolveForm()
    claim = FlaskForm(prefix="claim")
    error = None
    if request.form.get("action") == "claim" and claim.validate_on_submit():
        reports.claim(report, actor=current_user)
        return redirect(url_for("moderation.review", report_id=report.public_id))
    if request.form.get("action") == "resolve" and form.validate_on_submit():
        try:
            reports.resolve(report, form.outcome.data, actor=current_user)
        except services.ModerationInputError as exc:
            error = exc.message
        else:
            flash("The report is resolved.")
            return redirect(url_for("moderation.queue"))
    can_forward = policy.can_forward_report(current_user, report)
    forward = FlaskForm(prefix="forward")
    if request.form.get("action") == "forward" and forward.validate_on_submit():
        if can_forward:
            reports.forward(report, actor=current_user)
            flash("Forwarded to the other organization's leads.")
        return redirect(url_for("moderation.review", report_id=report.public_id))
    return render_template(
        "moderation/review.html",
        report=report,
        form=form,
        claim=claim,
        forward=forward,
        error=error,
        names=_report_names(report),
        shows_reporter=policy.shows_reporter(report),
        can_forward=can_forward,
        room=db.session.get(Room, report.room_id) if report.room_id else None,
        labels=reports.STATUS_LABELS,
        categories=REPORT_CATEGORIES,
        ttr=reports.time_to_resolution(report),
        created=format_local(report.created_at, current_user.profile.timezone),
    ), (400 if request.method == "POST" else 200)


def _report_names(report: Report) -> dict[int, str]:
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


@bp.route("/reports/<report_id>/separate", methods=["GET", "POST"])
@member_required
def offer_separation(report_id: str):
    """After "Someone from my past": keep apart from that person in one step. The
    page never shows the person's current name (they may be hidden by now)."""
    report = policy.access_own_report(current_user, report_id)
    other = db.session.get(Account, report.target_account_id or 0)
    if other is None:
        raise NotFound()
    form = FlaskForm()
    if form.validate_on_submit():
        try:
            safety.file_separation(current_user, other, actor=current_user)
        except safety.InputError as exc:
            flash(exc.message)
        else:
            flash("Saved. You and this person are now kept apart.")
            return redirect(url_for("safety.separations"))
    return render_template("moderation/offer_separation.html", report=report, form=form)


@bp.route("/moderation/preferences", methods=["GET", "POST"])
@member_required
def preferences():
    """Categories this moderator does not want to review (trauma-informed)."""
    if not policy.can_review_any(current_user) or policy.is_admin(current_user):
        raise NotFound()
    form = forms.OptOutForm()
    if request.method == "GET":
        form.categories.data = sorted(reports.opted_out(current_user))
    if form.validate_on_submit():
        reports.set_opt_outs(current_user, form.categories.data or [])
        flash("Saved. Other moderators of your organization still see those reports.")
        return redirect(url_for("moderation.queue"))
    return render_template("moderation/preferences.html", form=form)
