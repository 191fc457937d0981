"""The message request form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from network.forms import BaseForm
from network.models.conversations import REQUEST_MAX_LENGTH


class RequestForm(BaseForm):
    """Ask to talk: a short first message, plain text, with an optional warning."""

    body = TextAreaField(
        _l(
            "Your first message (plain text, up to %(num)s characters)",
            num=REQUEST_MAX_LENGTH,
        ),
        validators=[
            DataRequired(message=_l("Write a short first message.")),
            Length(
                max=REQUEST_MAX_LENGTH,
                message=_l("Keep it under %(num)s characters.", num=REQUEST_MAX_LENGTH),
            ),
        ],
    )
    content_warning = StringField(
        _l("Content warning (optional)"),
        validators=[
            Optional(),
            Length(max=120, message=_l("Keep it under 120 characters.")),
        ],
    )
