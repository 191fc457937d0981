"""Socket plumbing shared by every feature: room keys, emit-after-commit, revocation.

Room keys are built only here, by the server; clients never name a socket room.
"""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import delete, event, or_, select
from sqlalchemy.orm import Session

from network import socket_gate, transport
from network.extensions import db, socketio
from network.health import forget_failed_transaction, log_failure
from network.models import LiveSocket, Membership, ServerProcess, utcnow

log = logging.getLogger(__name__)

MAX_SOCKET_PAYLOAD = 16 * 1024  # a 4,000-character message in UTF-8 plus envelope
SOCKETIO_PATH = "socket.io"  # Flask-SocketIO's default


def user_key(account_id: int) -> str:
    """The socket room every connection of one account joins."""
    return f"user:{account_id}"


def org_key(org_id: int) -> str:
    """The socket room of an organization's connected members."""
    return f"org:{org_id}"


def room_key(room_id: int) -> str:
    """The socket room of a chat room."""
    return f"room:{room_id}"


def init_app(app: Flask) -> None:
    """Bind Flask-SocketIO: async mode, optional message queue, same origin only."""
    from network import queue

    # A Redis queue gets network.queue's manager (bounded waits, a known state,
    # resyncs); other queue URLs get Flask-SocketIO's choice.
    socketio.server_options.pop("client_manager", None)  # from an earlier app
    manager = queue.manager(app)
    extra = {"client_manager": manager} if manager is not None else {}
    socketio.init_app(
        app,
        async_mode=app.config["NETWORK_ASYNC"],
        path=SOCKETIO_PATH,
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        **extra,
        # None means: only the page's own origin may open a socket.
        cors_allowed_origins=app.config["SOCKETIO_ALLOWED_ORIGINS"],
        max_http_buffer_size=MAX_SOCKET_PAYLOAD,
        ping_interval=app.config["SOCKETIO_PING_INTERVAL"],
        ping_timeout=app.config["SOCKETIO_PING_TIMEOUT"],
        # One socket's events run one after another, in the order sent: a
        # member's messages reach the room in the order they wrote them, even
        # where the database yields mid-event (PostgreSQL), and a flooding
        # socket occupies one greenlet, not one per event.
        async_handlers=False,
        logger=False,
        engineio_logger=False,
        # Nesting too deep to decode is a malformed packet, not a RecursionError.
        json=socket_gate.SafeJSON,
    )
    # Every packet passes the socket's event budget and a shape check first.
    app.extensions["network.socket_gate"] = socket_gate.install(app, socketio.server)
    if not app.config["SOCKET_COMPRESSION"]:
        app.wsgi_app = NoSocketCompression(app.wsgi_app)
    transport.init_app(app, socketio.server.eio, SOCKETIO_PATH)


class NoSocketCompression:
    """WSGI middleware that declines permessage-deflate on socket handshakes
    (the server accepts the extension whenever a browser offers it). Frames are
    small HTML fragments, and compressing each once per receiving socket cost
    about 15% of CPU during fan-out; SOCKET_COMPRESSION=1 keeps it."""

    def __init__(self, wsgi_app) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
        return self.wsgi_app(environ, start_response)


def emit_after_commit(event_name: str, data: dict, *, to: str, skip_sid=None) -> None:
    """Queue a broadcast that is sent only if the current transaction commits."""
    pending = db.session.info.setdefault("pending_emits", [])
    pending.append((event_name, data, to, skip_sid))


@event.listens_for(Session, "after_commit")
def _release_emits(session: Session) -> None:
    # Nothing is sent (and no SQL runs) here: extensions.Session.commit sends
    # them once the commit has returned.
    pending = session.info.pop("pending_emits", [])
    if pending:
        session.info.setdefault("after_commit", []).append(lambda: _send(pending))


def call_after_commit(callback) -> None:
    """Queue work (that runs no SQL) to run, in order with the queued emits, only
    if the current transaction commits."""
    db.session.info.setdefault("pending_emits", []).append(callback)


def _send(pending: list) -> None:
    for item in pending:
        if callable(item):
            item()
            continue
        event_name, data, to, skip_sid = item
        socketio.emit(event_name, data, to=to, skip_sid=skip_sid)


@event.listens_for(Session, "after_rollback")
def _drop_emits(session: Session) -> None:
    session.info.pop("pending_emits", None)


_gone = threading.local()  # per greenlet under gevent


def socket_gone(app: Flask, sid: str) -> None:
    """Clean up after a closed socket in an app context (and session) of its own.

    A disconnect may be handled inside another handler's emit (python-engineio
    closes a dead socket when something is sent to it), so it must not touch
    that handler's session. Disconnects that cascade from this one's own emits
    are queued and handled one after another here, not recursively."""
    queue = getattr(_gone, "queue", None)
    if queue is not None:
        queue.append(sid)
        return
    _gone.queue = [sid]
    try:
        while _gone.queue:
            _forget_in_own_context(app, _gone.queue.pop(0))
    finally:
        _gone.queue = None


def _forget_in_own_context(app: Flask, sid: str) -> None:
    with app.app_context():
        try:
            forget_socket(sid)
        except Exception:  # one socket's cleanup must not stop the others'
            forget_failed_transaction()
            log_failure(log, "cleanup after a closed socket failed")
        finally:
            db.session.remove()


HOST_ID = uuid.uuid4().hex  # this server process


