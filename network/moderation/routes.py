"""Reports and the review queue; the room-management endpoints (manage.py) join
the same blueprint."""

from __future__ import annotations

from flask_babel import gettext as _
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from network import policy
from network.guards import member_required
from network.models import REPORT_CATEGORIES
from network.moderation import forms, manage, reports, services
from network.safety import services as safety
from network.timezones import format_local

bp = Blueprint("moderation", __name__)
manage.register(bp)


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
        shown = policy.access_reportable_profile(current_user, profile_id)
        target = None
    form = forms.ReportForm()
    if form.validate_on_submit():
        category, note = form.category.data, form.note.data or ""
        try:
            if resource is not None:
                report = reports.report_resource(
                    resource, category, note, actor=current_user
                )
            elif target is not None:
                report = reports.report_message(
                    target, category, note, actor=current_user
                )
            else:
                report = reports.report_profile(
                    shown, category, note, share=form.share.data, actor=current_user
                )
        except services.ModerationInputError as exc:
            getattr(form, exc.field).errors = [exc.message]
        else:
            flash(_("Thank you. Your report was sent; you can follow its status here."))
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
        author=reports.message_author(target) if target is not None else None,
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
    policy.require_reviewer(current_user)
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
            flash(_("The report is resolved."))
            return redirect(url_for("moderation.queue"))
    can_forward = policy.can_forward_report(current_user, report)
    forward = FlaskForm(prefix="forward")
    if request.form.get("action") == "forward" and forward.validate_on_submit():
        if can_forward:
            reports.forward(report, actor=current_user)
            flash(_("Forwarded to the other organization's leads."))
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
            flash(str(exc.message))
        else:
            flash(_("Saved. You and this person are now kept apart."))
            return redirect(url_for("safety.separations"))
    return render_template("moderation/offer_separation.html", report=report, form=form)


@bp.route("/moderation/preferences", methods=["GET", "POST"])
@member_required
def preferences():
    """Categories this moderator does not want to review (trauma-informed)."""
    policy.require_review_preferences(current_user)
    form = forms.OptOutForm()
    if request.method == "GET":
        form.categories.data = sorted(reports.opted_out(current_user))
    if form.validate_on_submit():
        reports.set_opt_outs(form.categories.data or [], actor=current_user)
        flash(
            _("Saved. Other moderators of your organization still see those reports.")
        )
        return redirect(url_for("moderation.queue"))
    return render_template("moderation/preferences.html", form=form)
