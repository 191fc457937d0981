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
from sqlalchemy import update

from network.extensions import db, socketio
from network.mail import send_mail
from network.models import Account, utcnow
from network.realtime import call_after_commit

log = logging.getLogger(__name__)

EMAIL_EVERY = timedelta(hours=1)
SENTENCE = "You have new activity"


def activity_email(link: str) -> tuple[str, str]:
    """The subject and body of the one email there is: no content, no names."""
    return current_app.config["SITE_TITLE"], f"{SENTENCE}\n\n{link}\n"


def queue_activity_emails(account_ids: list[int]) -> None:
    """In one statement, stamp and pick the people among account_ids who asked
    for email and had none in the last hour; mail them after the commit."""
    now = utcnow()
    emails = list(
        db.session.scalars(
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
            .returning(Account.email)
            .execution_options(synchronize_session=False)
        )
    )
    if not emails:
        return
    subject, body = activity_email(_sign_in_link())
    app = current_app._get_current_object()

    def deliver() -> None:  # after the commit; no SQL, and no wait for SMTP here
        task = socketio.start_background_task(_send_all, app, emails, subject, body)
        if app.config["TESTING"]:
            app.extensions.setdefault("network.tasks", []).append(task)

    call_after_commit(deliver)


def _send_all(app, emails: list[str], subject: str, body: str) -> None:
    """Send the emails in the background (a message's sender never waits for
    SMTP); never an address in a log."""
    with app.app_context():
        for address in emails:
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
