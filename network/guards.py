"""Route decorators that apply the policy before a view runs."""

from __future__ import annotations

import logging
from functools import wraps

from flask import redirect, url_for
from flask_login import current_user

from network import policy
from network.errors import NotFound

log = logging.getLogger(__name__)


def login_required(view):
    """Anonymous visitors go to the login page."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.login"))
        return view(*args, **kwargs)

    return wrapped


def member_required(view):
    """Approved members of active organizations (and the admin) only.

    Everyone else who is logged in sees only the waiting page.
    """

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("accounts.login"))
        if not policy.can_use_network(current_user):
            return redirect(url_for("accounts.waiting"))
        return view(*args, **kwargs)

    return wrapped


def lead_required(view):
    """Approved leads only; anyone else gets the page a missing URL gets."""

    @wraps(view)
    @member_required
    def wrapped(*args, **kwargs):
        if not policy.can_lead(current_user):
            raise NotFound()
        return view(*args, **kwargs)

    return wrapped


def admin_required(view):
    """The platform admin only; anyone else gets the page a missing URL gets."""

    @wraps(view)
    @member_required
    def wrapped(*args, **kwargs):
        policy.require_admin(current_user)
        return view(*args, **kwargs)

    return wrapped


def socket_event(event: str):
    """Register a client event's handler: validate the payload against its schema
    (network.payloads) before anything else, reload the account and session
    (sockets are frozen at connect), re-check the connect gate, and turn errors
    into error acks.

    The handler gets the checked payload dict and returns the ack's extra fields.
    """
    from network.extensions import socketio
    from network.payloads import SCHEMAS

    if event not in SCHEMAS:
        raise LookupError(f"no payload schema for socket event {event!r}")

    def decorator(handler):
        @wraps(handler)
        def wrapped(data=None):
            return _run_socket_handler(event, handler, data)

        return socketio.on(event)(wrapped)

    return decorator


def _run_socket_handler(event: str, handler, data) -> dict:
    """The ack for one socket event: every failure is an error code, never silence."""
    from network import shutdown
    from network.health import DATABASE_DOWN, forget_failed_transaction

    if shutdown.draining():  # the client re-sends it once reconnected elsewhere
        return {"ok": False, "error": "unavailable"}
    try:
        with shutdown.event_running():
            return _checked_socket_event(event, handler, data)
    except DATABASE_DOWN as error:
        # An outage, not a bug: one line in the log, "unavailable" to the client
        # (whose retry with the same client_msg_id stores a message once).
        forget_failed_transaction()
        log.warning(
            "socket event %s: database unavailable (%s)", event, type(error).__name__
        )
        return {"ok": False, "error": "unavailable"}


def _checked_socket_event(event: str, handler, data) -> dict:
    from flask_socketio import disconnect

    from network.errors import SocketError
    from network.health import DATABASE_DOWN
    from network.payloads import PayloadError, validate
    from network.security import reload_signed_in

    account = reload_signed_in()
    if account is None or not policy.can_connect_socket(account):
        disconnect()
        # Told to the person themselves: their access is paused, not a fault.
        paused = account is not None and policy.is_waiting(account)
        return {"ok": False, "error": "paused" if paused else "unauthorized"}
    try:
        payload = validate(event, data)
    except PayloadError:
        return {"ok": False, "error": "bad_request"}
    try:
        result = handler(payload) or {}
    except DATABASE_DOWN:
        raise
    except NotFound:
        return {"ok": False, "error": "not_found"}
    except SocketError as error:
        return {**error.extra, "ok": False, "error": error.code}
    except Exception:
        # A bug, not a bad payload: the operator gets the traceback (SQL parameters
        # are hidden by the engine options), the client an answer.
        log.exception("socket event %s failed", event)
        return {"ok": False, "error": "server_error"}
    return {"ok": True, **result}
