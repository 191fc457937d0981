"""The language switch: a person's choice is kept on their account, a visitor's
in a cookie (network/i18n.py reads both)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response, redirect, request, url_for
from flask_login import current_user
from network.forms import BaseForm
from wtforms import HiddenField, SelectField

from network.accounts import leaving
from network.accounts.language import set_locale
from network.extensions import csrf
from network.i18n import LOCALE_COOKIE, LOCALES

bp = Blueprint("language", __name__)
COOKIE_SECONDS = 365 * 24 * 3600


class LanguageForm(BaseForm):
    """The switch: one select (each language in its own name) and where to return.
    It sits on every page, so its CSRF token is the page token (leaving.page_token:
    no timestamp), not Flask-WTF's, which would make two renders of a page differ."""

    class Meta:
        csrf = False

    locale = SelectField(choices=list(LOCALES.items()))
    next = HiddenField()


PURPOSE = "language"


def safe_return(target: str | None) -> str:
    """A same-site path to go back to, else the home page (never another host)."""
    parts = urlsplit(target or "")
    path = parts.path
    if (
        parts.scheme
        or parts.netloc
        or not path.startswith("/")
        or path.startswith("//")
        or "\\" in (target or "")
    ):
        return url_for("home.index")
    return path + (f"?{parts.query}" if parts.query else "")


@bp.route("/language", methods=["POST"])
@csrf.exempt  # checked below against the page token instead
def switch() -> Response:
    """Set the page language: on the account when signed in, else a cookie."""
    leaving.require_page_token(
        PURPOSE, "The language switch token is missing or wrong."
    )
    form = LanguageForm()
    back = safe_return(form.next.data)
    if not form.validate_on_submit():
        return redirect(back)
    locale = form.locale.data
    response = redirect(back)
    if current_user.is_authenticated:
        set_locale(current_user, locale, actor=current_user)
    response.set_cookie(
        LOCALE_COOKIE,
        locale,
        max_age=COOKIE_SECONDS,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure,
    )
    return response


def language_form() -> LanguageForm:
    """The switch's form for the page (the current language pre-selected)."""
    from network.i18n import current_locale

    form = LanguageForm(formdata=None)
    form.locale.data = current_locale()
    form.token = leaving.page_token(PURPOSE)
    # The way back is filled in by static/js/app.js on submit: a page's body
    # never carries its own URL (a refused page and a missing one stay identical).
    return form
