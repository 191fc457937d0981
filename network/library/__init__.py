"""The resource library: training materials and practical resources, shared across
trusted organizations."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the library pages and the Library link."""
    from network import nav
    from flask_babel import lazy_gettext as _l
    from network.library.routes import bp

    app.register_blueprint(bp)
    nav.add_item(app, "library.index", _l("Library"), visible=nav.in_network, order=40)
