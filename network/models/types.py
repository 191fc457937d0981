"""Column helpers shared by every model module."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from sqlalchemy import DDL, DateTime, event
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def new_public_id() -> str:
    """An opaque, unguessable identifier for URLs (never a sequential number)."""
    return secrets.token_urlsafe(12)


# Crockford base32 without I, L, O and U: no two characters look alike.
TAG_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TAG_LENGTH = 4


def new_tag() -> str:
    """A short random tag shown after a pseudonym, so names need not be unique."""
    return "".join(secrets.choice(TAG_ALPHABET) for _ in range(TAG_LENGTH))


class UTCDateTime(TypeDecorator):
    """Stores naive UTC on every backend and always returns aware UTC datetimes."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def build_with_table(
    table, *, sqlite: list[str], postgresql: list[str], fts_table: str
):
    """Create a table's full-text index objects whenever create_all makes the
    table (tests; migrations create the same objects themselves), per dialect,
    and drop the SQLite FTS5 table with it."""
    for dialect, statements in (("sqlite", sqlite), ("postgresql", postgresql)):
        for statement in statements:
            event.listen(
                table, "after_create", DDL(statement).execute_if(dialect=dialect)
            )
    event.listen(
        table,
        "before_drop",
        DDL(f"DROP TABLE IF EXISTS {fts_table}").execute_if(dialect="sqlite"),
    )
