"""Room forms."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

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
        _l("Name"),
        validators=[
            DataRequired(message=_l("Enter a name for the room.")),
            Length(min=2, max=80, message=_l("Use between 2 and 80 characters.")),
        ],
    )
    topic = TextAreaField(
        _l("Topic"),
        validators=[
            Optional(),
            Length(max=300, message=_l("Keep it under 300 characters.")),
        ],
    )
    kind = RadioField(
        _l("Kind of room"),
        choices=[
            ("channel", _l("Channel: open to everyone who may join")),
            (
                "supervision",
                _l(
                    "Supervision: facilitated, by invitation or request, "
                    "open only when supervised"
                ),
            ),
        ],
        default="channel",
    )
    visibility = RadioField(
        _l("Who may join"),
        choices=[
            ("org", _l("Members of your organization")),
            (
                "partners",
                _l("Also partner organizations (trust level collaborate or above)"),
            ),
        ],
        default="org",
    )
    partners = MultiCheckboxField(
        _l("Only these partners (leave all unticked for every partner)"),
        coerce=int,
        validate_choice=False,  # filtered against current partners in the route
    )
    retention_days = IntegerField(
        _l("Keep messages for (days)"),
        default=90,
        validators=[InputRequired(message=_l("Enter a number of days."))],
    )
    on_author_deletion = RadioField(
        _l("When someone deletes their account"),
        choices=[
            (
                "remove",
                _l("Remove the text of their messages (shown as “former member”)"),
            ),
            (
                "keep",
                _l("Keep the text of their messages, shown as from “former member”"),
            ),
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
                _(
                    "Choose from %(low)s to %(high)s days: the network keeps "
                    "messages at least and at most that long.",
                    low=low,
                    high=high,
                )
            )


class RetentionBoundsForm(BaseForm):
    """The platform admin's bounds on every room's retention."""

    min_days = IntegerField(
        _l("Fewest days a room may keep messages"),
        validators=[DataRequired(message=_l("Enter a number of days."))],
    )
    max_days = IntegerField(
        _l("Most days a room may keep messages"),
        validators=[DataRequired(message=_l("Enter a number of days."))],
    )
