"""Retention bounds: the platform admin sets the fewest and most days any room
may keep messages; leads choose within them. When the bounds change, every room
outside them moves to the nearest bound in the same transaction (audited), so
what a room page states is what the purge does; the purge clamps as well
(docs/security.md, "Retention")."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select, update

from network import audit
from network.extensions import db
from network.models import Account, PlatformSettings, Room, utcnow
from network.models.settings import RETENTION_MAX_DAYS, RETENTION_MIN_DAYS

# The widest bounds the admin may set (a year and a half at most).
HARD_MAX_DAYS = 548


class BoundsError(ValueError):
    """The admin's bounds are out of order or out of range."""


def bounds() -> tuple[int, int]:
    """(fewest, most) days a room may keep messages."""
    row = db.session.scalar(select(PlatformSettings).limit(1))
    if row is None:
        return RETENTION_MIN_DAYS, RETENTION_MAX_DAYS
    return row.retention_min_days, row.retention_max_days


def set_bounds(min_days: int, max_days: int, *, actor: Account) -> None:
    """The admin sets the bounds (audited, in no organization's log)."""
    if not 1 <= min_days <= max_days <= HARD_MAX_DAYS:
        raise BoundsError(
            _(
                "Choose 1 to %(most)s days, the fewest no more than the most.",
                most=HARD_MAX_DAYS,
            )
        )
    row = db.session.scalar(select(PlatformSettings).limit(1))
    if row is None:
        row = PlatformSettings()
        db.session.add(row)
    row.retention_min_days, row.retention_max_days = min_days, max_days
    row.updated_at = utcnow()
    moved = 0
    for low_or_high, outside in (
        (min_days, Room.retention_days < min_days),
        (max_days, Room.retention_days > max_days),
    ):
        moved += db.session.execute(
            update(Room).where(outside).values(retention_days=low_or_high)
        ).rowcount
    audit.record(
        "retention.bounds_set",
        actor=actor,
        min_days=min_days,
        max_days=max_days,
        rooms_moved=moved,
    )
    db.session.commit()


def clamp(days: int, limits: tuple[int, int] | None = None) -> int:
    """A room's retention inside the bounds."""
    low, high = limits or bounds()
    return min(max(days, low), high)
