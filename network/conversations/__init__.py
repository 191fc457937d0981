"""Message requests and direct conversations (rooms of kind "direct")."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the conversation pages and the Conversations link."""
    from network import nav
    from network.conversations.routes import bp

    app.register_blueprint(bp)
    nav.add_item(
        app, "conversations.index", "Conversations", visible=nav.in_network, order=22
    )
