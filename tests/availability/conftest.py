"""Helpers: make a person away now (hours that exclude now), whatever the clock."""

from __future__ import annotations

from network.availability import services
from network.models import utcnow
from network.timezones import to_local
from tests.rooms.conftest import world  # noqa: F401  (fixture reused)


def hours_excluding_now(account, *, starts_in_minutes: int = 120):
    """Give the person hours every day that start `starts_in_minutes` from now
    and last an hour, through the real service; returns the spans."""
    local = to_local(utcnow(), account.profile.timezone)
    start = (local.hour * 60 + local.minute + starts_in_minutes) % 1440
    spans = [(day, start, (start + 60) % 1440) for day in range(7)]
    services.set_hours(spans, actor=account)
    return spans


def hours_including_now(account):
    """Hours every day that cover now (an hour back to an hour ahead)."""
    local = to_local(utcnow(), account.profile.timezone)
    start = (local.hour * 60 + local.minute - 60) % 1440
    services.set_hours(
        [(day, start, (start + 120) % 1440) for day in range(7)], actor=account
    )
