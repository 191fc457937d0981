"""Room forms."""

from __future__ import annotations

from network.forms import BaseForm
from wtforms import IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from network.accounts.forms import MultiCheckboxField


class RoomForm(BaseForm):
    """Create or edit a channel."""

    name = StringField(
        "Name",
        validators=[
            DataRequired(message="Enter a name for the room."),
            Length(min=2, max=80, message="Use between 2 and 80 characters."),
        ],
    )
    topic = TextAreaField(
        "Topic",
        validators=[
            Optional(),
            Length(max=300, message="Keep it under 300 characters."),
        ],
    )
    kind = RadioField(
        "Kind of room",
        choices=[
            ("channel", "Channel: open to everyone who may join"),
            (
                "supervision",
                "Supervision: facilitated, by invitation or request, "
                "open only when supervised",
            ),
        ],
        default="channel",
    )
    visibility = RadioField(
        "Who may join",
        choices=[
            ("org", "Members of your organization"),
            (
                "partners",
                "Also partner organizations (trust level collaborate or above)",
            ),
        ],
        default="org",
    )
    partners = MultiCheckboxField(
        "Only these partners (leave all unticked for every partner)",
        coerce=int,
        validate_choice=False,  # filtered against current partners in the route
    )
    retention_days = IntegerField(
        "Keep messages for (days)",
        default=90,
        validators=[
            DataRequired(message="Enter a number of days from 1 to 365."),
            NumberRange(
                min=1, max=365, message="Enter a number of days from 1 to 365."
            ),
        ],
    )
