"""The full-text index of room messages: an SQLite FTS5 table kept by triggers, or
a PostgreSQL GIN expression index. Only text members can read is indexed: a
deleted or hidden message leaves the index (docs/search.md)."""

from __future__ import annotations

from sqlalchemy import DateTime, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from network.extensions import db
from network.models.rooms import Message
from network.models.types import build_with_table

# Names outside the ORM metadata (made by the migration and by create_all); the
# schema comparison skips them (models.SEARCH_OBJECTS).
MESSAGE_SEARCH_OBJECTS = {"messages_fts", "ix_messages_search"}

# A message is in the index while both hold (the same test on old and new rows
# keeps the external-content index exact: FTS5 must be told what it holds).
_INDEXED = "{row}.deleted_at IS NULL AND {row}.hidden_at IS NULL"

FTS_SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5("
    "body, content='messages', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS messages_fts_ai AFTER INSERT ON messages "
    f"WHEN {_INDEXED.format(row='new')} BEGIN "
    "INSERT INTO messages_fts(rowid, body) VALUES (new.id, new.body); END",
    "CREATE TRIGGER IF NOT EXISTS messages_fts_ad AFTER DELETE ON messages "
    f"WHEN {_INDEXED.format(row='old')} BEGIN "
    "INSERT INTO messages_fts(messages_fts, rowid, body) "
    "VALUES ('delete', old.id, old.body); END",
    "CREATE TRIGGER IF NOT EXISTS messages_fts_au AFTER UPDATE OF body, deleted_at, "
    "hidden_at ON messages BEGIN "
    "INSERT INTO messages_fts(messages_fts, rowid, body) "
    f"SELECT 'delete', old.id, old.body WHERE {_INDEXED.format(row='old')}; "
    "INSERT INTO messages_fts(rowid, body) "
    f"SELECT new.id, new.body WHERE {_INDEXED.format(row='new')}; END",
]
# 'simple': no stemming, as the library (members write in several languages).
PG_MESSAGE_VECTOR = "to_tsvector('simple', body)"
FTS_POSTGRES = [
    "CREATE INDEX IF NOT EXISTS ix_messages_search ON messages "
    f"USING gin ({PG_MESSAGE_VECTOR}) "
    "WHERE deleted_at IS NULL AND hidden_at IS NULL"
]

build_with_table(
    Message.__table__,
    sqlite=FTS_SQLITE,
    postgresql=FTS_POSTGRES,
    fts_table="messages_fts",
)


def forget_removed_text() -> None:
    """Make text that left the index (deleted, hidden, edited, purged) unreadable
    in it, in the caller's transaction. FTS5 records a removal as a marker and
    keeps the old entry in its segment until a merge: 'optimize' merges now. On
    PostgreSQL the partial index drops the row; VACUUM reclaims the space."""
    if db.session.get_bind().dialect.name == "sqlite":
        db.session.flush()  # the triggers run first
        db.session.execute(
            text("INSERT INTO messages_fts(messages_fts) VALUES ('optimize')")
        )


class kept_since(FunctionElement):
    """The oldest creation time a room with `days` of retention still keeps (now,
    in UTC, minus the days), in SQL: messages before it are past retention even
    while the purge has not run yet."""

    type = DateTime()
    inherit_cache = True


@compiles(kept_since, "sqlite")
def _kept_since_sqlite(element, compiler, **kw):
    # Stored as 'YYYY-MM-DD HH:MM:SS.ffffff' text, compared as text.
    (days,) = list(element.clauses)
    return f"datetime('now', '-' || ({compiler.process(days, **kw)}) || ' days')"


@compiles(kept_since, "postgresql")
def _kept_since_postgresql(element, compiler, **kw):
    # Stored as naive UTC (models.types.UTCDateTime).
    (days,) = list(element.clauses)
    return (
        "((now() AT TIME ZONE 'UTC') - "
        f"make_interval(days => {compiler.process(days, **kw)}))"
    )
