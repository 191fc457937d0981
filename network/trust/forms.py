"""Trust forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from network.forms import BaseForm
from wtforms import HiddenField, SelectField
from wtforms.validators import DataRequired

from network.models import TrustLevel

LEVEL_CHOICES = [(level.label, level.title) for level in TrustLevel]


class TrustForm(BaseForm):
    """The level this organization gives another."""

    org = HiddenField(validators=[DataRequired(message=_l("Choose an organization."))])
    level = SelectField(_l("You give them"), choices=LEVEL_CHOICES)
