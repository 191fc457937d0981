"""Supervision rooms: membership, ground rules, sessions, check-ins, support alerts."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the supervision pages, the support-alert socket handler and the
    home page's upcoming sessions."""
    from network import nav
    from network.supervision import sockets  # noqa: F401  (handlers register on import)
    from network.supervision.routes import bp

    app.register_blueprint(bp)
    nav.add_home_section(
        app, "supervision/_home_sessions.html", context=_home_sessions, order=40
    )


def _home_sessions(actor) -> dict:
    """The home page's running and next supervision sessions this person may join."""
    from network.models import utcnow
    from network.supervision.services import upcoming_for

    sessions = upcoming_for(actor)
    now = utcnow()
    return {
        "running": [s for s in sessions if s.starts_at <= now],
        "sessions": [s for s in sessions if s.starts_at > now],
    }
