"""Safety forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length


class SeparationForm(FlaskForm):
    """Name the person to be kept apart from, by pseudonym."""

    pseudonym = StringField(
        "Their pseudonym",
        validators=[
            DataRequired(message="Enter the pseudonym of the person."),
            Length(max=32, message="Pseudonyms are at most 32 characters."),
        ],
    )


class LeadSeparationForm(SeparationForm):
    """A lead files for one of their own members."""

    member = SelectField("Member to protect", validate_choice=False)


class EmptyForm(FlaskForm):
    """A button that only needs its CSRF token."""
