"""Trust forms."""

from __future__ import annotations

from network.forms import BaseForm
from wtforms import HiddenField, SelectField
from wtforms.validators import DataRequired

from network.models import TrustLevel

LEVEL_CHOICES = [(level.label, level.label.capitalize()) for level in TrustLevel]


class TrustForm(BaseForm):
    """The level this organization gives another."""

    org = HiddenField(validators=[DataRequired(message="Choose an organization.")])
    level = SelectField("You give them", choices=LEVEL_CHOICES)
