"""`upgrade head` must give exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import inspect, text

from network import create_app
from network.extensions import db
from network.models import SEARCH_OBJECTS


def _upgrade_and_diff(url: str) -> list:
    app = create_app("test", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "render_as_batch": True,
                    "include_object": lambda obj, name, *rest: not (
                        name or ""
                    ).startswith(tuple(SEARCH_OBJECTS)),
                },
            )
            diff = compare_metadata(context, db.metadata)
            tables = set(inspect(connection).get_table_names())
            triggers = set()
            if url.startswith("sqlite"):
                triggers = set(
                    connection.execute(
                        text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
                    ).scalars()
                )
        db.session.remove()
        db.engine.dispose()
    assert "accounts" in tables and "alembic_version" in tables
    if url.startswith("sqlite"):
        assert "resources_fts" in tables  # FTS5 index made by the migration
        # ... and kept up to date by its triggers (a batch table copy drops them)
        assert {"resources_fts_ai", "resources_fts_ad", "resources_fts_au"} <= triggers
        assert "messages_fts" in tables  # room messages (message search)
        assert {"messages_fts_ai", "messages_fts_ad", "messages_fts_au"} <= triggers
    return diff


def test_sqlite_upgrade_matches_models(tmp_path):
    assert _upgrade_and_diff(f"sqlite:///{tmp_path / 'm.sqlite3'}") == []


def test_sqlite_connections_use_wal_and_busy_timeout(tmp_path):
    app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'w.db'}")
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.engine.dispose()


def test_postgres_upgrade_matches_models(pg_url):
    assert (
        _upgrade_and_diff(pg_url.replace("postgresql://", "postgresql+psycopg://"))
        == []
    )


def test_existing_uploads_do_not_keep_their_file_names(tmp_path):
    from network.models import Resource

    app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'k.db'}")
    with app.app_context():
        upgrade(revision="d4e8b2c6a913")
        # Raw SQL, not the factories: today's models have later columns.
        org_id = db.session.execute(
            text(
                "INSERT INTO organizations (public_id, name, region, description,"
                " accepts_requests, created_at)"
                " VALUES ('o1', 'K', 'ON', '', 1, '2026-01-01') RETURNING id"
            )
        ).scalar_one()
        db.session.execute(
            text(
                "INSERT INTO resources (public_id, owner_org_id, title, description,"
                " description_html, tags, language, visibility, kind, url,"
                " stored_name, file_name, mime_type, size, created_at, updated_at)"
                " VALUES ('r1', :org, 'Court day', '', '', '', 'en', 'org', 'file',"
                " '', 'x', 'Robin_Smith_notes.PDF', 'application/pdf', 1,"
                " '2026-01-01', '2026-01-01')"
            ),
            {"org": org_id},
        )
        db.session.commit()
        upgrade()
        resource = db.session.scalar(db.select(Resource))
        assert (resource.keep_file_name, resource.file_name) == (False, "file.pdf")
        assert resource.download_name == "court-day.pdf"
        db.session.remove()
        db.engine.dispose()


def test_message_search_migration_indexes_existing_messages(tmp_path):
    """The migration backfills the index: messages written before it are found,
    except deleted and hidden ones."""
    from tests import factories

    from flask_migrate import downgrade

    app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 's.db'}")
    with app.app_context():
        # The people and the room are made with today's models, then the schema
        # goes back to just before the search index (rows stay), so later
        # migrations' columns never trip the factories.
        upgrade()
        org = factories.make_org("S")
        author = factories.make_member(org)
        room = factories.make_room(org)
        author_id, room_id = author.id, room.id
        db.session.commit()
        downgrade(revision="a1c4e6f80b12")
        for n, (body, hidden) in enumerate(
            [("quokka visible", None), ("quokka hidden", "2026-01-01")]
        ):
            db.session.execute(
                text(
                    "INSERT INTO messages (public_id, room_id, author_id, client_msg_id,"
                    " body, html, content_warning, created_at, hidden_at,"
                    " hidden_reason) VALUES (:p, :r, :a, :c, :b, '', '',"
                    " '2026-01-01', :h, '')"
                ),
                {
                    "p": f"m{n}",
                    "r": room_id,
                    "a": author_id,
                    "c": f"c{n}",
                    "b": body,
                    "h": hidden,
                },
            )
        db.session.commit()
        upgrade()
        found = db.session.execute(
            text(
                "SELECT m.body FROM messages_fts JOIN messages m ON m.id = "
                "messages_fts.rowid WHERE messages_fts MATCH 'quokka'"
            )
        ).scalars()
        assert list(found) == ["quokka visible"]
        db.session.remove()
        db.engine.dispose()


def test_message_search_migration_downgrades_cleanly(tmp_path):
    from flask_migrate import downgrade

    app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'd.db'}")
    with app.app_context():
        upgrade()
        downgrade(revision="a1c4e6f80b12")
        names = set(
            db.session.execute(
                text("SELECT name FROM sqlite_master WHERE name LIKE 'messages_fts%'")
            ).scalars()
        )
        assert names == set()
        upgrade()
        db.session.remove()
        db.engine.dispose()
