"""Real-time rooms: persisted channels, catch-up, presence, typing."""

from __future__ import annotations

from flask import Flask
from flask_babel import gettext
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    """Register the room pages, the room socket handlers, the Rooms link and the
    home page's help requests."""
    from network import nav
    from network.rooms import sockets  # noqa: F401  (its handlers register on import)
    from network.rooms.routes import bp

    from network.rooms import retention_admin  # noqa: F401  (its route is on bp)

    app.register_blueprint(bp)
    nav.add_item(app, "rooms.index", _l("Rooms"), visible=nav.in_network, order=20)
    app.jinja_env.globals["ground_rules_shown"] = ground_rules_shown
    nav.add_home_section(app, "rooms/_home_help.html", context=_home_help, order=10)


def ground_rules_shown(room) -> str:
    """A room's ground rules as the page shows them: the default text (stored in
    English) in the reader's language while the room keeps it; rules a
    moderator wrote, as written (docs/i18n.md, "Rooms")."""
    from network.models import DEFAULT_GROUND_RULES

    if room.ground_rules == DEFAULT_GROUND_RULES:
        return gettext(DEFAULT_GROUND_RULES)
    return room.ground_rules


def _home_help(actor) -> dict:
    """The home page's open help requests this person may handle."""
    from flask_wtf import FlaskForm
    from sqlalchemy import select

    from network import policy
    from network.models import SupportRequest
    from network.rooms.services import open_requests

    visible = policy.visible_support_requests(select(SupportRequest), actor)
    return {"support_requests": open_requests(visible), "handled_form": FlaskForm()}
