"""The availability page: weekly hours, taking a break, sharing it with leads."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from network.availability import services
from network.errors import InputError
from network.guards import member_required
from network.models import utcnow
from network.models.availability import WEEKDAYS, parse_weekly
from network.timezones import ZONES, format_local, zone

bp = Blueprint("availability", __name__)


def _hours_values(weekly: str) -> dict[str, str]:
    """The form's values for stored hours (day{N}_start / day{N}_end)."""
    values = {}
    for day, start, end in parse_weekly(weekly):
        values[f"day{day}_start"] = f"{start // 60:02d}:{start % 60:02d}"
        values[f"day{day}_end"] = f"{end // 60:02d}:{end % 60:02d}"
    return values


def _page(status=200, values=None, errors=None, until="", until_error=""):
    profile = current_user.profile
    return render_template(
        "availability/settings.html",
        form=FlaskForm(),
        weekdays=WEEKDAYS,
        values=values
        if values is not None
        else _hours_values(services.hours_of(current_user.id)),
        errors=errors or {},
        zone_name=str(ZONES.get(zone(profile.timezone).key, profile.timezone)),
        state=services.state_of(current_user),
        break_until=format_local(profile.break_until, profile.timezone),
        until=until,
        until_error=until_error,
    ), status


@bp.get("/account/availability")
@member_required
def settings():
    """One's weekly hours and breaks."""
    return _page()


@bp.post("/account/availability")
@member_required
def save():
    """Save hours, start or end a break, or the sharing choice (one form each);
    bad input answers 400 with everything typed kept and the error beside it."""
    form = FlaskForm()
    if not form.validate_on_submit():
        return _page(400)
    action = request.form.get("action")
    if action == "hours":
        spans, errors = services.parse_hours_form(request.form)
        if errors:
            values = {key: request.form.get(key, "") for key in request.form}
            return _page(400, values=values, errors=errors)
        services.set_hours(spans, actor=current_user)
        flash(_("Your hours are saved."))
    elif action == "start_break":
        until_text = request.form.get("until", "")
        try:
            until = services.parse_break_end(
                until_text, current_user.profile.timezone, utcnow()
            )
        except InputError as error:
            return _page(400, until=until_text, until_error=error.message)
        services.start_break(until, actor=current_user)
        flash(_("Your break has started. Others see you as away."))
    elif action == "end_break":
        services.end_break(actor=current_user)
        flash(_("Your break has ended."))
    elif action == "share":
        services.set_share(request.form.get("share") == "1", actor=current_user)
        flash(_("Saved."))
    return redirect(url_for("availability.settings"))
