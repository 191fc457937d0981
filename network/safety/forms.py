"""Safety forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from network.forms import BaseForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length


class AskLeadForm(BaseForm):
    """A member asks their leads to file a confidential request by name."""

    pseudonym = StringField(
        _l("The name you know them by"),
        validators=[
            DataRequired(message=_l("Enter the name of the person.")),
            Length(max=32, message=_l("Names are at most 32 characters.")),
        ],
    )
    note = TextAreaField(
        _l("A note for your lead (optional)"),
        validators=[Length(max=500, message=_l("Notes are at most 500 characters."))],
    )


class LeadRequestForm(BaseForm):
    """A lead files a confidential request on behalf of one of their members."""

    member = SelectField(_l("Member to protect"), validate_choice=False)
    pseudonym = AskLeadForm.pseudonym
    details = TextAreaField(
        _l("Details that help other leads recognise the person (optional)"),
        validators=[Length(max=500, message=_l("Details are at most 500 characters."))],
    )


class ShareForm(BaseForm):
    """A lead files a member's ask for the leads of other organizations."""

    details = LeadRequestForm.details


class AttachForm(BaseForm):
    """Another organization's lead attaches a request to one of their members."""

    member = SelectField(_l("Your member"), validate_choice=False)


class EmptyForm(BaseForm):
    """A button that only needs its CSRF token."""
