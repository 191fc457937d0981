"""The base of every form: single-line fields lose direction controls."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField

from network.text import one_line


class BaseForm(FlaskForm):
    """FlaskForm whose one-line text fields (titles, names, pseudonyms, tags...)
    are cleaned by network.text.one_line before any validator sees them.
    Multi-line fields (bios, notes, bodies) keep direction marks: right-to-left
    writers need them there, and they cannot disguise a name."""

    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            """Add the one-line filter to every StringField but text areas and
            passwords (a password is kept exactly as typed)."""
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(
                field_class, (TextAreaField, PasswordField)
            ):
                filters = unbound_field.kwargs.get("filters", ())
                options = {**options, "filters": (one_line, *filters)}
            return unbound_field.bind(form=form, **options)
