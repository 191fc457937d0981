"""What this process depends on, as /healthz reports it, and what an outage of the
database looks like to whoever is using the site meanwhile."""

from __future__ import annotations

import logging

from flask import Flask, g, render_template, request
from flask_wtf.csrf import generate_csrf
from sqlalchemy import exc, text

from network import queue
from network.extensions import db, login_manager

log = logging.getLogger(__name__)

# What a database outage raises: a refused or broken connection, an exhausted
# pool (sqlalchemy.exc.TimeoutError), a statement past statement_timeout.
DATABASE_DOWN = (exc.OperationalError, exc.InterfaceError, exc.TimeoutError)

# Form fields never carried onto the "temporarily unavailable" page.
NOT_KEPT = {"csrf_token", "password", "new_password", "current_password", "confirm"}


def database_state() -> str:
    """ "ok" when the database answers a trivial query now, else "unavailable"."""
    try:
        db.session.execute(text("SELECT 1"))
        return "ok"
    except DATABASE_DOWN:
        forget_failed_transaction()
        return "unavailable"


def healthz():
    """200 when the database and the message queue both answer, else 503; the
    body names each one's state ("none": one process without a queue)."""
    database = database_state()
    queue_state = queue.state()
    ok = database == "ok" and queue_state != "unavailable"
    return {"ok": ok, "database": database, "queue": queue_state}, 200 if ok else 503


def log_failure(logger: logging.Logger, what: str, *args) -> None:
    """Log a failed background job: one line for a database outage (it repeats
    every round until the database is back), the traceback for anything else.
    Call it from an except block."""
    import sys

    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_DOWN):
        logger.warning(what + ": database unavailable", *args)
    else:
        logger.exception(what, *args)


def forget_failed_transaction() -> None:
    """Roll back what the failed connection left, whatever state it is in."""
    try:
        db.session.rollback()
    except Exception:  # the connection is gone: nothing to roll back
        log.debug("rollback after a database outage failed")


def database_unavailable(error):
    """503 with a calm page; a form posted meanwhile comes back filled in, so
    that what was typed is not lost (the page reads nothing from the database)."""
    forget_failed_transaction()
    log.warning("database unavailable: %s", type(error).__name__)
    if "_login_user" not in g:  # Flask-Login would load the account to render
        g._login_user = login_manager.anonymous_user()
    kept = []
    if request.method == "POST" and not request.files:
        for name, value in request.form.items(multi=True):
            if name not in NOT_KEPT and len(value) <= 20_000:
                kept.append((name, value))
    page = render_template(
        "errors/unavailable.html",
        kept=kept,
        action=request.path,
        csrf_token=generate_csrf() if kept else "",
    )
    return page, 503, {"Retry-After": "10"}


def init_app(app: Flask) -> None:
    """Register /healthz and the database-outage page."""
    app.add_url_rule("/healthz", "healthz", healthz)
    for error in DATABASE_DOWN:
        app.register_error_handler(error, database_unavailable)
