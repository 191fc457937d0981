"""Sign-ins between the password and the second factor.

The password step creates no session: the browser's cookie holds a random token
(never the account id), and a short-lived server-side row names the account. The
row stops working when it expires or when the password changes."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app, session
from sqlalchemy import delete, select

from network.extensions import db
from network.models import Account, PendingLogin, utcnow
from network.security import hash_secret

COOKIE_KEY = "pending_2fa"


def begin(account: Account, *, remember: bool) -> None:
    """Remember, for this browser, that the password matched (nothing else)."""
    now = utcnow()
    db.session.execute(
        delete(PendingLogin).where(
            (PendingLogin.account_id == account.id) | (PendingLogin.expires_at <= now)
        )
    )
    token = secrets.token_urlsafe(32)
    minutes = current_app.config["TWO_FACTOR_PENDING_MINUTES"]
    db.session.add(
        PendingLogin(
            account_id=account.id,
            token_hash=hash_secret(token),
            remember=remember,
            password_changed_at=account.password_changed_at,
            expires_at=now + timedelta(minutes=minutes),
        )
    )
    db.session.commit()
    session.clear()
    session[COOKIE_KEY] = token


def current() -> tuple[PendingLogin, Account] | None:
    """This browser's waiting sign-in and its account, if still valid."""
    token = session.get(COOKIE_KEY)
    if not token:
        return None
    found = db.session.execute(
        select(PendingLogin, Account)
        .join(Account, Account.id == PendingLogin.account_id)
        .where(PendingLogin.token_hash == hash_secret(token))
    ).first()
    if found is None:
        return None
    row, account = found
    if row.expires_at <= utcnow() or row.password_changed_at != (
        account.password_changed_at
    ):
        return None
    return row, account


def finish(row: PendingLogin) -> None:
    """Forget the waiting sign-in (it succeeded, or the person gave up)."""
    db.session.delete(row)
    db.session.commit()
    session.pop(COOKIE_KEY, None)
