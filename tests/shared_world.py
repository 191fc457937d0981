"""One app and database for many test cases, each rolled back to a SAVEPOINT.

A world that takes a second to build (accounts, organizations, rooms, reports)
is built once; every case then runs inside a SAVEPOINT that is rolled back
afterwards, so each case sees the pristine world, including cases whose
requests commit. The pattern is SQLAlchemy 2's "joining a session into an
external transaction": every session of the app (the test's own, each
request's, each socket event's) is bound to one connection held in an outer
transaction, with join_transaction_mode="create_savepoint", so a service's
commit releases its own SAVEPOINT and a session's rollback or close undoes only
its own work; neither ends the case. (The test's own session holds a SAVEPOINT
from its first query, around the requests it makes: a test that rolled its
session back would undo what its requests committed. Commit instead.)
"""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import func, select

from network import create_app, presence_batch
from network.extensions import db, socketio
from tests.conftest import IsolatedClient

# What Flask-SocketIO's init_app leaves on the one global SocketIO object; the
# next app built in the process (another test's) replaces them.
_SOCKETIO_STATE = ("server", "sockio_mw", "async_mode", "manage_session")


class SharedApp:
    """An app whose database lives in one outer transaction, for many cases."""

    def __init__(self) -> None:
        self.app = create_app("test")
        self.app.test_client_class = IsolatedClient
        self._socketio = {name: getattr(socketio, name) for name in _SOCKETIO_STATE}
        factory = db.session.session_factory
        self._join_mode = factory.kw.get("join_transaction_mode")
        # Only sessions bound to a connection already in a transaction (this
        # app's) are affected; sessions of other apps bind to their engines.
        factory.configure(join_transaction_mode="create_savepoint")
        with self.app.app_context():
            db.create_all()
            self.engine = db.engine
            self.connection = self.engine.connect()
            # The sqlite3 driver (before Python 3.12) begins no transaction for
            # a SELECT or a SAVEPOINT; SQLAlchemy's documented recipe is its
            # autocommit mode plus a BEGIN of our own, so that every SAVEPOINT
            # nests inside one real transaction, rolled back by close().
            self.connection.connection.driver_connection.isolation_level = None
            self.outer = self.connection.begin()
            self.connection.exec_driver_sql("BEGIN")
            db.engines[None] = self.connection  # this app's sessions use it
        self._extensions = set(self.app.extensions)

    @contextmanager
    def building(self):
        """An app context for building the shared world (kept for every case)."""
        with self.app.app_context():
            try:
                yield self.app
            finally:
                self.counts = row_counts()
                db.session.remove()
        self._extensions = set(self.app.extensions)

    @contextmanager
    def case(self):
        """The app, its context pushed, inside a SAVEPOINT rolled back after."""
        saved = {name: getattr(socketio, name) for name in _SOCKETIO_STATE}
        for name, value in self._socketio.items():
            setattr(socketio, name, value)
        presence_batch.reset()
        savepoint = self.connection.begin_nested()
        try:
            with self.app.app_context():
                try:
                    assert row_counts() == self.counts, "a case saw another's rows"
                    yield self.app
                finally:
                    db.session.remove()
        finally:
            savepoint.rollback()
            self._forget_case_state()
            for name, value in saved.items():
                setattr(socketio, name, value)

    def _forget_case_state(self) -> None:
        """Drop what the case left in app.extensions (token buckets, login
        delays, outbox): the next case starts from the world's state."""
        for key in set(self.app.extensions) - self._extensions:
            del self.app.extensions[key]

    def close(self) -> None:
        """Roll the world back and give the process's shared objects back."""
        self.outer.rollback()
        self.connection.close()
        self.engine.dispose()
        factory = db.session.session_factory
        if self._join_mode is None:
            factory.kw.pop("join_transaction_mode", None)
        else:
            factory.configure(join_transaction_mode=self._join_mode)


def row_counts() -> dict[str, int]:
    """The number of rows in every table: what a case must find as built."""
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
