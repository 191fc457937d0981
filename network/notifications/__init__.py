"""Notifications: the bell, discreet by design (titles only, never content)."""

from __future__ import annotations

from flask import Flask
from flask_login import current_user


def init_app(app: Flask) -> None:
    """Register the notifications pages and the bell's count for base.html
    (other features call services.notify())."""
    from network.notifications.routes import bp

    app.register_blueprint(bp)
    app.context_processor(lambda: {"notification_bell": _bell})


def _bell() -> dict | None:
    """The bell for a signed-in member (None: no bell): its unread count, read
    when the page draws it (one statement)."""
    from network import nav
    from network.notifications.services import unread_count

    if not nav.in_network(current_user):
        return None
    return {"count": unread_count(current_user.id)}
