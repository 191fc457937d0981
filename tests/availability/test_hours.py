"""Weekly hours across time zones and daylight-saving changes (pure rules)."""

from __future__ import annotations

from datetime import UTC, datetime

from network.models.availability import (
    AVAILABLE,
    AWAY,
    BREAK,
    available_from,
    format_weekly,
    next_start,
    parse_weekly,
    state_at,
)

TORONTO, ST_JOHNS, VANCOUVER = (
    "America/Toronto",
    "America/St_Johns",
    "America/Vancouver",
)
NINE_TO_FIVE = format_weekly([(day, 9 * 60, 17 * 60) for day in range(7)])


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_parse_skips_malformed_and_round_trips():
    assert parse_weekly("0:540-1020,x,9:1-2,1:60-60,2:1380-120") == [
        (0, 540, 1020),
        (2, 1380, 120),
    ]
    assert format_weekly(parse_weekly("2:1380-120,0:540-1020")) == (
        "0:540-1020,2:1380-120"
    )


def test_no_hours_means_always_available():
    assert state_at("", TORONTO, False, None, utc(2026, 11, 27, 3)) == AVAILABLE
    assert next_start("", TORONTO, utc(2026, 11, 27, 3)) is None


def test_spring_forward_day_in_toronto():
    # 8 March 2026: clocks go from 2:00 EST to 3:00 EDT. 9:00 local is 13:00 UTC.
    assert state_at(NINE_TO_FIVE, TORONTO, False, None, utc(2026, 3, 8, 13, 30)) == (
        AVAILABLE
    )
    # 8:30 EDT (12:30 UTC) is before the hours; the day before, 13:30 UTC was 8:30 EST.
    assert state_at(NINE_TO_FIVE, TORONTO, False, None, utc(2026, 3, 8, 12, 30)) == AWAY
    assert state_at(NINE_TO_FIVE, TORONTO, False, None, utc(2026, 3, 7, 13, 30)) == AWAY
    assert next_start(NINE_TO_FIVE, TORONTO, utc(2026, 3, 8, 5)) == utc(2026, 3, 8, 13)
    # Hours starting at 2:30 (skipped that night) begin at 3:30 EDT (7:30 UTC).
    night = format_weekly([(6, 150, 240)])  # Sunday 2:30-4:00
    assert next_start(night, TORONTO, utc(2026, 3, 8, 5)) == utc(2026, 3, 8, 7, 30)


def test_fall_back_day_in_toronto():
    # 1 November 2026: 2:00 EDT becomes 1:00 EST. 9:00 local is 14:00 UTC.
    assert (
        state_at(NINE_TO_FIVE, TORONTO, False, None, utc(2026, 11, 1, 13, 30)) == AWAY
    )
    assert state_at(NINE_TO_FIVE, TORONTO, False, None, utc(2026, 11, 1, 14)) == (
        AVAILABLE
    )
    assert next_start(NINE_TO_FIVE, TORONTO, utc(2026, 11, 1, 3)) == utc(
        2026, 11, 1, 14
    )
    # 1:30 happens twice: both are inside hours of 1:00-2:00.
    one_am = format_weekly([(6, 60, 120)])
    assert state_at(one_am, TORONTO, False, None, utc(2026, 11, 1, 5, 30)) == AVAILABLE
    assert state_at(one_am, TORONTO, False, None, utc(2026, 11, 1, 6, 30)) == AVAILABLE


def test_st_johns_member_seen_from_vancouver():
    # A member in Newfoundland (UTC-3:30 in summer) works 9:00-17:00 there; a
    # viewer in Vancouver (UTC-7) reads their 9:00 as 5:30.
    at = utc(2026, 7, 15, 12, 0)  # 9:30 in St. John's, 5:00 in Vancouver
    assert state_at(NINE_TO_FIVE, ST_JOHNS, False, None, at) == AVAILABLE
    assert state_at(NINE_TO_FIVE, VANCOUVER, False, None, at) == AWAY
    moment = next_start(NINE_TO_FIVE, ST_JOHNS, utc(2026, 7, 15, 2))
    assert moment == utc(2026, 7, 15, 11, 30)
    assert (
        moment.astimezone(__import__("zoneinfo").ZoneInfo(VANCOUVER)).strftime("%H:%M")
        == "04:30"
    )


def test_hours_crossing_midnight():
    late = format_weekly([(4, 22 * 60, 2 * 60)])  # Friday 22:00 to Saturday 2:00
    # Friday 27 Nov 2026, 23:00 EST = Saturday 04:00 UTC; Saturday 1:30 EST.
    assert state_at(late, TORONTO, False, None, utc(2026, 11, 28, 4)) == AVAILABLE
    assert state_at(late, TORONTO, False, None, utc(2026, 11, 28, 6, 30)) == AVAILABLE
    assert state_at(late, TORONTO, False, None, utc(2026, 11, 28, 7, 30)) == AWAY
    # Thursday 23:00 is not Friday's span.
    assert state_at(late, TORONTO, False, None, utc(2026, 11, 27, 4)) == AWAY
    assert next_start(late, TORONTO, utc(2026, 11, 28, 8)) == utc(2026, 12, 5, 3)


def test_breaks_come_first_and_end():
    now = utc(2026, 11, 27, 15)
    assert state_at("", TORONTO, True, None, now) == BREAK
    assert state_at("", TORONTO, True, utc(2026, 11, 28), now) == BREAK
    assert state_at("", TORONTO, True, utc(2026, 11, 27, 14), now) == AVAILABLE
    assert available_from("", TORONTO, True, None, now) == (BREAK, None)
    # A break ending at night: next available when the hours start after it.
    until = utc(2026, 11, 30, 5)  # Monday 0:00 EST
    assert available_from(NINE_TO_FIVE, TORONTO, True, until, now) == (
        BREAK,
        utc(2026, 11, 30, 14),
    )
