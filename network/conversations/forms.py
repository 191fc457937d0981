"""The message request form."""

from __future__ import annotations

from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from network.forms import BaseForm
from network.models.conversations import REQUEST_MAX_LENGTH


class RequestForm(BaseForm):
    """Ask to talk: a short first message, plain text, with an optional warning."""

    body = TextAreaField(
        f"Your first message (plain text, up to {REQUEST_MAX_LENGTH} characters)",
        validators=[
            DataRequired(message="Write a short first message."),
            Length(
                max=REQUEST_MAX_LENGTH,
                message=f"Keep it under {REQUEST_MAX_LENGTH} characters.",
            ),
        ],
    )
    content_warning = StringField(
        "Content warning (optional)",
        validators=[
            Optional(),
            Length(max=120, message="Keep it under 120 characters."),
        ],
    )
