"""The whole join-and-approve path on the real PostgreSQL (the scale-out database)."""

from __future__ import annotations

from flask_migrate import upgrade

from network.extensions import db
from network.models import Role, Status
from network.orgs import services as org_services
from tests import factories
from tests.conftest import login, post_form


def test_join_approve_and_sign_in_on_postgres(pg_app):
    app = pg_app
    with app.app_context():
        upgrade()
        org = factories.make_org("Postgres Peers")
        lead = factories.make_member(org, role=Role.LEAD)
        _, code = factories.make_invitation(org, lead)
        _, second_code = factories.make_invitation(org, lead)
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
                "code": second_code,
                "login_name": "other",
                "pseudonym": "PG PERSON",
                "password": "a long password",
                "confirm": "a long password",
            },
            token_from="/join/invitation",
        )
        # Sign-up checks no name: a look-alike pseudonym is accepted (the tag
        # tells the two apart) and the answer is the one any sign-up gets.
        assert (duplicate.status_code, duplicate.headers["Location"]) == (
            response.status_code,
            response.headers["Location"],
        )
        from sqlalchemy import select

        from network.models import Account

        person = db.session.scalar(
            select(Account).where(Account.login_key.like("pgperson-____"))
        )
        items = [item.id for item in org_services.checklist(org)]
        org_services.approve_membership(person.membership, items, actor=lead)
        assert person.membership.status == Status.APPROVED
        fresh = app.test_client()
        login(fresh, person, "a long password")
        assert "Hello, Pg Person" in fresh.get("/").get_data(as_text=True)
        db.session.remove()
        db.engine.dispose()


def test_library_full_text_search_on_postgres(pg_app):
    from sqlalchemy import text

    from network.library import services
    from network.models import TrustLevel

    app = pg_app
    with app.app_context():
        upgrade()
        index = db.session.execute(
            text(
                "SELECT indexname FROM pg_indexes WHERE indexname = 'ix_resources_search'"
            )
        ).scalar()
        assert index == "ix_resources_search"
        org_a, org_b, org_c = (factories.make_org(n) for n in ("PA", "PB", "PC"))
        factories.set_trust(org_a, org_b, TrustLevel.COLLABORATE)
        author = factories.make_member(org_a)
        services.create_link(
            org_a,
            services.Fields(
                title="Quokkaword guide",
                description="court hearing tips",
                tags="legal",
                visibility="org",
            ),
            "https://example.org/q",
            actor=author,
        )
        services.create_link(
            org_a,
            services.Fields(
                title="Shared housing list",
                description="for partners",
                tags="housing",
                visibility="partners",
            ),
            "https://example.org/h",
            actor=author,
        )
        own, partner = author, factories.make_member(org_b)
        stranger = factories.make_member(org_c)
        assert [
            r.title for r in services.search(own, query="quokkaword").resources
        ] == ["Quokkaword guide"]
        assert services.search(own, query="hearing").total == 1
        assert services.search(own, query="housing").total == 1
        assert services.search(partner, query="quokkaword").total == 0
        assert services.search(partner, query="housing").total == 1
        assert services.search(stranger, query="housing").total == 0
        # Prefixes: "hous" finds housing; every word must match.
        assert services.search(partner, query="hous").total == 1
        assert services.search(own, query="QUOK hear").total == 1
        assert services.search(own, query="quok hous").total == 0
        # What a person types is never tsquery syntax: no error, no widening.
        for query in (
            "hous:*|quok",
            "!quok",
            "hous' | 'quok",
            "quok\x00",
            "'",
            "(",
            "hous & quok",
            "hous <-> list",
            ":*",
            "\\",
        ):
            assert services.search(own, query=query).total <= 1, query
        db.session.remove()
        db.engine.dispose()


def test_message_search_on_postgres(pg_app):
    """The migration's partial GIN index, and search's policy filter, syntax-proof
    queries and keyset paging on PostgreSQL (the leak test's whole world)."""
    from sqlalchemy import text

    from network.search import services
    from tests.search.test_search_leaks import check_search_leaks
    from tests.search.world import member, say

    app = pg_app
    with app.app_context():
        upgrade()
        index = db.session.execute(
            text(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_messages_search'"
            )
        ).scalar()
        assert "gin" in index and "deleted_at IS NULL" in index
        check_search_leaks()
        org = factories.make_org("Paging")
        me = factories.make_member(org)
        room = factories.make_room(org)
        member(room, me)
        made = [say(room, me, f"Numbat café {n}").public_id for n in range(25)]
        first = services.search(me, "numb CAFÉ")
        second = services.search(me, "numb", before=first.next_cursor)
        found = [r.message_id for r in first.results + second.results]
        assert found == made[::-1] and second.next_cursor is None
        for query in ("numb:*|x", "!numbat", "numbat & (", "'numbat'", "\\"):
            assert services.search(me, query).error in ("", services.NO_WORDS)
        db.session.remove()
        db.engine.dispose()
