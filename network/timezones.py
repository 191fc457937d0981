"""Time zones: members see times in their own zone; the database keeps UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from flask_babel import lazy_gettext as _l

ZONES = {
    "America/St_Johns": _l("Newfoundland"),
    "America/Halifax": _l("Atlantic"),
    "America/Toronto": _l("Eastern"),
    "America/Winnipeg": _l("Central"),
    "America/Regina": _l("Saskatchewan"),
    "America/Edmonton": _l("Mountain"),
    "America/Vancouver": _l("Pacific"),
    "America/Whitehorse": _l("Yukon"),
    "America/Iqaluit": _l("Nunavut (Eastern)"),
}
DEFAULT_ZONE = "America/Toronto"

# A province's main zone (an organization's region has no finer grain).
REGION_ZONES = {
    "AB": "America/Edmonton",
    "BC": "America/Vancouver",
    "MB": "America/Winnipeg",
    "NB": "America/Halifax",
    "NL": "America/St_Johns",
    "NS": "America/Halifax",
    "NT": "America/Edmonton",
    "NU": "America/Iqaluit",
    "ON": "America/Toronto",
    "PE": "America/Halifax",
    "QC": "America/Toronto",
    "SK": "America/Regina",
    "YT": "America/Whitehorse",
}


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


# Babel patterns per language (a French time is written "14 h 00").
_PATTERNS = {"en": "EEE dd MMM, HH:mm z", "fr": "EEE d MMM, HH 'h' mm z"}
_DATE_PATTERNS = {"en": "d MMM y", "fr": "d MMM y"}


def _locale(locale: str | None) -> str:
    if locale:
        return locale
    from network.i18n import current_locale

    try:
        return current_locale()
    except RuntimeError:  # outside a request: English
        return "en"


def format_local(
    moment: datetime | None, name: str | None, locale: str | None = None
) -> str:
    """Like "Thu 26 Nov, 14:00 EST" (French: "jeu. 26 nov., 14 h 00 HNE"),
    in the member's zone and the page's language (or the given one)."""
    if moment is None:
        return ""
    language = _locale(locale)
    pattern = _PATTERNS.get(language.split("_")[0], _PATTERNS["en"])
    return format_datetime(moment, pattern, tzinfo=zone(name), locale=language)


def format_local_date(
    moment: datetime | None, name: str | None, locale: str | None = None
) -> str:
    """A day like "26 Nov 2026" ("26 nov. 2026") in the member's zone."""
    if moment is None:
        return ""
    language = _locale(locale)
    pattern = _DATE_PATTERNS.get(language.split("_")[0], _DATE_PATTERNS["en"])
    return format_datetime(moment, pattern, tzinfo=zone(name), locale=language)


def region_zone(region: str | None) -> str:
    """The zone name for a province or territory code, or the default."""
    return REGION_ZONES.get(region or "", DEFAULT_ZONE)


def next_weekday_at(
    weekday: int, hour: int, name: str | None, now: datetime
) -> datetime:
    """The next weekday (Monday 0) at hour:00 in the zone, strictly after now, as UTC."""
    local = to_local(now, name)
    days = (weekday - local.weekday()) % 7
    for extra in (days, days + 7):
        day = (local + timedelta(days=extra)).date()
        naive = datetime(day.year, day.month, day.day, hour)
        moment = naive.replace(tzinfo=zone(name)).astimezone(UTC)
        if moment > now:
            return moment
    raise AssertionError("unreachable")
