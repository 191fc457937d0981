"""The start page: the one place that gathers every feature's summary (top floor)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the start page, the members' Home link, and the page's row of
    Rooms and Directory buttons (between the leads' tools and the sessions)."""
    from network import nav
    from flask_babel import lazy_gettext as _l
    from network.home.routes import bp

    app.register_blueprint(bp)
    nav.add_item(app, "home.index", _l("Home"), visible=nav.in_network, order=10)
    nav.add_home_section(app, "home/_go.html", context=lambda actor: {}, order=30)
