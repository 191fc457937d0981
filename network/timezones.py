"""Time zones: members see times in their own zone; the database keeps UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

ZONES = {
    "America/St_Johns": "Newfoundland",
    "America/Halifax": "Atlantic",
    "America/Toronto": "Eastern",
    "America/Winnipeg": "Central",
    "America/Regina": "Saskatchewan",
    "America/Edmonton": "Mountain",
    "America/Vancouver": "Pacific",
    "America/Whitehorse": "Yukon",
    "America/Iqaluit": "Nunavut (Eastern)",
}
DEFAULT_ZONE = "America/Toronto"


def zone(name: str | None) -> ZoneInfo:
    """A known zone, or the default."""
    return ZoneInfo(name if name in ZONES else DEFAULT_ZONE)


def to_local(moment: datetime, name: str | None) -> datetime:
    """An aware UTC datetime in the member's zone."""
    return moment.astimezone(zone(name))


def parse_local(text: str, name: str | None) -> datetime | None:
    """A datetime-local field value (YYYY-MM-DDTHH:MM) in the member's zone, as UTC."""
    try:
        naive = datetime.strptime((text or "").strip(), "%Y-%m-%dT%H:%M")
    except ValueError:
        return None
    return naive.replace(tzinfo=zone(name)).astimezone(UTC)


def format_local(moment: datetime | None, name: str | None) -> str:
    """Like "Thu 26 Nov, 14:00 EST"."""
    if moment is None:
        return ""
    local = to_local(moment, name)
    return local.strftime("%a %d %b, %H:%M ") + (local.tzname() or "")
