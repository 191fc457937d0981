"""The manage page: its forms and what it shows. Every room-management endpoint
renders it again (status 400) when its form does not validate."""

from __future__ import annotations

from flask import render_template
from flask_wtf import FlaskForm

from network import policy
from network.models import Account, Room
from network.models.supervision import session_running
from network.moderation import forms, roster
from network.supervision import forms as supervision_forms
from network.supervision import services as supervision


def manage_forms(room: Room, viewer: Account) -> dict:
    """Every form of the manage page, bound to the request as FlaskForm does."""
    invite = supervision_forms.InviteForm(prefix="invite")
    invite.member.choices = roster.invitable(room, viewer)
    session = supervision_forms.SessionForm(prefix="session")
    session.facilitator.choices = roster.facilitators(room, viewer)
    return {
        "member_form": forms.MemberActionForm(prefix="m"),
        "slow_form": forms.SlowModeForm(prefix="slow", seconds=room.slow_mode_seconds),
        "invite_form": invite,
        "rules_form": supervision_forms.GroundRulesForm(
            prefix="rules", ground_rules=room.ground_rules
        ),
        "session_form": session,
        "plain": FlaskForm(),
    }


def render_manage(
    room: Room,
    viewer: Account,
    page_forms: dict,
    error: str | None,
    status: int,
    confirm: str | None = None,
):
    """The manage page with these forms (errors included) and an optional error."""
    running = session_running(room)
    return render_template(
        "moderation/manage.html",
        room=room,
        members=roster.members(room, viewer),
        **page_forms,
        error=error,
        confirm=confirm,
        sessions=supervision.upcoming(room, limit=20),
        check_ins=supervision.shared_check_ins(running, viewer) if running else [],
        partners_apart=policy.is_host_manager(viewer, room)
        and policy.partners_apart(room),
        can_name=policy.can_name_facilitators(viewer, room),
        host_public_id=roster.host_public_id(room),
    ), status
