"""Housekeeping: the heartbeat that clears dead processes' sockets, and the purge
of expired sessions, spent reset codes and messages past their retention.

A serving process starts it once (`start`), from gunicorn's post_worker_init hook
(gunicorn.conf.py), from `python wsgi.py`, or, as a fallback, on the first request
wsgi.py's app serves. Tests and CLI commands build apps that never start it.
`flask housekeeping` runs one pass, for a timer. On SQLite it also moves the
WAL checkpoint to a native thread (network/sqlite.py).
"""

from __future__ import annotations

import os
import threading

from flask import Flask
from sqlalchemy import delete, select

from network import sqlite
from network.health import log_failure
from network.extensions import db, socketio
from network.models import AuthSession, PasswordReset, utcnow

_lock = threading.Lock()
_started_in: int | None = None  # the pid that started the loops (forks start anew)


def start(app: Flask) -> bool:
    """Start the housekeeping loops in this process, once; True if started now."""
    global _started_in
    with _lock:
        if _started_in == os.getpid():
            return False
        _started_in = os.getpid()
    with app.app_context():
        sqlite.checkpoint_in_background(
            db.engine, app.config["SQLITE_CHECKPOINT_SECONDS"]
        )
    socketio.start_background_task(_every, app, _purge, "PURGE_INTERVAL_SECONDS")
    socketio.start_background_task(_every, app, _beat, "HEARTBEAT_INTERVAL_SECONDS")
    socketio.start_background_task(_every, app, release_held, "RELEASE_HELD_SECONDS")
    socketio.start_background_task(
        _every, app, close_expired_sockets, "SESSION_EXPIRY_CHECK_SECONDS"
    )
    return True


def run_once(app: Flask) -> dict[str, int]:
    """One pass of everything (the `flask housekeeping` command)."""
    with app.app_context():
        try:
            from network import realtime

            # Not _beat(): a one-off command is no server process to mark alive.
            return {"stale_sockets": realtime.clear_dead_processes(), **_purge()}
        finally:
            db.session.remove()


def remove_expired() -> int:
    """Delete expired server-side sessions (closing their live sockets on every
    process) and expired or used reset secrets."""
    from network import realtime

    now = utcnow()
    expired = list(
        db.session.scalars(select(AuthSession.id).where(AuthSession.expires_at <= now))
    )
    removed = 0
    if expired:
        removed = db.session.execute(
            delete(AuthSession).where(AuthSession.id.in_(expired))
        ).rowcount
    removed += db.session.execute(
        delete(PasswordReset).where(
            (PasswordReset.expires_at <= now) | PasswordReset.used_at.is_not(None)
        )
    ).rowcount
    db.session.commit()
    realtime.end_access(sessions=expired)
    return removed


def close_expired_sockets() -> int:
    """This process's sockets whose sign-in has expired: closed within a second
    of expiry (one indexed query over this process's own sockets)."""
    from network import realtime

    return realtime.close_expired_here(utcnow())


def _purge() -> dict[str, int]:
    from network.notifications.services import purge_old
    from network.rooms.services import purge_expired

    return {
        "expired_rows": remove_expired(),
        "messages": purge_expired(),
        "notifications": purge_old(),
        "released": release_held(),
    }


def release_held() -> int:
    """Deliver notifications held while their person was away, once their
    hours start (availability.services.release_held)."""
    from network.availability.services import release_held as release

    return release()


def _beat() -> int:
    from network import realtime

    return realtime.heartbeat()


def _every(app: Flask, job, interval_key: str) -> None:
    """Run job in its own app context now and then every interval, forever."""
    while True:
        with app.app_context():
            try:
                job()
            except Exception:  # keep the loop alive; the next round retries
                log_failure(app.logger, "housekeeping (%s) failed", job.__name__)
            finally:
                db.session.remove()
        socketio.sleep(app.config[interval_key])
