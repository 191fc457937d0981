"""Organizations: creation by the admin, vetting, roles, invitations, audit."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the organization pages, the admin's and leads' links and the
    lead's tools on the home page."""
    from network import nav, policy
    from flask_babel import lazy_gettext as _l
    from network.orgs import departed  # noqa: F401  (its route registers on bp)
    from network.orgs.routes import bp

    app.register_blueprint(bp)
    app.jinja_env.globals.update(role_title=role_title, status_title=status_title)
    nav.add_item(
        app,
        "orgs.admin_organizations",
        _l("Organizations"),
        visible=policy.is_admin,
        order=45,
    )
    nav.add_item(app, "orgs.requests", _l("Requests"), visible=nav.leads, order=50)
    nav.add_item(app, "orgs.members", _l("Members"), visible=nav.leads, order=60)
    nav.add_home_section(app, "orgs/_home_lead.html", context=_home_lead, order=20)


def role_title(role: str) -> str:
    """A role's name in the reader's language ("Peer supporter" for member)."""
    from network.models.orgs import ROLE_TITLES

    return str(ROLE_TITLES.get(role, role))


def status_title(status: str) -> str:
    """A membership status in the reader's language."""
    from network.models.orgs import STATUS_TITLES

    return str(STATUS_TITLES.get(status, status))


def _home_lead(actor) -> dict | None:
    """The home page's tools of a lead's organization (none for others)."""
    from network import policy
    from network.orgs.services import pending_count

    org = policy.lead_org(actor)
    if org is None:
        return None
    return {"pending": pending_count(org), "org_public_id": org.public_id}
