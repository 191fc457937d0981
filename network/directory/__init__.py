"""The peer directory: who a member may see, with filters."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the directory page and its link."""
    from network import nav
    from flask_babel import lazy_gettext as _l
    from network.directory.routes import bp

    app.register_blueprint(bp)
    nav.add_item(
        app, "directory.directory", _l("Directory"), visible=nav.in_network, order=30
    )
