"""Platform settings the admin sets: one row (created on first use)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from network.extensions import db
from network.models.types import UTCDateTime, utcnow

# The bounds before the admin sets any: every retention the room form allowed.
RETENTION_MIN_DAYS = 1
RETENTION_MAX_DAYS = 365


class PlatformSettings(db.Model):
    """Network-wide limits: the retention bounds leads choose rooms' retention in."""

    __tablename__ = "platform_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    retention_min_days: Mapped[int] = mapped_column(Integer, default=RETENTION_MIN_DAYS)
    retention_max_days: Mapped[int] = mapped_column(Integer, default=RETENTION_MAX_DAYS)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
