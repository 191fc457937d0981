"""Migration b7cad2f46d89 on a database with sessions: each existing row gets
its own public id, an empty label and no last-seen time; nothing is dropped."""

from __future__ import annotations

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from network import create_app
from network.extensions import db
from network.models import AuthSession
from tests import factories


def test_existing_sessions_get_public_ids_and_survive(tmp_path):
    app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'd.db'}")
    with app.app_context():
        upgrade()
        member = factories.make_member(factories.make_org("D"))
        member_id = member.id
        db.session.commit()
        downgrade(revision="c2d5f7a91e34")
        for n in range(3):
            db.session.execute(
                text(
                    "INSERT INTO auth_sessions (account_id, token_hash, remember,"
                    " created_at, expires_at) VALUES (:a, :t, 0, '2026-11-01',"
                    " '2099-01-01')"
                ),
                {"a": member_id, "t": f"{n}" * 64},
            )
        db.session.commit()
        upgrade()
        rows = list(db.session.scalars(select(AuthSession)))
        assert len(rows) == 3
        ids = {row.public_id for row in rows}
        assert len(ids) == 3 and all(len(public_id) >= 16 for public_id in ids)
        assert {(row.device, row.last_seen_at) for row in rows} == {("", None)}
        db.session.remove()
        db.engine.dispose()
