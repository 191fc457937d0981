"""The notifications page, opening one, mark all read, the count, settings."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from network import policy
from network.errors import NotFound
from network.guards import member_required
from network.notifications import services
from network.orgs.forms import EmptyForm

bp = Blueprint("notifications", __name__)


def _page_number() -> int:
    value = request.args.get("page", "1")
    return int(value) if value.isdigit() and len(value) < 7 else 1


@bp.get("/notifications")
@member_required
def index():
    """The person's notifications, newest first: titles only, each a link."""
    return render_template(
        "notifications/index.html",
        listing=services.page_of(current_user, _page_number()),
        form=EmptyForm(),
    )


@bp.get("/notifications/<notification_id>")
@member_required
def open_one(notification_id: str):
    """Mark one read and go where it points; policy decides there (a target
    the person may no longer see answers as a missing one)."""
    row = policy.access_own_notification(current_user, notification_id)
    link = services.open_notification(row, actor=current_user)
    # Only a path inside the network: never an address elsewhere.
    if not policy.safe_local_link(link):
        return redirect(url_for("notifications.index"))
    return redirect(link)


@bp.post("/notifications/read")
@member_required
def read_all():
    """Mark every notification read (a form with its CSRF token)."""
    if EmptyForm().validate_on_submit():
        services.mark_all_read(actor=current_user)
    return redirect(url_for("notifications.index"))


@bp.get("/notifications/count")
@member_required
def count():
    """The unread count as JSON, for pages without a socket (app's bell poll)."""
    response = jsonify({"count": services.unread_count(current_user.id)})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/rooms/<room_id>/notifications")
@member_required
def room_mute(room_id: str):
    """Mute or unmute one's notifications from a room one is a member of."""
    access = policy.access_room_context(current_user, room_id)
    if access.row is None or access.row.status != "active":
        raise NotFound()
    if EmptyForm().validate_on_submit():
        services.set_room_muted(
            access.row, request.form.get("muted") == "1", actor=current_user
        )
    return redirect(url_for("rooms.room", room_id=access.room.public_id))


@bp.route("/account/notifications", methods=["GET", "POST"])
@member_required
def settings():
    """Email about new activity: off by default; it never carries content."""
    form = EmptyForm()
    if form.validate_on_submit():
        services.set_email(request.form.get("email") == "1", actor=current_user)
        return redirect(url_for("notifications.settings"))
    status = 400 if form.is_submitted() else 200
    return render_template("notifications/settings.html", form=form), status
