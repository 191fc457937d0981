"""After deleting an account, nothing of the person is left: a dump of the whole
database (search index included) and of the upload folder holds none of their
pseudonym, sign-in name, email, bio, message or file text. SQLite and PostgreSQL."""

from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import select

from network import create_app
from network.accounts import deletion
from network.extensions import db
from network.models import Account, Message, Separation
from tests import factories  # noqa: F401  (the world builds through it)
from tests.accounts import deletion_world
from tests.conftest import IsolatedClient


def _delete_and_check(by_lead: bool) -> None:
    world = deletion_world.build()
    before = deletion_world.dump_database() + deletion_world.dump_uploads()
    # The positive control: every string is there before.
    assert sorted(set(deletion_world.leaks(before))) == sorted(
        set(deletion_world.leaks(before)) | set(deletion_world.SECRETS)
    )
    person_id = world.person.id
    if by_lead:
        deletion.delete_departed_member(world.person.membership, actor=world.lead)
    else:
        deletion.delete_own_account(world.person, password=factories.PASSWORD, code="")
    db.session.expire_all()
    assert deletion_world.leaks(deletion_world.dump_database()) == []
    assert deletion_world.leaks(deletion_world.dump_uploads()) == []
    # What protects someone else stays; the room that keeps words kept them.
    assert db.session.scalar(
        select(Separation).where(
            Separation.other_id == person_id,
            Separation.protected_id == world.protected.id,
        )
    )
    kept = db.session.get(Message, world.kept.id)
    assert kept.body == "kept words" and kept.author_id == person_id
    assert db.session.get(Account, person_id).deleted_at is not None


def test_nothing_of_a_deleted_person_is_left_on_sqlite(app):
    _delete_and_check(by_lead=False)


def test_nothing_is_left_when_a_lead_deletes_on_sqlite(app):
    _delete_and_check(by_lead=True)


def test_nothing_of_a_deleted_person_is_left_on_postgres(pg_url):
    app = create_app(
        "test",
        SQLALCHEMY_DATABASE_URI=pg_url.replace(
            "postgresql://", "postgresql+psycopg://"
        ),
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        upgrade()
        try:
            with app.test_request_context():
                _delete_and_check(by_lead=False)
        finally:
            db.session.remove()
            db.engine.dispose()
