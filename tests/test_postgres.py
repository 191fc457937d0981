"""The whole join-and-approve path on the real PostgreSQL (the scale-out database)."""

from __future__ import annotations

from flask_migrate import upgrade

from network import create_app
from network.extensions import db
from network.models import Role, Status
from network.orgs import services as org_services
from tests import factories
from tests.conftest import IsolatedClient, login, post_form


def test_join_approve_and_sign_in_on_postgres(pg_url):
    app = create_app(
        "test",
        SQLALCHEMY_DATABASE_URI=pg_url.replace(
            "postgresql://", "postgresql+psycopg://"
        ),
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        upgrade()
        org = factories.make_org("Postgres Peers")
        lead = factories.make_member(org, role=Role.LEAD)
        _, code = factories.make_invitation(org, lead)
        client = app.test_client()
        response = post_form(
            client,
            "/join/invitation",
            {
                "code": code,
                "login_name": "pgperson",
                "pseudonym": "Pg Person",
                "password": "a long password",
                "confirm": "a long password",
            },
            token_from="/join/invitation",
        )
        assert response.status_code == 302
        duplicate = post_form(
            app.test_client(),
            "/join/invitation",
            {
                "code": code,
                "login_name": "other",
                "pseudonym": "PG PERSON",
                "password": "a long password",
                "confirm": "a long password",
            },
            token_from="/join/invitation",
        )
        assert duplicate.status_code == 400
        from sqlalchemy import select

        from network.models import Account

        person = db.session.scalar(
            select(Account).where(Account.login_key == "pgperson")
        )
        items = [item.id for item in org_services.checklist(org)]
        org_services.approve_membership(person.membership, items, actor=lead)
        assert person.membership.status == Status.APPROVED
        fresh = app.test_client()
        login(fresh, person, "a long password")
        assert "Hello, Pg Person" in fresh.get("/").get_data(as_text=True)
        db.session.remove()
        db.engine.dispose()
