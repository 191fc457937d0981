"""Room pages: the list, the room itself, and management for leads and moderators."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from network import policy
from network.guards import member_required
from network.errors import NotFound
from network.models import MAX_MESSAGE_LENGTH
from network.orgs.forms import EmptyForm
from network.rooms import page, retention, services
from network.rooms.forms import RoomForm

bp = Blueprint("rooms", __name__)

PARTNERS_APART = _l(
    "Some partner organizations in this room do not work together at collaborate;"
    " their members do not see each other here."
)


@bp.get("/rooms")
@member_required
def index():
    """The rooms the viewer may join, with unread counts; supervision rooms one is
    invited to or may ask to join."""
    return render_template(
        "rooms/index.html",
        rooms=services.room_list(current_user),
        invitations=services.invitations(current_user),
        requestable=services.requestable(current_user),
        can_manage=policy.room_manager_org(current_user) is not None,
        form=EmptyForm(),
    )


@bp.get("/rooms/<room_id>")
@member_required
def room(room_id: str):
    """The room: the last 50 messages rendered here, then kept live by the socket.
    Someone removed or banned from it is told so (only they see why); anyone
    else gets the ordinary not-found page, after the same statements."""
    try:
        access = policy.access_room_context(current_user, room_id)
    except NotFound:
        if policy.closed_conversation(current_user, room_id):
            return render_template("rooms/closed.html"), 404
        reason = policy.shut_out_reason(current_user, room_id)
        if reason is None:
            raise
        return render_template("rooms/removed.html", reason=reason), 404
    before = request.args.get("before")
    if before is not None:
        before = policy.access_message_position(current_user, access.room, before)
    at = _at(access.room, request.args.get("at"))
    return render_template(
        "rooms/room.html",
        max_length=MAX_MESSAGE_LENGTH,
        at=request.args.get("at") if at is not None else None,
        **page.room_page(access, current_user, before_id=before, at_id=at),
    )


def _at(room, public_id) -> int | None:
    """The place of the message a search result opens (?at=<message id>): one the
    viewer may see (a kept-apart author's answers like a missing one); one gone
    since (purged), or a guess, opens the room at its newest messages."""
    if public_id is None:
        return None
    try:
        return policy.access_room_message(current_user, room, public_id).id
    except NotFound:
        return None


def _form(org, room=None) -> RoomForm:
    form = RoomForm(obj=room)
    form.retention_bounds = retention.bounds()
    form.partners.choices = [(o.id, o.name) for o in services.partner_choices(org)]
    if room is not None and request.method == "GET":
        form.partners.data = sorted(room.partner_org_ids)
    return form


def _fields(form) -> dict:
    allowed = {choice[0] for choice in form.partners.choices}
    partners = [org_id for org_id in form.partners.data or [] if org_id in allowed]
    return {
        "name": form.name.data,
        "topic": form.topic.data or "",
        "visibility": form.visibility.data,
        "partner_org_ids": partners if form.visibility.data == "partners" else [],
        "retention_days": form.retention_days.data,
        "on_author_deletion": form.on_author_deletion.data,
    }


@bp.route("/rooms/new", methods=["GET", "POST"])
@member_required
def create():
    """Leads and moderators create rooms for their organization."""
    org = policy.room_manager_org(current_user)
    if org is None:
        raise NotFound()
    form = _form(org)
    if form.validate_on_submit():
        created = services.create_room(
            org, actor=current_user, kind=form.kind.data, **_fields(form)
        )
        flash(_("The room is ready."))
        return redirect(url_for("rooms.room", room_id=created.public_id))
    return render_template("rooms/edit.html", form=form, room=None), (
        400 if form.is_submitted() else 200
    )


@bp.route("/rooms/<room_id>/edit", methods=["GET", "POST"])
@member_required
def edit(room_id: str):
    """Edit a room of one's organization; archive it."""
    shown = policy.access_managed_room(current_user, room_id)
    org = policy.room_manager_org(current_user)
    form = _form(org, shown)
    archive = EmptyForm(prefix="archive")
    if request.form.get("action") == "archive" and archive.validate_on_submit():
        services.archive_room(shown, actor=current_user)
        flash(_("The room is archived."))
        return redirect(url_for("rooms.index"))
    if request.form.get("action") != "archive" and form.validate_on_submit():
        services.update_room(shown, actor=current_user, **_fields(form))
        flash(_("The room is saved."))
        if policy.partners_apart(shown):
            flash(str(PARTNERS_APART))
        return redirect(url_for("rooms.room", room_id=shown.public_id))
    return render_template("rooms/edit.html", form=form, room=shown, archive=archive), (
        400 if request.method == "POST" else 200
    )


@bp.post("/rooms/<room_id>/help")
@member_required
def ask_for_help(room_id: str):
    """Ask a facilitator for help (policy.support_recipient_ids says who)."""
    shown = policy.access_room(current_user, room_id)
    if not EmptyForm().validate_on_submit() or not policy.can_ask_for_help(shown):
        raise NotFound()
    row = services.ask_for_help(
        shown, actor=current_user, note=request.form.get("note", "")[:300]
    )
    if row is None:  # the same answer whatever the reason: it reveals nobody
        flash(str(services.UNREACHABLE))
    else:
        flash(
            _(
                "A facilitator has been asked to contact you. "
                "Only they see your request."
            )
        )
    return redirect(url_for("rooms.room", room_id=shown.public_id))


@bp.post("/support/<request_id>/handled")
@member_required
def handled(request_id: str):
    """Mark a help request as handled."""
    row = policy.access_support_request(current_user, request_id)
    if EmptyForm().validate_on_submit():
        services.mark_handled(row, actor=current_user)
    return redirect(url_for("home.index"))
