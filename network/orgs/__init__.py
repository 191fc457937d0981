"""Organizations: creation by the admin, vetting, roles, invitations, audit."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the organization pages and the admin's and leads' links."""
    from network import nav, policy
    from network.orgs.routes import bp

    app.register_blueprint(bp)
    nav.add_item(
        app,
        "orgs.admin_organizations",
        "Organizations",
        visible=policy.is_admin,
        order=45,
    )
    nav.add_item(app, "orgs.requests", "Requests", visible=nav.leads, order=50)
    nav.add_item(app, "orgs.members", "Members", visible=nav.leads, order=60)
