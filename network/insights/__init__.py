"""Insights for organization leads (and network-wide for the platform admin):
monthly aggregate figures with small-cell suppression (docs/insights.md)."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from network import policy


def _sees_insights(actor) -> bool:
    """Leads of an active organization, and the platform admin."""
    from network import nav

    return nav.leads(actor) or policy.is_admin(actor)


def init_app(app: Flask) -> None:
    """Register the insights page and its CSV, and the Insights link."""
    from network import nav
    from network.insights.routes import bp

    app.register_blueprint(bp)
    nav.add_item(
        app, "insights.index", _l("Insights"), visible=_sees_insights, order=75
    )
