"""Supervision forms: invitations, ground rules, sessions, check-ins."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from network.forms import BaseForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional


class InviteForm(BaseForm):
    """Invite a member of the host organization."""

    member = SelectField(
        _l("Invite a member"),
        validate_choice=False,
        validators=[DataRequired(message=_l("Choose a member."))],
    )


class GroundRulesForm(BaseForm):
    """The room's agreement."""

    ground_rules = TextAreaField(
        _l("Ground rules (members accept them before their first message)"),
        validators=[
            DataRequired(message=_l("Write the room's agreement.")),
            Length(max=4000, message=_l("Keep it under 4,000 characters.")),
        ],
    )


class SessionForm(BaseForm):
    """Schedule a session, in the scheduler's own time zone."""

    starts_at = StringField(
        _l("Starts"), validators=[DataRequired(message=_l("Enter a start."))]
    )
    ends_at = StringField(
        _l("Ends"), validators=[DataRequired(message=_l("Enter an end."))]
    )
    facilitator = SelectField(_l("Facilitator"), validate_choice=False)
    topic = StringField(_l("Topic"), validators=[Optional(), Length(max=200)])


class CheckInForm(BaseForm):
    """How are you arriving?"""

    feeling = RadioField(
        _l("How are you feeling? (1 low, 5 good)"),
        choices=[(str(n), str(n)) for n in range(1, 6)],
        validate_choice=False,
        validators=[
            DataRequired(message=_l("Choose a number from 1 to 5.")),
            AnyOf(
                [str(n) for n in range(1, 6)],
                message=_l("Choose a number from 1 to 5."),
            ),
        ],
    )
    word = StringField(
        _l("One word (optional)"), validators=[Optional(), Length(max=40)]
    )
    share = RadioField(
        _l("Who sees it"),
        choices=[("private", _l("Only me")), ("share", _l("Me and the facilitators"))],
        default="private",
    )
