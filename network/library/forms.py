"""Library forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from network.forms import BaseForm
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from network.models import RESOURCE_LANGUAGES


class ResourceForm(BaseForm):
    """Title, description, tags, language and who may see it."""

    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(message=_l("Enter a title.")),
            Length(max=200, message=_l("Keep the title under 200 characters.")),
        ],
    )
    description = TextAreaField(
        _l("Description (Markdown: **bold**, _italic_, [links](https://…))"),
        validators=[
            Optional(),
            Length(max=5000, message=_l("Keep it under 5,000 characters.")),
        ],
    )
    tags = StringField(
        _l("Tags, separated by commas (for example: housing, legal, coping)"),
        validators=[Optional(), Length(max=300, message=_l("Keep the tags shorter."))],
    )
    language = SelectField(_l("Language"), choices=list(RESOURCE_LANGUAGES.items()))
    visibility = RadioField(
        _l("Who may see it"),
        choices=[
            ("org", _l("Members of your organization")),
            (
                "partners",
                _l("Also partner organizations (trust level collaborate or above)"),
            ),
        ],
        default="org",
    )


class NewResourceForm(ResourceForm):
    """A link or a file."""

    kind = RadioField(
        _l("Share"),
        choices=[("link", _l("A link")), ("file", _l("A file"))],
        default="link",
    )
    url = StringField(_l("Web address"), validators=[Optional(), Length(max=2000)])
    file = FileField(
        _l("File (PDF, DOCX, ODT, TXT, PNG or JPEG; photos lose their location data)")
    )
    keep_file_name = BooleanField(_l("Keep the original file name"), default=False)


class ShareForm(BaseForm):
    """Post a card in a room."""

    room = SelectField(
        _l("Room"),
        validate_choice=False,
        validators=[DataRequired(message=_l("Choose a room."))],
    )
