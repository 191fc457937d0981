"""Person-to-person safety: blocks and safety separation."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the members' and the leads' safety pages and the Safety link."""
    from network import nav
    from flask_babel import lazy_gettext as _l
    from network.safety.lead_routes import bp as lead_bp
    from network.safety.routes import bp

    app.register_blueprint(bp)
    app.register_blueprint(lead_bp)
    nav.add_item(
        app, "safety.separations", _l("Safety"), visible=nav.in_network, order=80
    )
