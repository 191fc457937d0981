"""Email about new activity: off by default, at most one an hour, no content.

The email says "You have new activity" and gives a sign-in link: never a
kind, a room, a name or a word of a message, because an inbox is read by
whoever holds the phone. It is sent after the commit, with no SQL then
(realtime.call_after_commit), by a background task: who gets one was decided,
and stamped, in the transaction that made the notification.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from network.extensions import db, socketio
from network.i18n import LOCALES
from network.mail import send_mail
from network.models import Account, utcnow
from network.realtime import call_after_commit

log = logging.getLogger(__name__)

EMAIL_EVERY = timedelta(hours=1)
SENTENCE = _l("You have new activity")


def activity_email(link: str, locale: str | None = None) -> tuple[str, str]:
    """The subject and body of the one email there is: no content, no names;
    in the recipient's language (their account's choice, else English)."""
    with force_locale(locale if locale in LOCALES else "en"):
        body = f"{_('You have new activity')}\n\n{link}\n"
    return current_app.config["SITE_TITLE"], body


def queue_activity_emails(account_ids: list[int]) -> None:
    """In one statement, stamp and pick the people among account_ids who asked
    for email and had none in the last hour; mail them after the commit."""
    now = utcnow()
    rows = list(
        db.session.execute(
            update(Account)
            .where(
                Account.id.in_(account_ids),
                Account.notify_by_email.is_(True),
                Account.email.is_not(None),
                Account.email != "",
                Account.notified_by_email_at.is_(None)
                | (Account.notified_by_email_at < now - EMAIL_EVERY),
            )
            .values(notified_by_email_at=now)
            .returning(Account.email, Account.locale)
            .execution_options(synchronize_session=False)
        )
    )
    if not rows:
        return
    link = _sign_in_link()
    emails = [(email, *activity_email(link, locale)) for email, locale in rows]
    app = current_app._get_current_object()

    def deliver() -> None:  # after the commit; no SQL, and no wait for SMTP here
        task = socketio.start_background_task(_send_all, app, emails)
        if app.config["TESTING"]:
            app.extensions.setdefault("network.tasks", []).append(task)

    call_after_commit(deliver)


def _send_all(app, emails: list[tuple[str, str, str]]) -> None:
    """Send the emails in the background (a message's sender never waits for
    SMTP); never an address in a log."""
    with app.app_context():
        for address, subject, body in emails:
            try:
                send_mail(address, subject, body)
            except Exception as error:  # noqa: BLE001 - one failure stops no other
                log.warning("an activity email failed: %s", type(error).__name__)


def _sign_in_link() -> str:
    """Built on PUBLIC_URL, never on the request's Host header."""
    base = current_app.config.get("PUBLIC_URL")
    if not base:  # the demo without PUBLIC_URL
        return url_for("accounts.login", _external=True)
    return base.rstrip("/") + url_for("accounts.login", _external=False)
