"""Room forms."""

from __future__ import annotations

from network.forms import BaseForm
from wtforms import IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

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
        validators=[InputRequired(message="Enter a number of days.")],
    )
    on_author_deletion = RadioField(
        "When someone deletes their account",
        choices=[
            ("remove", "Remove the text of their messages (shown as “former member”)"),
            ("keep", "Keep the text of their messages, shown as from “former member”"),
        ],
        default="remove",
    )
    # (fewest, most) days: the platform admin's bounds, set by the route.
    retention_bounds: tuple[int, int] = (1, 365)

    def validate_retention_days(self, field) -> None:
        """Within the admin's bounds, with a message that says them."""
        low, high = self.retention_bounds
        if field.data is not None and not low <= field.data <= high:
            raise ValidationError(
                f"Choose from {low} to {high} days: the network keeps messages "
                "at least and at most that long."
            )


class RetentionBoundsForm(BaseForm):
    """The platform admin's bounds on every room's retention."""

    min_days = IntegerField(
        "Fewest days a room may keep messages",
        validators=[DataRequired(message="Enter a number of days.")],
    )
    max_days = IntegerField(
        "Most days a room may keep messages",
        validators=[DataRequired(message="Enter a number of days.")],
    )
