"""Column helpers shared by every model module."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def new_public_id() -> str:
    """An opaque, unguessable identifier for URLs (never a sequential number)."""
    return secrets.token_urlsafe(12)


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
