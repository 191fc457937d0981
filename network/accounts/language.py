"""The language switch's service: a person's choice is kept on their account."""

from __future__ import annotations

from network.extensions import db
from network.i18n import LOCALES


def set_locale(account, locale: str, *, actor) -> None:
    """Remember the language an account chose (only the account itself)."""
    if actor.id != account.id or locale not in LOCALES:
        return
    account.locale = locale
    db.session.commit()
