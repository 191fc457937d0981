"""Housekeeping under the README's production command, `gunicorn -k gevent -w 1
wsgi:app`: the heartbeat row is refreshed and a message past its room's retention
is purged, with no request needed. The server's SQLite file is the witness; every
wait polls it with a deadline.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.conftest import (
    start_server,
    DEMO_PASSWORD,
    FLASK,
    LiveServer,
    _run,
    _server_env,
    _stop,
)

pytestmark = pytest.mark.e2e

DEADLINE = 30.0


def _query(database: str, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as db:
        return db.execute(sql, params).fetchall()


def _poll(check: Callable[[], object], what: str, server: LiveServer):
    """check()'s first truthy answer before the deadline, or a failure."""
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(f"gunicorn exited before {what}\n{server.logs()}")
        answer = check()
        if answer:
            return answer
        time.sleep(0.2)
    pytest.fail(f"no {what} within {DEADLINE}s\n{server.logs()}")


def _age_one_message(database: str) -> int:
    """Make one seeded message far older than any retention; return its id."""
    with sqlite3.connect(database) as db:
        (message_id,) = db.execute("SELECT min(id) FROM messages").fetchone()
        assert message_id is not None, "the demo seeds no messages"
        db.execute(
            "UPDATE messages SET created_at = '2000-01-01 00:00:00.000000' "
            "WHERE id = ?",
            (message_id,),
        )
    return message_id


@pytest.fixture
def gunicorn_server(tmp_path: Path, neutral_site):
    """The production command on a free port, SQLite in tmp_path, short intervals."""
    database = tmp_path / "prod.sqlite3"
    env = _server_env(database, neutral_site, "gevent")
    env.update(PURGE_INTERVAL_SECONDS="1", HEARTBEAT_INTERVAL_SECONDS="1")
    _run([*FLASK, "--app", "network", "db", "upgrade"], env)
    assert DEMO_PASSWORD in _run([*FLASK, "--app", "network", "seed-demo"], env)
    message_id = _age_one_message(str(database))
    server = start_server(
        env, tmp_path, "gunicorn", command="gunicorn", database=str(database)
    )
    server.message_id = message_id
    try:
        yield server
    finally:
        _stop(server.process)


def test_gunicorn_runs_heartbeat_and_retention_purge(gunicorn_server):
    # No request is made: housekeeping must not wait for a first visitor.
    database = gunicorn_server.database

    def beats() -> list[tuple]:
        return _query(database, "SELECT host_id, seen_at FROM server_processes")

    first = _poll(beats, "heartbeat row", gunicorn_server)
    assert len(first) == 1, first
    _poll(lambda: beats() and beats()[0][1] > first[0][1], "heartbeat", gunicorn_server)

    def purged() -> bool:
        return not _query(
            database, "SELECT id FROM messages WHERE id = ?", gunicorn_server.message_id
        )

    _poll(purged, "purge of the expired message", gunicorn_server)
    assert _query(database, "SELECT count(*) FROM messages")[0][0] > 0
    assert "Traceback" not in gunicorn_server.logs()
