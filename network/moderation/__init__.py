"""Moderation: hiding, muting, removing, banning, locking, slow mode, pins, reports."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    """Register the moderation pages, the moderators' socket handlers and the
    Reports link (the admin's, and every reviewer's)."""
    from network import nav
    from network.moderation import sockets  # noqa: F401  (handlers register on import)
    from network.moderation.labels import template_globals
    from network.moderation.routes import bp

    app.register_blueprint(bp)
    app.jinja_env.globals.update(template_globals())
    nav.add_item(app, "moderation.queue", _l("Reports"), visible=_reviews, order=90)


def _reviews(actor) -> bool:
    from network import nav, policy

    return policy.is_admin(actor) or (
        nav.in_network(actor) and policy.can_review_any(actor)
    )
