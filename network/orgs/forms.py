"""Organization forms: creation, vetting decisions, roles, codes, checklist."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from network.forms import BaseForm
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from network.accounts.forms import REGION_CHOICES, MultiCheckboxField

ROLE_CHOICES = [
    ("member", _l("Peer supporter")),
    ("moderator", _l("Moderator")),
    ("lead", _l("Lead")),
]


class OrganizationForm(BaseForm):
    """The admin creates an organization."""

    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(message=_l("Enter the organization's name.")),
            Length(min=2, max=120, message=_l("Use between 2 and 120 characters.")),
        ],
    )
    region = SelectField(
        _l("Province or territory"),
        choices=REGION_CHOICES[1:],
        validators=[DataRequired(message=_l("Choose a province or territory."))],
    )
    description = TextAreaField(
        _l("Description"),
        validators=[
            Optional(),
            Length(max=1000, message=_l("Keep it under 1,000 characters.")),
        ],
    )


class InvitationForm(BaseForm):
    """Issue an invitation code."""

    max_uses = IntegerField(
        _l("How many people may use it"),
        default=1,
        validators=[
            DataRequired(message=_l("Enter a number from 1 to 50.")),
            NumberRange(min=1, max=50, message=_l("Enter a number from 1 to 50.")),
        ],
    )
    days = IntegerField(
        _l("Valid for (days)"),
        default=7,
        validators=[
            DataRequired(message=_l("Enter a number of days from 1 to 30.")),
            NumberRange(
                min=1, max=30, message=_l("Enter a number of days from 1 to 30.")
            ),
        ],
    )
    note = StringField(
        _l("Private note (for example, which training cohort)"),
        validators=[
            Optional(),
            Length(max=120, message=_l("Keep it under 120 characters.")),
        ],
    )


class LeadInvitationForm(BaseForm):
    """The admin appoints a first lead with a single-use lead code."""

    days = IntegerField(
        _l("Valid for (days)"),
        default=7,
        validators=[
            DataRequired(message=_l("Enter a number of days from 1 to 30.")),
            NumberRange(
                min=1, max=30, message=_l("Enter a number of days from 1 to 30.")
            ),
        ],
    )


class ApproveForm(BaseForm):
    """Approve against the organization's checklist."""

    items = MultiCheckboxField(_l("Vetting checklist"), coerce=int)


class RejectForm(BaseForm):
    """Decline, with a reason only the leads see."""

    reason = TextAreaField(
        _l("Private reason (only your organization's leads see it)"),
        validators=[
            DataRequired(message=_l("Enter a reason.")),
            Length(max=500, message=_l("Keep it under 500 characters.")),
        ],
    )


class SuspendForm(BaseForm):
    """Suspend, with a reason for the audit log."""

    reason = StringField(
        _l("Reason (kept in the audit log)"),
        validators=[
            DataRequired(message=_l("Enter a reason.")),
            Length(max=300, message=_l("Keep it under 300 characters.")),
        ],
    )


class RoleForm(BaseForm):
    """Change a member's role."""

    role = SelectField(_l("Role"), choices=ROLE_CHOICES)


class ChecklistItemForm(BaseForm):
    """Add a vetting item."""

    label = StringField(
        _l("New checklist item"),
        validators=[
            DataRequired(message=_l("Enter the item's wording.")),
            Length(max=200, message=_l("Keep it under 200 characters.")),
        ],
    )


class EmptyForm(BaseForm):
    """A button that only needs its CSRF token."""
