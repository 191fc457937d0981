"""Search in messages: the rooms and conversations a member is in now, filtered
in the query by the policy history uses (docs/search.md)."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    """Register the search page and its link."""
    from network import nav
    from network.search.routes import bp

    app.register_blueprint(bp)
    nav.add_item(app, "search.search", _l("Search"), visible=nav.in_network, order=26)
