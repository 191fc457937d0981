"""Supervision rooms: membership, ground rules, sessions, check-ins, support alerts."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the supervision pages and the support-alert socket handler."""
    from network.supervision import sockets  # noqa: F401  (handlers register on import)
    from network.supervision.routes import bp

    app.register_blueprint(bp)
