"""Retention bounds: the platform admin sets the fewest and most days any room
may keep messages; leads choose within them. A room set before the bounds
changed is clamped into them, at purge time and wherever retention is stated
(docs/security.md, "Retention")."""

from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import select

from network import audit
from network.extensions import db
from network.models import Account, PlatformSettings, Room, utcnow
from network.models.settings import RETENTION_MAX_DAYS, RETENTION_MIN_DAYS

# The widest bounds the admin may set (a year and a half at most).
HARD_MAX_DAYS = 548


class BoundsError(ValueError):
    """The admin's bounds are out of order or out of range."""


def bounds() -> tuple[int, int]:
    """(fewest, most) days a room may keep messages; read once per request."""
    if has_request_context() and "retention_bounds" in g:
        return g.retention_bounds
    row = db.session.scalar(select(PlatformSettings).limit(1))
    found = (
        (RETENTION_MIN_DAYS, RETENTION_MAX_DAYS)
        if row is None
        else (row.retention_min_days, row.retention_max_days)
    )
    if has_request_context():
        g.retention_bounds = found
    return found


def set_bounds(min_days: int, max_days: int, *, actor: Account) -> None:
    """The admin sets the bounds (audited, in no organization's log)."""
    if not 1 <= min_days <= max_days <= HARD_MAX_DAYS:
        raise BoundsError(
            f"Choose 1 to {HARD_MAX_DAYS} days, the fewest no more than the most."
        )
    row = db.session.scalar(select(PlatformSettings).limit(1))
    if row is None:
        row = PlatformSettings()
        db.session.add(row)
    row.retention_min_days, row.retention_max_days = min_days, max_days
    row.updated_at = utcnow()
    audit.record(
        "retention.bounds_set", actor=actor, min_days=min_days, max_days=max_days
    )
    db.session.commit()
    if has_request_context():
        g.pop("retention_bounds", None)


def clamp(days: int, limits: tuple[int, int] | None = None) -> int:
    """A room's retention inside the bounds."""
    low, high = limits or bounds()
    return min(max(days, low), high)


def kept_days(room: Room) -> int:
    """How long this room really keeps messages (its setting, within the bounds)."""
    return clamp(room.retention_days)


def outside_bounds(room: Room) -> bool:
    """Whether the room's own setting lies outside the current bounds."""
    return room.retention_days != kept_days(room)
