"""Room management (moderators, facilitators, leads), reports and the review queue."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from network import policy
from network.errors import InputError, NotFound
from network.guards import member_required
from network.models import REPORT_CATEGORIES
from network.moderation import forms, page, reports, roster, services
from network.safety import services as safety
from network.supervision import services as supervision
from network.timezones import format_local, parse_local

bp = Blueprint("moderation", __name__)

CHECK = "Check the form below."


@bp.get("/rooms/<room_id>/manage")
@member_required
def manage(room_id: str):
    """Everything a facilitator or moderator does to a room, in one page."""
    room = policy.access_moderated_room(current_user, room_id)
    forms_ = page.manage_forms(room, current_user)
    return page.render_manage(room, current_user, forms_, None, 200)


def room_action(path: str, form_name: str):
    """Register one manage-page action at POST /rooms/<id>/manage/<path>:
    access the moderated room, validate its form, run the verb, go back. A form
    that fails (or a verb returning False) shows the page again with 400."""

    def register(verb):
        @bp.post(f"/rooms/<room_id>/manage/{path}", endpoint=verb.__name__)
        @member_required
        @wraps(verb)
        def view(room_id: str, **kwargs):
            room = policy.access_moderated_room(current_user, room_id)
            forms_ = page.manage_forms(room, current_user)
            form, error = forms_[form_name], CHECK
            if form.validate_on_submit():
                try:
                    if verb(room, form, **kwargs) is not False:
                        flash("Done.")
                        return redirect(
                            url_for("moderation.manage", room_id=room.public_id)
                        )
                    error = None
                except InputError as exc:
                    error = exc.message
            return page.render_manage(room, current_user, forms_, error, 400)

        return view

    return register


def _target(room, form):
    """The room member the form names (the same 404 as a missing one), not oneself."""
    row = policy.access_room_member(current_user, room, form.member.data)
    if row.account_id == current_user.id:
        raise services.ModerationInputError("member", "You cannot do that to yourself.")
    return row


@room_action("mute", "member_form")
def mute(room, form):
    """Mute a member in this room for a set time, with a reason."""
    row = _target(room, form)
    reason = form.reason.data or ""
    services.mute(room, row, form.minutes.data, reason, actor=current_user)


@room_action("unmute", "member_form")
def unmute(room, form):
    """Lift a member's mute."""
    services.unmute(room, _target(room, form), actor=current_user)


@room_action("remove", "member_form")
def remove(room, form):
    """Remove a member from the room, with a reason."""
    row = _target(room, form)
    services.remove(room, row, form.reason.data or "", actor=current_user)


@room_action("ban", "member_form")
def ban(room, form):
    """Ban a member from the room, with a reason."""
    row = _target(room, form)
    services.ban(room, row, form.reason.data or "", actor=current_user)


@room_action("unban", "member_form")
def unban(room, form):
    """Lift a member's ban."""
    services.unban(room, _target(room, form), actor=current_user)


@room_action("facilitator", "member_form")
def facilitator(room, form):
    """A host lead names a member facilitator."""
    row = _target(room, form)
    policy.require_naming_facilitators(current_user, room)
    services.name_facilitator(room, row, True, actor=current_user)


@room_action("unfacilitator", "member_form")
def unfacilitator(room, form):
    """A host lead un-names a facilitator."""
    row = _target(room, form)
    policy.require_naming_facilitators(current_user, room)
    services.name_facilitator(room, row, False, actor=current_user)


@room_action("approve", "member_form")
def approve(room, form):
    """Let in a member who asked to join the supervision room."""
    supervision.decide_request(room, _target(room, form), True, actor=current_user)


@room_action("decline", "member_form")
def decline(room, form):
    """Decline a member's request to join the supervision room."""
    supervision.decide_request(room, _target(room, form), False, actor=current_user)


@room_action("lock", "plain")
def lock(room, form):
    """Lock the room: read-only for members."""
    services.set_lock(room, True, actor=current_user)


@room_action("unlock", "plain")
def unlock(room, form):
    """Unlock the room."""
    services.set_lock(room, False, actor=current_user)


@room_action("slow", "slow_form")
def slow(room, form):
    """Set slow mode: seconds between messages per member."""
    services.set_slow_mode(room, form.seconds.data, actor=current_user)


@room_action("rules", "rules_form")
def rules(room, form):
    """Change the ground rules (every member accepts them again)."""
    supervision.set_ground_rules(room, form.ground_rules.data, actor=current_user)


@room_action("invite", "invite_form")
def invite(room, form):
    """Invite a member of the host organization into the supervision room."""
    account = None
    if form.member.data in dict(form.member.choices):
        account = roster.account_by_profile(form.member.data)
    if account is None:
        form.member.errors = ["Choose a member of your organization."]
        return False
    supervision.invite(room, account, actor=current_user)


@room_action("schedule", "session_form")
def schedule(room, form):
    """Schedule a session, in the scheduler's own time zone."""
    zone = current_user.profile.timezone
    starts = parse_local(form.starts_at.data, zone)
    ends = parse_local(form.ends_at.data, zone)
    if starts is None:
        form.starts_at.errors = ["Enter a date and time."]
    if ends is None:
        form.ends_at.errors = ["Enter a date and time."]
    facilitator = roster.account_by_profile(form.facilitator.data)
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


@room_action("sessions/<session_id>/cancel", "plain")
def cancel_session(room, form, session_id: str):
    """Cancel a scheduled session of the room."""
    session = policy.access_room_session(current_user, room, session_id)
    supervision.cancel(room, session, actor=current_user)


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
    rows = reports.own_reports(current_user)
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
    rows = reports.review_queue(current_user, status)
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
        names=reports.review_names(report),
        shows_reporter=policy.shows_reporter(report),
        can_forward=can_forward,
        room=reports.report_room(report),
        labels=reports.STATUS_LABELS,
        categories=REPORT_CATEGORIES,
        ttr=reports.time_to_resolution(report),
        created=format_local(report.created_at, current_user.profile.timezone),
    ), (400 if request.method == "POST" else 200)


@bp.route("/reports/<report_id>/separate", methods=["GET", "POST"])
@member_required
def offer_separation(report_id: str):
    """After "Someone from my past": keep apart from that person in one step. The
    page never shows the person's current name (they may be hidden by now)."""
    report, other = policy.access_own_report_subject(current_user, report_id)
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
        reports.set_opt_outs(form.categories.data or [], actor=current_user)
        flash("Saved. Other moderators of your organization still see those reports.")
        return redirect(url_for("moderation.queue"))
    return render_template("moderation/preferences.html", form=form)
