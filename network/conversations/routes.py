"""Conversations: asking to talk, answering requests, the list, leaving."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from network import policy
from network.availability.services import away_note
from network.conversations import listing, services
from network.conversations.forms import RequestForm
from network.errors import InputError, NotFound
from network.guards import member_required
from network.models.conversations import MAX_PENDING

bp = Blueprint("conversations", __name__)

SENT = _l("Your request is sent. It waits for an answer for up to 14 days.")


@bp.get("/conversations")
@member_required
def index():
    """My conversations, requests waiting for my answer, and requests I sent."""
    return render_template(
        "conversations/index.html",
        conversations=listing.conversations(current_user),
        incoming=listing.incoming(current_user),
        outgoing=listing.outgoing(current_user),
        waiting=listing.waiting_count(current_user),
        max_pending=MAX_PENDING,
        form=FlaskForm(),
    )


@bp.route("/profiles/<public_id>/ask", methods=["GET", "POST"])
@member_required
def ask(public_id: str):
    """Ask to talk, with a short first message."""
    profile = policy.access_requestable_profile(current_user, public_id)
    form = RequestForm()
    if form.validate_on_submit():
        try:
            services.send_request(
                profile.account,
                actor=current_user,
                body=form.body.data,
                content_warning=form.content_warning.data or "",
            )
        except InputError as error:
            getattr(form, error.field).errors.append(error.message)
        else:
            flash(str(SENT))
            return redirect(url_for("conversations.index"))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "conversations/ask.html",
        form=form,
        profile=profile,
        away_note=away_note(profile.account, current_user),
    ), status


@bp.post("/conversations/requests/<request_id>")
@member_required
def answer(request_id: str):
    """Accept, decline, or decline and block. A decline is never told."""
    row = policy.access_incoming_request(current_user, request_id)
    action = request.form.get("action")
    if not FlaskForm().validate_on_submit() or action not in {
        "accept",
        "decline",
        "block",
    }:
        raise NotFound()
    if action == "accept":
        if not policy.can_answer_request(current_user, row):
            raise NotFound()
        room = services.accept(row, actor=current_user)
        return redirect(url_for("rooms.room", room_id=room.public_id))
    services.decline(row, actor=current_user, block=action == "block")
    flash(
        _("Declined and blocked. They are not told.")
        if action == "block"
        else _("Declined. They are not told.")
    )
    return redirect(url_for("conversations.index"))


@bp.post("/conversations/<room_id>/leave")
@member_required
def leave(room_id: str):
    """Leave a direct conversation: it closes for both."""
    access = policy.access_room_context(current_user, room_id)
    if access.room.kind != "direct" or not FlaskForm().validate_on_submit():
        raise NotFound()
    services.leave(access.room, actor=current_user)
    flash(_("You left the conversation. It is closed for both of you."))
    return redirect(url_for("conversations.index"))
