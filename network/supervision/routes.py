"""Member-side supervision actions: ask to join, answer an invitation, accept the
ground rules, check in, and the facilitator's one-to-one space."""

from __future__ import annotations

from flask_babel import gettext as _
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from network import policy
from network.errors import NotFound
from network.guards import member_required
from network.supervision.forms import CheckInForm
from network.supervision import services

bp = Blueprint("supervision", __name__)


@bp.post("/rooms/<room_id>/join-request")
@member_required
def request_to_join(room_id: str):
    """Ask a supervision room's facilitators to let one in."""
    room = policy.access_requestable_room(current_user, room_id)
    if FlaskForm().validate_on_submit():
        services.request_to_join(room, actor=current_user)
        flash(_("Your request was sent to the facilitators."))
    return redirect(url_for("rooms.index"))


@bp.post("/rooms/<room_id>/invitation")
@member_required
def answer_invitation(room_id: str):
    """Accept or decline an invitation to a supervision room."""
    room, _invitation = policy.access_room_invitation(current_user, room_id)
    if not FlaskForm().validate_on_submit():
        raise NotFound()
    accept = request.form.get("answer") == "accept"
    services.respond_to_invitation(room, accept, actor=current_user)
    if accept:
        return redirect(url_for("rooms.room", room_id=room.public_id))
    return redirect(url_for("rooms.index"))


@bp.post("/rooms/<room_id>/rules")
@member_required
def accept_rules(room_id: str):
    """Accept the room's ground rules (once, before the first message)."""
    room = policy.access_room(current_user, room_id)
    if FlaskForm().validate_on_submit():
        services.accept_rules(room, actor=current_user)
    return redirect(url_for("rooms.room", room_id=room.public_id))


@bp.post("/rooms/<room_id>/check-in")
@member_required
def check_in(room_id: str):
    """Check in to the session that is running (or about to)."""
    room = policy.access_room(current_user, room_id)
    session = services.check_in_session(room)
    form = CheckInForm()
    if session is None:
        return render_template(
            "supervision/refused.html",
            message=_("There is no session to check in to now."),
        ), 400
    if not form.validate_on_submit():
        return render_template(
            "supervision/refused.html", message=_("Choose a number from 1 to 5.")
        ), 400
    try:
        services.check_in(
            session,
            int(form.feeling.data),
            form.word.data or "",
            form.share.data == "share",
            actor=current_user,
        )
    except services.SupervisionInputError as error:
        return render_template("supervision/refused.html", message=error.message), 400
    flash(
        _("Checked in. The facilitators can see it.")
        if form.share.data == "share"
        else _("Checked in. Only you can see it.")
    )
    return redirect(url_for("rooms.room", room_id=room.public_id))


@bp.post("/support/<request_id>/one-to-one")
@member_required
def one_to_one(request_id: str):
    """A facilitator opens a private supervision space with the member."""
    row = policy.access_support_alert(current_user, request_id)
    if not FlaskForm().validate_on_submit():
        raise NotFound()
    room = services.open_private_room(row, actor=current_user)
    return redirect(url_for("rooms.room", room_id=room.public_id))
