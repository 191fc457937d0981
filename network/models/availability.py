"""Availability: the weekly hours a member is on call, in their own time zone,
and the pure rules that say whether they are available at a moment.

Hours are one compact text column per person ("0:540-1020,4:1320-120": Monday
9:00-17:00, Friday 22:00 to Saturday 2:00), so a presence list loads them in
its own query (an outer join) and decides in Python: no query per person.
No hours at all means no limit: available whenever they are not on a break.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from network.extensions import db
from network.models.types import UTCDateTime, utcnow
from network.timezones import zone

AVAILABLE, AWAY, BREAK = "available", "away", "break"
DAY = 24 * 60
WEEKDAYS = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)


class AvailabilityHours(db.Model):
    """One person's weekly hours (see the module's docstring for the format)."""

    __tablename__ = "availability_hours"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    weekly: Mapped[str] = mapped_column(String(400), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


Span = tuple[int, int, int]  # weekday (Monday 0), start minute, end minute


def parse_weekly(text: str | None) -> list[Span]:
    """The spans of a weekly text; anything malformed is skipped."""
    spans = []
    for part in (text or "").split(","):
        try:
            day, times = part.split(":")
            start, end = (int(value) for value in times.split("-"))
            day = int(day)
        except ValueError:
            continue
        if 0 <= day < 7 and 0 <= start < DAY and 0 <= end < DAY and start != end:
            spans.append((day, start, end))
    return spans


def format_weekly(spans: list[Span]) -> str:
    """The weekly text for spans (the inverse of parse_weekly)."""
    return ",".join(f"{day}:{start}-{end}" for day, start, end in sorted(spans))


def _covers(spans: list[Span], local: datetime) -> bool:
    """Whether local wall-clock time falls inside a span (a span whose end is
    before its start runs past midnight into the next day)."""
    minute = local.hour * 60 + local.minute
    today, yesterday = local.weekday(), (local.weekday() - 1) % 7
    for day, start, end in spans:
        if start < end:
            if day == today and start <= minute < end:
                return True
        elif (day == today and minute >= start) or (day == yesterday and minute < end):
            return True
    return False


def on_break_at(on_break: bool, break_until: datetime | None, now: datetime) -> bool:
    """A break holds until its end (or until ended, with no end)."""
    return bool(on_break) and (break_until is None or now < break_until)


def state_at(
    weekly: str | None,
    zone_name: str | None,
    on_break: bool,
    break_until: datetime | None,
    now: datetime | None = None,
) -> str:
    """AVAILABLE, AWAY (outside their hours) or BREAK, at `now` (aware UTC)."""
    now = now or utcnow()
    if on_break_at(on_break, break_until, now):
        return BREAK
    spans = parse_weekly(weekly)
    if not spans or _covers(spans, now.astimezone(zone(zone_name))):
        return AVAILABLE
    return AWAY


def _local_moment(day, minute: int, zone_name: str | None) -> datetime:
    """A wall-clock time on a date in the zone, as UTC. A time skipped by a
    spring-forward reads as the same distance after the change (2:30 is 3:30);
    a repeated one as its first occurrence."""
    naive = datetime(day.year, day.month, day.day, minute // 60, minute % 60)
    return naive.replace(tzinfo=zone(zone_name)).astimezone(UTC)


def next_start(
    weekly: str | None, zone_name: str | None, after: datetime
) -> datetime | None:
    """When the hours next cover a moment at or after `after` (UTC): `after`
    itself when inside them; None when no hours are set (always available)."""
    spans = parse_weekly(weekly)
    if not spans:
        return None
    local = after.astimezone(zone(zone_name))
    if _covers(spans, local):
        return after
    best = None
    for extra in range(8):
        day = (local + timedelta(days=extra)).date()
        for weekday, start, _end in spans:
            if weekday != day.weekday():
                continue
            moment = _local_moment(day, start, zone_name)
            if moment > after and (best is None or moment < best):
                best = moment
    return best


def available_from(
    weekly: str | None,
    zone_name: str | None,
    on_break: bool,
    break_until: datetime | None,
    now: datetime | None = None,
) -> tuple[str, datetime | None]:
    """The state now and, when not available, the moment they next are (None:
    a break with no end, until they end it)."""
    now = now or utcnow()
    state = state_at(weekly, zone_name, on_break, break_until, now)
    if state == AVAILABLE:
        return state, now
    if state == BREAK:
        if break_until is None:
            return state, None
        return state, next_start(weekly, zone_name, break_until) or break_until
    return state, next_start(weekly, zone_name, now)


def availability_rows(account_ids, *extra) -> list[tuple]:
    """(account_id, zone, on_break, break_until, weekly, *extra) for these
    people, in one query (what state_at and available_from need; `extra`
    columns let a caller fold its own per-person fact into the same query)."""
    from sqlalchemy import select

    from network.models.accounts import Profile

    return list(
        db.session.execute(
            select(
                Profile.account_id,
                Profile.timezone,
                Profile.on_break,
                Profile.break_until,
                AvailabilityHours.weekly,
                *extra,
            )
            .outerjoin(
                AvailabilityHours, AvailabilityHours.account_id == Profile.account_id
            )
            .where(Profile.account_id.in_(list(account_ids)))
        )
    )


def away_ids(account_ids, now: datetime | None = None) -> set[int]:
    """Who among these people is away now (outside their hours or on a break)."""
    now = now or utcnow()
    return {
        account_id
        for account_id, zone_name, on_break, until, weekly, *_ in availability_rows(
            account_ids
        )
        if state_at(weekly, zone_name, on_break, until, now) != AVAILABLE
    }
