"""SQLite settings for every connection, and WAL checkpoints off the event loop.

Under gevent a SQLite call runs on the one OS thread that serves every socket,
so whatever it waits for, everyone waits for. The costliest wait is the WAL
checkpoint: by default the commit that fills the log past 1,000 pages copies it
into the database file and syncs both, which stalled a busy server for 40-150 ms
(bench/RESULTS.md). A serving process (housekeeping.start) therefore turns the
automatic checkpoint off for its connections and runs a PASSIVE checkpoint every
CHECKPOINT_SECONDS on a native thread of its own connection: sqlite3 releases
the GIL while it works, so sockets go on being served. Commits still sync the
log (synchronous=FULL, the default): an acknowledged message survives a power cut.
CLI commands and tests keep SQLite's automatic checkpoint.
"""

from __future__ import annotations

import logging
import sqlite3
import sys

from sqlalchemy import event
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)


@event.listens_for(Engine, "connect")
def _pragmas(dbapi_connection, connection_record) -> None:
    """WAL and a busy timeout on every SQLite connection; foreign keys on."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _native():
    """(start_new_thread, sleep) as they were before gevent or eventlet patched
    them: a real OS thread that really sleeps, never blocking the event loop."""
    try:
        from gevent import monkey

        if monkey.is_module_patched("_thread") or monkey.is_module_patched("time"):
            return (
                monkey.get_original("_thread", "start_new_thread"),
                monkey.get_original("time", "sleep"),
            )
    except ImportError:  # pragma: no cover - gevent is a dependency
        pass
    if "eventlet" in sys.modules:  # imported (and patching) only under eventlet
        from eventlet import patcher

        if patcher.is_monkey_patched("thread"):
            return (
                patcher.original("_thread").start_new_thread,
                patcher.original("time").sleep,
            )
    import _thread
    import time

    return _thread.start_new_thread, time.sleep


def checkpoint(path: str) -> tuple[int, int, int]:
    """One PASSIVE checkpoint on a connection of its own: (busy, log pages,
    pages checkpointed). It never waits for readers or writers."""
    connection = sqlite3.connect(path, timeout=5, check_same_thread=False)
    try:
        return tuple(connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone())
    finally:
        connection.close()


def checkpoint_in_background(engine, interval: float):
    """For a file-backed SQLite engine: turn automatic checkpoints off for its
    connections (the pool is emptied, so every connection is new) and checkpoint
    every `interval` seconds on a native thread. Returns a function that stops
    the thread, or None where there is nothing to do (another database)."""
    if engine.dialect.name != "sqlite":
        return None
    path = engine.url.database
    if not path or path == ":memory:" or path.startswith("file:"):
        return None
    event.listen(engine, "connect", _no_autocheckpoint)
    engine.dispose()
    start_new_thread, sleep = _native()
    stopped: list[bool] = []

    def loop() -> None:
        while not stopped:
            sleep(interval)
            try:
                checkpoint(path)
            except sqlite3.Error:  # busy or locked: the next round retries
                log.warning("background WAL checkpoint failed", exc_info=True)

    start_new_thread(loop, ())

    def stop() -> None:
        stopped.append(True)
        event.remove(engine, "connect", _no_autocheckpoint)
        engine.dispose()

    return stop


def _no_autocheckpoint(dbapi_connection, connection_record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()
