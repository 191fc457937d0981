"""The start page: the one place that gathers every feature's summary (top floor)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the start page and the members' Home link."""
    from network import nav
    from network.home.routes import bp

    app.register_blueprint(bp)
    nav.add_item(app, "home.index", "Home", visible=nav.in_network, order=10)
