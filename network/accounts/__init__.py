"""Accounts: sign-up, login (with two-factor), sessions, password reset and
pseudonymous profiles."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    """Register the accounts pages, the connect gate's socket handlers, the
    Account and Sign out links, and quick exit's hold on a browser that left."""
    from network import nav
    from network.accounts import (
        deletion_routes,  # noqa: F401  (routes on bp)
        devices,
        language_routes,
        leaving,
        sockets,  # noqa: F401  (its handlers register on import)
        twofactor_routes,
    )
    from network.accounts.device_routes import bp as devices_bp
    from network.accounts.routes import bp

    app.register_blueprint(bp)
    app.register_blueprint(twofactor_routes.bp)
    app.register_blueprint(devices_bp)
    app.register_blueprint(language_routes.bp)
    app.add_template_global(language_routes.language_form, "language_form")
    devices.init_app(app)
    # First of all hooks: a browser that left by quick exit gets the neutral
    # site, not the network's CSRF or origin error page.
    app.before_request_funcs.setdefault(None, []).insert(0, leaving.turn_away)
    app.add_template_global(leaving.exit_token, "quick_exit_token")
    app.before_request(twofactor_routes.require_enrolment)
    nav.add_item(
        app, "accounts.settings", _l("Account"), visible=nav.signed_in, order=100
    )
    nav.add_item(
        app, "accounts.logout", _l("Sign out"), visible=nav.signed_in, order=110
    )
