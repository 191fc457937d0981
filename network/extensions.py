"""Flask extensions, created unbound and initialised in create_app()."""

from __future__ import annotations

import logging

from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from network.ratelimit import client_key


class Base(DeclarativeBase):
    """Declarative base with stable constraint names, so migrations are portable."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class Session(FlaskSession):
    """A session that runs the work its transaction queued for "after commit"
    (socket emits) once commit() has returned, never inside SQLAlchemy's
    after_commit hook: what that work triggers (an emit to a dead socket runs its
    disconnect handler) may then use the database."""

    def commit(self) -> None:
        """Commit, then run the callbacks queued under info["after_commit"]."""
        super().commit()
        callbacks = self.info.pop("after_commit", [])
        for callback in callbacks:
            try:
                callback()
            except Exception:  # the commit stands; a failed emit must not undo it
                logging.getLogger(__name__).exception("after-commit work failed")


db = SQLAlchemy(model_class=Base, session_options={"class_": Session})


def commit_keeping_loaded() -> None:
    """Commit without expiring what the session loaded, so a hot path can still
    read it after the commit without reloading (each socket event and request
    has its own session; the access queries refresh what they fetch)."""
    session = db.session()
    keep = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


def paginate(stmt, *, page: int, per_page: int):
    """db.paginate, except that a page past the last shows the last one (a stale
    link, or a list that shrank meanwhile); the page's rows first, then the count."""
    listing = db.paginate(stmt, page=max(page, 1), per_page=per_page, error_out=False)
    if not listing.items and listing.page > 1:
        last = max(1, listing.pages)
        listing = db.paginate(stmt, page=last, per_page=per_page, error_out=False)
    return listing


migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
socketio = SocketIO()
csrf = CSRFProtect()
limiter = Limiter(key_func=client_key, default_limits=[])
babel = Babel()
