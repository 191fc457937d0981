"""A serving process checkpoints SQLite's write-ahead log on a native thread of
its own, not in whichever commit fills the log (that stalled every socket)."""

from __future__ import annotations

import shutil
import sqlite3
import time

from sqlalchemy import create_engine, text

from network import sqlite


def _rows_in_main_file(path, copy) -> int:
    """Rows readable from the database file alone (what checkpoints put there)."""
    shutil.copyfile(path, copy)
    connection = sqlite3.connect(copy)
    try:
        return connection.execute("SELECT count(*) FROM notes").fetchone()[0]
    except sqlite3.OperationalError:  # the table itself is still only in the log
        return 0
    finally:
        connection.close()


def test_checkpoints_move_to_a_thread(tmp_path):
    path = tmp_path / "serving.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(
            text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        )
    stop = sqlite.checkpoint_in_background(engine, 0.05)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA wal_autocheckpoint")).scalar() == 0
        with engine.begin() as connection:
            connection.execute(
                text("INSERT INTO notes (body) VALUES (:b)"),
                [{"b": "x" * 500} for _ in range(50)],
            )
        deadline = time.monotonic() + 10
        while _rows_in_main_file(path, tmp_path / "copy") < 50:
            assert time.monotonic() < deadline, "the log was never checkpointed"
            time.sleep(0.05)
    finally:
        stop()
        engine.dispose()
    with engine.connect() as connection:  # stopped: SQLite's default again
        assert connection.execute(text("PRAGMA wal_autocheckpoint")).scalar() == 1000


def test_other_databases_are_left_alone():
    assert sqlite.checkpoint_in_background(create_engine("sqlite://"), 1) is None