def track_socket(sid: str, account_id: int, auth_session_id: int | None) -> None:
    """Remember a live socket so any process can find and close it later."""
    db.session.add(
        LiveSocket(
            sid=sid,
            account_id=account_id,
            auth_session_id=auth_session_id,
            host_id=HOST_ID,
        )
    )
    db.session.commit()


def heartbeat() -> int:
    """Mark this process alive, and clear sockets of processes that died without
    saying goodbye (a crash or SIGKILL): their rows would show ghosts in presence."""
    row = db.session.get(ServerProcess, HOST_ID)
    if row is None:
        db.session.add(ServerProcess(host_id=HOST_ID, seen_at=utcnow()))
    else:
        row.seen_at = utcnow()
    db.session.commit()
    return clear_dead_processes()


def clear_dead_processes() -> int:
    """Forget the sockets of processes whose heartbeat stopped; return how many."""
    timeout = timedelta(seconds=current_app.config["HOST_TIMEOUT_SECONDS"])
    dead = list(
        db.session.scalars(
            select(ServerProcess.host_id).where(
                ServerProcess.seen_at < utcnow() - timeout
            )
        )
    )
    stale = []
    if dead:
        stale = list(
            db.session.scalars(
                select(LiveSocket.sid).where(LiveSocket.host_id.in_(dead))
            )
        )
        db.session.execute(delete(ServerProcess).where(ServerProcess.host_id.in_(dead)))
    db.session.commit()
    for sid in stale:
        forget_socket(sid)
    return len(stale)


_closed_hooks: list = []


def on_socket_closed(hook) -> None:
    """Register a callback(sid) run when a socket disconnects (features clean up)."""
    if hook not in _closed_hooks:
        _closed_hooks.append(hook)


def forget_socket(sid: str) -> None:
    """Drop a socket from the live table when it disconnects; run feature hooks."""
    for hook in _closed_hooks:
        hook(sid)
    db.session.execute(delete(LiveSocket).where(LiveSocket.sid == sid))
    db.session.commit()


def end_access(
    *,
    accounts=(),
    orgs=(),
    sessions=(),
    keep_session: int | None = None,
) -> int:
    """The one revocation: close the live sockets of these accounts, of these
    organizations' members, or of these server-side sessions, now, on every
    server process (through the message queue when there is one).

    Every change of credential or standing calls it after its commit: logout
    (its session), a password change (every session but `keep_session`), a
    reset of either kind, suspension, role and trust changes, and the purge of
    expired sessions. A browser whose session still holds reconnects by itself
    and passes the connect gate under the new policy; one whose session ended
    cannot come back.
    """
    conditions = []
    if accounts:
        conditions.append(LiveSocket.account_id.in_(list(accounts)))
    if orgs:
        members = select(Membership.account_id).where(
            Membership.organization_id.in_(list(orgs))
        )
        conditions.append(LiveSocket.account_id.in_(members))
    if sessions:
        conditions.append(LiveSocket.auth_session_id.in_(list(sessions)))
    if not conditions:
        return 0
    stmt = select(LiveSocket.sid).where(or_(*conditions))
    if keep_session is not None:
        stmt = stmt.where(
            (LiveSocket.auth_session_id != keep_session)
            | LiveSocket.auth_session_id.is_(None)
        )
    sids = list(db.session.scalars(stmt))
    _disconnect(sids)
    return len(sids)


def live_sids(account_id: int) -> list[str]:
    """Every live socket of one account, on any server process."""
    return list(
        db.session.scalars(
            select(LiveSocket.sid).where(LiveSocket.account_id == account_id)
        )
    )


def any_live(account_ids) -> bool:
    """Whether any of these accounts has a connected socket now."""
    ids = list(account_ids)
    return (
        bool(ids)
        and db.session.scalar(
            select(LiveSocket.sid).where(LiveSocket.account_id.in_(ids)).limit(1)
        )
        is not None
    )


def leave_everywhere(sids: list[str], key: str) -> None:
    """Take these sockets out of a socket room on every server process (the
    queue carries it to the process that holds each one). Runs no SQL."""
    for sid in sids:
        try:
            socketio.server.leave_room(sid, key, namespace="/")
        except Exception:  # a socket that is already gone is not an error
            log.debug("socket already gone while leaving a room")


def revoke_sockets(account_id: int, *, except_session_id: int | None = None) -> int:
    """Close every live socket of one account (see end_access)."""
    return end_access(accounts=[account_id], keep_session=except_session_id)


def reverify(*, account_ids=(), org_ids=()) -> int:
    """Make live sockets re-pass the connect gate now, whenever access shrinks
    (lowered trust, suspension, removal, role change); see end_access."""
    return end_access(accounts=account_ids, orgs=org_ids)


def close_expired_here(now) -> int:
    """Close this process's sockets whose server-side session has expired."""
    from network.models import AuthSession

    sids = list(
        db.session.scalars(
            select(LiveSocket.sid)
            .join(AuthSession, AuthSession.id == LiveSocket.auth_session_id)
            .where(LiveSocket.host_id == HOST_ID, AuthSession.expires_at <= now)
        )
    )
    _disconnect(sids)
    return len(sids)


def _disconnect(sids: list[str]) -> None:
    for sid in sids:
        try:
            socketio.server.disconnect(sid, namespace="/")
        except Exception:  # a socket that is already gone is not an error
            log.debug("socket already gone during revocation")
    if sids:
        db.session.execute(delete(LiveSocket).where(LiveSocket.sid.in_(sids)))
        db.session.commit()
