"""What both sign-in steps share: per-account delays, the device mark, and the
end of a successful sign-in."""

from __future__ import annotations

import hashlib
import hmac

from flask import Response, current_app, redirect, request, url_for

from network import policy, ratelimit
from network.models import Account
from network.security import start_session

DEVICE_COOKIE = "pn_device"


def device_mark(account_id: int) -> str:
    """The mark a browser keeps once it signed in to this account."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"device:{account_id}".encode(), hashlib.sha256).hexdigest()


def delay_key(login_key: str) -> str:
    """Rate-limit key for the account being tried (hashed, never the name itself)."""
    key = current_app.config["SECRET_KEY"].encode()
    return "acct:" + hmac.new(key, login_key.encode(), hashlib.sha256).hexdigest()[:32]


def known_device(account: Account | None) -> bool:
    """A browser that has signed in to this account before is not locked out by
    attempts made elsewhere (OWASP "device cookies")."""
    mark = request.cookies.get(DEVICE_COOKIE, "")
    return bool(account and mark and hmac.compare_digest(mark, device_mark(account.id)))


def account_delay(account: Account | None) -> ratelimit.LoginDelays | None:
    """The per-account delay this attempt is subject to: none from a browser
    that signed in to the account before, or when rate limits are off."""
    if not current_app.config["RATELIMIT_ENABLED"] or known_device(account):
        return None
    return ratelimit.login_delays()


def finish(account: Account, *, remember: bool) -> Response:
    """Start the session, mark the browser, and go home (or to enrolment)."""
    start_session(account, remember=remember)
    target = "home.index"
    if policy.must_enrol_two_factor(account):
        target = "twofactor.enrol"
    response = redirect(url_for(target))
    response.set_cookie(
        DEVICE_COOKIE,
        device_mark(account.id),
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=current_app.session_interface.get_cookie_secure(current_app),
    )
    return response
