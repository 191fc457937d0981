"""Passwords, secrets, server-side sessions and the HTTP security headers."""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_login import logout_user
from sqlalchemy import Select, bindparam, delete, select
from sqlalchemy.orm import joinedload

from network.extensions import db, login_manager
from network.models import Account, AuthSession, Membership, utcnow
from network.useragent import device_label

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def _hasher() -> PasswordHasher:
    config = current_app.config
    key = "network.hasher"
    if key not in current_app.extensions:
        current_app.extensions[key] = PasswordHasher(
            time_cost=config["ARGON2_TIME_COST"],
            memory_cost=config["ARGON2_MEMORY_COST"],
            parallelism=config["ARGON2_PARALLELISM"],
        )
    return current_app.extensions[key]


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check a password; with no account, burn the same time against a dummy hash."""
    hasher = _hasher()
    if stored_hash is None:
        key = "network.dummy_hash"
        if key not in current_app.extensions:
            current_app.extensions[key] = hasher.hash(secrets.token_urlsafe(16))
        stored_hash = current_app.extensions[key]
        try:
            hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            pass
        return False
    try:
        return hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with weaker parameters than the current ones."""
    return _hasher().check_needs_rehash(stored_hash)


def hash_secret(secret: str) -> str:
    """SHA-256 of a high-entropy secret (codes, tokens), for lookup without storing it."""
    return hashlib.sha256(secret.encode()).hexdigest()


def new_code(groups: int = 3) -> str:
    """A code a person can read aloud: groups of four unambiguous characters."""
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    parts = ["".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(groups)]
    return "-".join(parts)


def normalize_code(code: str) -> str:
    """Accept codes typed in lower case, with spaces or without dashes."""
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


def start_session(account: Account, *, remember: bool = False) -> None:
    """Log in: a fresh session id (rotation) backed by a server-side row."""
    session.clear()
    token = secrets.token_urlsafe(32)
    hours = current_app.config["SESSION_HOURS"]
    days = current_app.config["REMEMBER_DAYS"]
    lifetime = timedelta(days=days) if remember else timedelta(hours=hours)
    row = AuthSession(
        account_id=account.id,
        token_hash=hash_secret(token),
        remember=remember,
        expires_at=utcnow() + lifetime,
        # The coarse label alone; the header itself is never stored.
        device=device_label(request.headers.get("User-Agent")),
        last_seen_at=utcnow(),
    )
    db.session.add(row)
    db.session.commit()
    # Not flask_login.login_user: it would put the account id ("_user_id") and a
    # hash of the address and browser ("_id") in the signed, readable cookie.
    # The cookie holds the random token alone; the row names the account.
    g._login_user = account
    session["sid"] = token
    session.permanent = remember


def current_auth_session() -> AuthSession | None:
    """The server-side row behind this browser's cookie, if still valid."""
    token = session.get("sid")
    if not token:
        return None
    row = db.session.scalar(
        select(AuthSession).where(AuthSession.token_hash == hash_secret(token))
    )
    if row is None or row.expires_at <= utcnow():
        return None
    return row


def end_session() -> int | None:
    """Log out: delete the server-side row so a replayed cookie is worthless."""
    row = current_auth_session()
    row_id = row.id if row else None
    if row is not None:
        db.session.delete(row)
        db.session.commit()
    logout_user()
    session.clear()
    return row_id


def end_other_sessions(account: Account, keep_id: int | None) -> None:
    """Revoke every session of an account except (optionally) the current one."""
    stmt = delete(AuthSession).where(AuthSession.account_id == account.id)
    if keep_id is not None:
        stmt = stmt.where(AuthSession.id != keep_id)
    db.session.execute(stmt)


def signed_in_account() -> Account | None:
    """The account the cookie's valid session row names, loaded in one query with
    its membership, organization and profile (the hot paths read all four)."""
    token = session.get("sid")
    if not token:
        return None
    found = db.session.execute(
        _session_statement(), {"token_hash": hash_secret(token)}
    ).first()
    if found is None or found[0].expires_at <= utcnow():
        return None
    # Id and last-seen time, read now (after a commit the row would reload):
    # the devices hook refreshes the time after the request when it is stale.
    g._auth_seen = (found[0].id, found[0].last_seen_at)
    return found[1]


@functools.cache
def _session_statement() -> Select:
    """signed_in_account's query, built once; the token's hash is bound per call."""
    return (
        select(AuthSession, Account)
        .join(Account, Account.id == AuthSession.account_id)
        .where(AuthSession.token_hash == bindparam("token_hash"))
        .options(
            joinedload(Account.membership).joinedload(Membership.organization),
            joinedload(Account.profile),
        )
        .execution_options(populate_existing=True)
    )


def reload_signed_in() -> Account | None:
    """Re-check the session and reload the account for this socket event (sockets
    are frozen at connect): one query; Flask-Login's current_user is then it."""
    account = signed_in_account()
    g._login_user = account if account is not None else login_manager.anonymous_user()
    return account


@login_manager.request_loader
def _load_user(_request) -> Account | None:
    """The signed-in account is the one the server-side session row names."""
    return signed_in_account()


class SessionInterface(SecureCookieSessionInterface):
    """Marks the session cookie Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def same_origin() -> bool:
    """True unless an Origin header names a site other than this one."""
    origin = request.headers.get("Origin")
    if not origin:
        return True
    allowed = {request.host_url.rstrip("/")}
    allowed.update(current_app.config["SOCKETIO_ALLOWED_ORIGINS"] or [])
    return origin in allowed


def check_origin() -> None:
    """Refuse a state-changing request whose Origin header names another site."""
    if request.method in {"GET", "HEAD", "OPTIONS"}:
        return
    # With Referrer-Policy: no-referrer, browsers send "Origin: null" on their
    # own same-site form posts (Fetch standard); the CSRF token covers those.
    if request.headers.get("Origin") == "null":
        return
    if not same_origin():
        from flask_wtf.csrf import CSRFError

        raise CSRFError("The request came from another site.")


HSTS = "max-age=31536000; includeSubDomains"  # a year; nginx sends the same


def apply_security_headers(response):
    """Strict CSP, no referrer, no framing, HSTS over HTTPS; authenticated pages
    are never cached."""
    # A view may set a stricter policy (downloads are sandboxed).
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Permissions-Policy"] = "geolocation=(), camera=(), microphone=()"
    response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
    if request.is_secure:  # behind TLS (directly, or a proxy under TRUST_PROXY)
        response.headers["Strict-Transport-Security"] = HSTS
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response
