"""Moderation and report forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from network.forms import BaseForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional

from network.accounts.forms import MultiCheckboxField
from network.models import REPORT_CATEGORIES

CATEGORY_CHOICES = list(REPORT_CATEGORIES.items())


class ReportForm(BaseForm):
    """Report a message, a profile or a resource."""

    category = RadioField(
        _l("What is wrong?"),
        choices=CATEGORY_CHOICES,
        validate_choice=False,
        validators=[
            DataRequired(message=_l("Choose a reason from the list.")),
            AnyOf(
                list(REPORT_CATEGORIES), message=_l("Choose a reason from the list.")
            ),
        ],
    )
    note = TextAreaField(
        _l("Anything else (optional)"),
        validators=[
            Optional(),
            Length(max=1000, message=_l("Keep it under 1,000 characters.")),
        ],
    )
    # Off by default: a forwarded profile report is de-identified unless ticked.
    share = BooleanField(
        _l("My organization may share my name and note with the other organization")
    )


class ResolveForm(BaseForm):
    """Close a report."""

    outcome = RadioField(
        _l("Outcome"),
        choices=[
            ("action_taken", _l("Action taken")),
            ("no_action", _l("No action needed")),
        ],
        validate_choice=False,
        validators=[
            DataRequired(message=_l("Choose an outcome.")),
            AnyOf(["action_taken", "no_action"], message=_l("Choose an outcome.")),
        ],
    )


class OptOutForm(BaseForm):
    """Categories a moderator does not want to review."""

    categories = MultiCheckboxField(
        _l("Don't show me reports about"), choices=CATEGORY_CHOICES
    )


class MemberActionForm(BaseForm):
    """Mute, remove or ban a member of a room, with a reason."""

    member = StringField(validators=[DataRequired(message=_l("Choose a member."))])
    minutes = IntegerField(
        _l("Mute for (minutes)"),
        default=30,
        validators=[
            Optional(),
            NumberRange(
                min=1, max=10080, message=_l("Mute for 1 to 10080 minutes (one week).")
            ),
        ],
    )
    reason = StringField(
        _l("Reason (the member is told it)"),
        validators=[
            Optional(),
            Length(max=300, message=_l("Keep it under 300 characters.")),
        ],
    )


class SlowModeForm(BaseForm):
    """Seconds between messages per member."""

    seconds = IntegerField(
        _l("Seconds between messages (0 for off)"),
        default=0,
        validators=[
            NumberRange(min=0, max=3600, message=_l("Use 0 to 3,600 seconds."))
        ],
    )
