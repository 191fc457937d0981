"""Library forms."""

from __future__ import annotations

from network.forms import BaseForm
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from network.models import RESOURCE_LANGUAGES


class ResourceForm(BaseForm):
    """Title, description, tags, language and who may see it."""

    title = StringField(
        "Title",
        validators=[
            DataRequired(message="Enter a title."),
            Length(max=200, message="Keep the title under 200 characters."),
        ],
    )
    description = TextAreaField(
        "Description (Markdown: **bold**, _italic_, [links](https://…))",
        validators=[
            Optional(),
            Length(max=5000, message="Keep it under 5,000 characters."),
        ],
    )
    tags = StringField(
        "Tags, separated by commas (for example: housing, legal, coping)",
        validators=[Optional(), Length(max=300, message="Keep the tags shorter.")],
    )
    language = SelectField("Language", choices=list(RESOURCE_LANGUAGES.items()))
    visibility = RadioField(
        "Who may see it",
        choices=[
            ("org", "Members of your organization"),
            (
                "partners",
                "Also partner organizations (trust level collaborate or above)",
            ),
        ],
        default="org",
    )


class NewResourceForm(ResourceForm):
    """A link or a file."""

    kind = RadioField(
        "Share", choices=[("link", "A link"), ("file", "A file")], default="link"
    )
    url = StringField("Web address", validators=[Optional(), Length(max=2000)])
    file = FileField(
        "File (PDF, DOCX, ODT, TXT, PNG or JPEG; photos lose their location data)"
    )
    keep_file_name = BooleanField("Keep the original file name", default=False)


class ShareForm(BaseForm):
    """Post a card in a room."""

    room = SelectField(
        "Room",
        validate_choice=False,
        validators=[DataRequired(message="Choose a room.")],
    )
