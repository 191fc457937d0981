"""Languages: which one a page speaks, the switch, and the words the browser's
scripts show (a JSON catalogue in the page, never fetched, CSP-safe).

Conventions (docs/i18n.md): Python marks text with flask_babel's `_` (gettext)
or `_l` (lazy_gettext, for module-level constants and form labels); templates
with `{{ _("...") }}` or `{% trans %}...{% endtrans %}`; scripts with `t("...")`
(static/js/i18n.js), whose strings are found by scanning static/js, so each
page carries exactly their translations.
"""

from __future__ import annotations

import functools
from pathlib import Path

from babel.messages.extract import extract_javascript
from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale, gettext
from sqlalchemy.exc import SQLAlchemyError

# The languages the network speaks: locale -> its own name (the switch shows it).
LOCALES = {"en": "English", "fr_CA": "Français"}
LOCALE_COOKIE = "lang"


def select_locale() -> str:
    """A signed-in person's choice, else a visitor's switch (cookie), else the
    browser's language, else English. Outside a request (a command, a
    background loop, a service called from a test) there is nobody to ask:
    English."""
    from flask_login import current_user

    if not has_request_context():  # a service called from a task or the shell
        return "en"
    chosen = None
    try:
        if current_user and current_user.is_authenticated:
            chosen = getattr(current_user, "locale", None)
    except SQLAlchemyError:  # the outage page still speaks the visitor's language
        chosen = None
    if chosen not in LOCALES:
        chosen = request.cookies.get(LOCALE_COOKIE)
    if chosen in LOCALES:
        return chosen
    best = request.accept_languages.best_match(["en", "fr", "fr-CA", "fr_CA"])
    return "fr_CA" if best and best.startswith("fr") else "en"


def current_locale() -> str:
    """The page's locale as a key of LOCALES ("en" outside a request)."""
    locale = str(get_locale() or "en")
    return locale if locale in LOCALES else "en"


def html_lang() -> str:
    """The page's lang attribute: always the language the text is in."""
    return current_locale().replace("_", "-")


@functools.cache
def _script_messages(static_folder: str) -> tuple[str, ...]:
    """Every t("...") string in the site's scripts (scanned once per process)."""
    found: set[str] = set()
    for path in sorted(Path(static_folder, "js").rglob("*.js")):
        with path.open("rb") as handle:
            for _line, _func, message, _comments in extract_javascript(
                handle, ["t"], [], {}
            ):
                if isinstance(message, str):
                    found.add(message)
    return tuple(sorted(found))


def js_catalogue() -> dict[str, str]:
    """The scripts' strings in the page's language (English: an empty catalogue,
    t() then returns its argument)."""
    if current_locale() == "en":
        return {}
    messages = _script_messages(current_app.static_folder)
    return {message: gettext(message) for message in messages}


def init_app(app: Flask) -> None:
    """Template helpers for the page's language and the scripts' catalogue."""
    app.jinja_env.globals.update(
        html_lang=html_lang, js_catalogue=js_catalogue, locales=LOCALES
    )
