"""The platform admin's retention bounds page (on the rooms blueprint)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from network.guards import admin_required
from network.rooms import retention
from network.rooms.forms import RetentionBoundsForm
from network.rooms.routes import bp


@bp.route("/admin/retention", methods=["GET", "POST"])
@admin_required
def retention_bounds():
    """Set the fewest and most days any room may keep messages."""
    low, high = retention.bounds()
    form = RetentionBoundsForm(data={"min_days": low, "max_days": high})
    if form.validate_on_submit():
        try:
            retention.set_bounds(
                form.min_days.data, form.max_days.data, actor=current_user
            )
        except retention.BoundsError as error:
            form.max_days.errors = [str(error)]
        else:
            flash(_("The retention limits are saved."))
            return redirect(url_for("rooms.retention_bounds"))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "admin/retention.html", form=form, hard_max=retention.HARD_MAX_DAYS
    ), status
