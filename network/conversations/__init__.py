"""Message requests and direct conversations (rooms of kind "direct")."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l


def init_app(app: Flask) -> None:
    """Register the conversation pages, the Conversations link, and what search
    results call a direct conversation."""
    from network import nav
    from network.conversations.listing import search_titles
    from network.conversations.routes import bp
    from network.search.services import add_room_title

    app.register_blueprint(bp)
    add_room_title(app, "direct", search_titles)
    nav.add_item(
        app,
        "conversations.index",
        _l("Conversations"),
        visible=nav.in_network,
        order=22,
    )
