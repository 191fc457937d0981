"""Real-time rooms: persisted channels, catch-up, presence, typing."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the room pages, the room socket handlers and the Rooms link."""
    from network import nav
    from network.rooms import sockets  # noqa: F401  (its handlers register on import)
    from network.rooms.routes import bp

    app.register_blueprint(bp)
    nav.add_item(app, "rooms.index", "Rooms", visible=nav.in_network, order=20)
