"""Two-factor forms: a code from the app, a recovery code, a lead's reset code."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from network.forms import BaseForm

# A phone opens its number pad and offers the code from a text message or app.
NUMERIC = {"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6}


class CodeForm(BaseForm):
    """Six digits from the authenticator app."""

    code = StringField(
        _l("Code from your app"),
        validators=[DataRequired("Enter the six-digit code."), Length(max=40)],
        render_kw={**NUMERIC, "pattern": "[0-9]*", "spellcheck": "false"},
    )


class RecoveryForm(BaseForm):
    """One of the recovery codes shown at enrolment."""

    recovery_code = StringField(
        _l("Recovery code"),
        validators=[DataRequired("Enter a recovery code."), Length(max=40)],
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
        },
    )


class LeadResetForm(BaseForm):
    """A code from one's lead that removes two-factor login."""

    reset_code = StringField(
        _l("Code from your lead"),
        validators=[DataRequired("Enter the code from your lead."), Length(max=40)],
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
        },
    )


class SecondFactorForm(BaseForm):
    """Either kind of code, where a person confirms a change to their account."""

    code = StringField(
        _l("Code from your app, or a recovery code"),
        validators=[DataRequired("Enter a code."), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false"},
    )
