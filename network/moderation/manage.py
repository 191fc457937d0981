"""The manage page's endpoints: GET /rooms/<id>/manage shows it; each action
posts to /rooms/<id>/manage/<action> (access -> service -> back to the page).
Registered on the moderation blueprint by register(bp)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from functools import wraps

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user

from network import policy
from network.errors import InputError
from network.guards import member_required
from network.moderation import page, roster, services
from network.supervision import services as supervision
from network.timezones import parse_local

CHECK = _l("Check the form below.")
ASK = object()  # a verb's answer: confirm in the page first (nothing was done)
ACTIONS: list = []  # (rule, view), in the order defined below


def register(bp: Blueprint) -> None:
    """Add the manage page and every action to the blueprint."""
    bp.add_url_rule(
        "/rooms/<room_id>/manage", view_func=member_required(manage), methods=["GET"]
    )
    for rule, view in ACTIONS:
        bp.add_url_rule(rule, view_func=view, methods=["POST"])


def manage(room_id: str):
    """Everything a facilitator or moderator does to a room, in one page."""
    room = policy.access_moderated_room(current_user, room_id)
    forms_ = page.manage_forms(room, current_user)
    return page.render_manage(room, current_user, forms_, None, 200)


def room_action(path: str, form_name: str):
    """Declare one manage-page action at POST /rooms/<id>/manage/<path>:
    access the moderated room, validate its form, run the verb, go back. A form
    that fails (or a verb returning False) shows the page again with 400."""

    def collect(verb):
        @member_required
        @wraps(verb)
        def view(room_id: str, **kwargs):
            room = policy.access_moderated_room(current_user, room_id)
            forms_ = page.manage_forms(room, current_user)
            form, error = forms_[form_name], CHECK
            if form.validate_on_submit():
                try:
                    result = verb(room, form, **kwargs)
                    if result is ASK:  # nothing changed: the page asks first
                        return page.render_manage(
                            room, current_user, forms_, None, 200, confirm=path
                        )
                    if result is not False:
                        flash(_("Done."))
                        return redirect(
                            url_for("moderation.manage", room_id=room.public_id)
                        )
                    error = None
                except InputError as exc:
                    error = exc.message
            return page.render_manage(room, current_user, forms_, error, 400)

        ACTIONS.append((f"/rooms/<room_id>/manage/{path}", view))
        return view

    return collect


def _target(room, form):
    """The room member the form names (the same 404 as a missing one), not oneself."""
    row = policy.access_room_member(current_user, room, form.member.data)
    if row.account_id == current_user.id:
        raise services.ModerationInputError(
            "member", _("You cannot do that to yourself.")
        )
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
    """Lock the room: read-only for members (asked once in the page first)."""
    if request.form.get("confirm") != "1":
        return ASK
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
        form.member.errors = [_("Choose a member of your organization.")]
        return False
    supervision.invite(room, account, actor=current_user)


@room_action("schedule", "session_form")
def schedule(room, form):
    """Schedule a session, in the scheduler's own time zone."""
    zone = current_user.profile.timezone
    starts = parse_local(form.starts_at.data, zone)
    ends = parse_local(form.ends_at.data, zone)
    if starts is None:
        form.starts_at.errors = [_("Enter a date and time.")]
    if ends is None:
        form.ends_at.errors = [_("Enter a date and time.")]
    facilitator = roster.account_by_profile(form.facilitator.data)
    if facilitator is None:
        form.facilitator.errors = [_("Choose one of the room's facilitators.")]
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
