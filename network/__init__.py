"""Peer Network: a pseudonymous, multi-agency network for peer supporters."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from network.config import Config, TestConfig, trusted_hosts
from network import sqlite  # noqa: F401  (pragmas on every SQLite connection)
from network import (
    conversations,
    accounts,
    availability,
    directory,
    home,
    i18n,
    insights,
    library,
    moderation,
    notifications,
    orgs,
    rooms,
    safety,
    search,
    supervision,
    trust,
)
from network.extensions import babel, csrf, db, limiter, login_manager, migrate

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The feature packages, each registering itself with init_app(app): blueprints,
# socket handlers, navigation links. They register in this order.
FEATURES = (
    accounts,
    orgs,
    trust,
    directory,
    safety,
    rooms,
    moderation,
    supervision,
    home,
    library,
    notifications,
    search,
    conversations,
    availability,
    insights,
)


def create_app(config: str | type[Config] | None = None, **overrides) -> Flask:
    """Build the app: config, extensions, each feature (blueprints, socket
    handlers, nav links, home sections), headers."""
    app = Flask(
        __name__,
        instance_path=str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    config_class = TestConfig if config in ("test", TestConfig) else Config
    if isinstance(config, type) and config not in (Config, TestConfig):
        config_class = config
    app.config.from_object(config_class(Path(app.instance_path)))
    app.config.update(overrides)
    if app.config.get("TRUSTED_HOSTS") is None:
        app.config["TRUSTED_HOSTS"] = trusted_hosts(app.config["PUBLIC_URL"])
    _quiet_logs(app)

    from network import health, inputs, nav, realtime, security
    from network.errors import register_error_handlers

    inputs.init_app(app)  # before any route is added: it bounds <int:...>
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    login_manager.init_app(app)
    login_manager.session_protection = None  # the server-side session row decides
    login_manager.login_view = "accounts.login"
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    nav.init_app(app)
    # Each feature registers its blueprint, nav links and socket handlers. Handlers
    # are added to the shared socketio object when a feature first imports its
    # sockets module, so features come before realtime builds the server (which
    # copies them in): every app built in this process (tests build many) gets
    # them, each once.
    for feature in FEATURES:
        feature.init_app(app)
    realtime.init_app(app)
    app.session_interface = security.SessionInterface()
    if app.config["TRUST_PROXY"]:
        hops = app.config["TRUST_PROXY"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from network.cli import register_cli

    register_error_handlers(app)
    register_cli(app)
    app.before_request(security.check_origin)
    app.after_request(security.apply_security_headers)
    app.context_processor(_template_globals)
    app.add_template_filter(_localtime, "localtime")
    app.add_template_filter(_localdate, "localdate")
    app.add_template_filter(_markdown, "markdown")
    health.init_app(app)  # /healthz, and the 503 page of a database outage
    return app


def _localtime(moment) -> str:
    from flask_login import current_user

    from network.timezones import format_local

    zone = current_user.profile.timezone if current_user.is_authenticated else None
    return format_local(moment, zone)


def _localdate(moment) -> str:
    from flask_login import current_user

    from network.timezones import format_local_date

    zone = current_user.profile.timezone if current_user.is_authenticated else None
    return format_local_date(moment, zone)


def _markdown(text: str):
    from markupsafe import Markup

    from network.markup import render

    return Markup(render(text or ""))  # sanitized by nh3 in render()


def _template_globals() -> dict:
    from flask import current_app

    from network import policy

    return {
        "policy": policy,
        "quick_exit_url": current_app.config["QUICK_EXIT_URL"],
        "quick_exit_hold": current_app.config["QUICK_EXIT_HOLD_MINUTES"] * 60,
        "site_title": current_app.config["SITE_TITLE"],
    }


def _quiet_logs(app: Flask) -> None:
    # Request lines carry client addresses; keep them out of the logs.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    logging.getLogger("geventwebsocket.handler").setLevel(logging.WARNING)
