"""The migration turns pending name separations into confidential requests."""

from __future__ import annotations

from datetime import datetime

from flask_migrate import upgrade
from sqlalchemy import inspect, text

from network import create_app
from network.extensions import db


def _insert(connection, table: str, **values: object) -> None:
    """Insert a row, filling every other NOT NULL column with a plain value."""
    for column in inspect(connection).get_columns(table):
        name, kind = column["name"], str(column["type"]).upper()
        if name in values or column["nullable"] or name == "id":
            continue
        if "INT" in kind or "BOOL" in kind:
            values[name] = 0
        elif "DATE" in kind or "TIME" in kind:
            values[name] = datetime(2026, 1, 1)
        else:
            values[name] = f"{table}-{name}-{values.get('id', 0)}"
    names = ", ".join(values)
    marks = ", ".join(f":{key}" for key in values)
    connection.execute(text(f"INSERT INTO {table} ({names}) VALUES ({marks})"), values)


def test_pending_name_rows_become_asked_requests(tmp_path):
    app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'm.db'}")
    with app.app_context():
        upgrade(revision="e25feb32a39a")
        with db.engine.begin() as connection:
            _insert(connection, "organizations", id=1)
            for account_id in (1, 2):
                _insert(connection, "accounts", id=account_id)
                _insert(
                    connection, "memberships", account_id=account_id, organization_id=1
                )
            _insert(
                connection,
                "separations",
                id=1,
                public_id="bound",
                protected_id=1,
                other_id=2,
                other_key="k",
                other_name="Bound",
            )
            _insert(
                connection,
                "separations",
                id=2,
                public_id="pending",
                protected_id=1,
                other_id=None,
                other_key="shadowfox",
                other_name="Shadow Fox",
                filed_by_id=1,
            )
        upgrade()
        with db.engine.connect() as connection:
            separations = connection.execute(
                text("SELECT public_id, other_id FROM separations")
            ).all()
            requests = connection.execute(
                text(
                    "SELECT organization_id, protected_id, name, name_key, status "
                    "FROM separation_requests"
                )
            ).all()
        db.engine.dispose()
    assert separations == [("bound", 2)]
    assert requests == [(1, 1, "Shadow Fox", "shadowfox", "asked")]
