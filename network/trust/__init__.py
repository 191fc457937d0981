"""Trust between organizations: each lead's level toward every other organization."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the trust page and the leads' Trust link."""
    from network import nav
    from flask_babel import lazy_gettext as _l
    from network.trust.routes import bp

    app.register_blueprint(bp)
    nav.add_item(app, "trust.trust", _l("Trust"), visible=nav.leads, order=70)
