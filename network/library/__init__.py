"""The resource library: training materials and practical resources, shared across
trusted organizations."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the library pages and the Library link."""
    from flask_babel import format_decimal

    from network import nav
    from flask_babel import lazy_gettext as _l
    from network.library.routes import bp

    app.register_blueprint(bp)
    # File sizes in the reader's number format ("12.5" / "12,5").
    app.jinja_env.globals.setdefault("format_decimal", format_decimal)
    nav.add_item(app, "library.index", _l("Library"), visible=nav.in_network, order=40)
