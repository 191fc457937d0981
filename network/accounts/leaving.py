"""Quick exit, the server's part: end the session at once, then keep every page
of the network from the browser that left for a while, so Back shows nothing
of it (docs/security.md, "Quick exit")."""

from __future__ import annotations

import hashlib
import hmac

from flask import Response, current_app, redirect, request, session
from flask_wtf.csrf import CSRFError, generate_csrf

from network import realtime
from network.security import end_session

# The marker a browser that left carries: set by the page itself before it
# leaves (so it holds even if the beacon is lost) and by the beacon's answer.
MARKER = "pn_exit"
# What such a browser may still ask for: assets, the beacon (pressed again),
# and the health check. Everything else goes to the neutral site.
PASSING = frozenset({"static", "accounts.quick_exit", "healthz"})


def exit_token() -> str:
    """The beacon's CSRF token, for every page: bound to this browser's session
    like Flask-WTF's, but without its timestamp, so a page reads the same on
    every request (pages of denial and absence stay byte-identical)."""
    return page_token("quick-exit")


def require_exit_token() -> None:
    """Refuse the beacon unless it carries this session's exit token."""
    require_page_token("quick-exit", "The quick exit token is missing or wrong.")


def page_token(purpose: str) -> str:
    """A CSRF token for a form on every page (quick exit, the language switch):
    an HMAC of the session's CSRF secret and the form's purpose, with no
    timestamp, so every render of a page is byte-identical."""
    if "csrf_token" not in session:
        generate_csrf()  # gives the session its secret CSRF value
    return _mac(purpose, session["csrf_token"])


def require_page_token(purpose: str, message: str) -> None:
    """Refuse the request unless it carries this session's token for `purpose`."""
    given = request.form.get("csrf_token", "")
    secret = session.get("csrf_token")
    if not secret or not hmac.compare_digest(given, _mac(purpose, secret)):
        raise CSRFError(message)


def _mac(purpose: str, secret: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    message = purpose.encode() + b":" + secret.encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def sign_out_here() -> None:
    """End this browser's server-side session and close the sockets it opened."""
    row_id = end_session()
    if row_id is not None:
        realtime.end_access(sessions=[row_id])


def mark_gone(response: Response) -> Response:
    """Set the marker cookie: this browser left by quick exit."""
    response.set_cookie(
        MARKER,
        "1",
        max_age=current_app.config["QUICK_EXIT_HOLD_MINUTES"] * 60,
        path="/",
        # Not HttpOnly on purpose: the page sets it itself before leaving and
        # reads it when the back/forward cache restores a page. It holds no secret.
        httponly=False,
        samesite="Lax",
        secure=current_app.session_interface.get_cookie_secure(current_app),
    )
    return response


def turn_away() -> Response | None:
    """Before every request: a browser that left by quick exit gets a redirect to
    the neutral site, and whatever session it still holds ends now."""
    if MARKER not in request.cookies or request.endpoint in PASSING:
        return None
    if session.get("sid"):
        sign_out_here()  # the beacon was lost: end the session on the next request
    return redirect(current_app.config["QUICK_EXIT_URL"], 303)
