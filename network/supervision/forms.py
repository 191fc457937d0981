"""Supervision forms: invitations, ground rules, sessions, check-ins."""

from __future__ import annotations

from network.forms import BaseForm
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional


class InviteForm(BaseForm):
    """Invite a member of the host organization."""

    member = SelectField(
        "Invite a member",
        validate_choice=False,
        validators=[DataRequired(message="Choose a member.")],
    )


class GroundRulesForm(BaseForm):
    """The room's agreement."""

    ground_rules = TextAreaField(
        "Ground rules (members accept them before their first message)",
        validators=[
            DataRequired(message="Write the room's agreement."),
            Length(max=4000, message="Keep it under 4,000 characters."),
        ],
    )


class SessionForm(BaseForm):
    """Schedule a session, in the scheduler's own time zone."""

    starts_at = StringField(
        "Starts", validators=[DataRequired(message="Enter a start.")]
    )
    ends_at = StringField("Ends", validators=[DataRequired(message="Enter an end.")])
    facilitator = SelectField("Facilitator", validate_choice=False)
    topic = StringField("Topic", validators=[Optional(), Length(max=200)])


class CheckInForm(BaseForm):
    """How are you arriving?"""

    feeling = RadioField(
        "How are you feeling? (1 low, 5 good)",
        choices=[(str(n), str(n)) for n in range(1, 6)],
        validate_choice=False,
        validators=[
            DataRequired(message="Choose a number from 1 to 5."),
            AnyOf(
                [str(n) for n in range(1, 6)], message="Choose a number from 1 to 5."
            ),
        ],
    )
    word = StringField("One word (optional)", validators=[Optional(), Length(max=40)])
    share = RadioField(
        "Who sees it",
        choices=[("private", "Only me"), ("share", "Me and the facilitators")],
        default="private",
    )
