"""Per-member limits (moving windows of `limits`): local and shared through Redis
behave the same, and a Redis outage falls back to counting in the process."""

from __future__ import annotations

import logging

import pytest
from limits import parse

from network import ratelimit
from network.ratelimit import Limits


@pytest.fixture(params=["memory", "redis"])
def limits(request):
    if request.param == "redis":
        return Limits(request.getfixturevalue("redis_url"))
    return Limits("memory://")


def test_limit_allows_a_burst_then_frees_slots_as_the_window_moves(
    limits, frozen_clock
):
    limit = parse("3 per 2 seconds")
    assert [limits.hit(limit, "test-burst", "member-1") for _ in range(4)] == [
        True,
        True,
        True,
        False,
    ]
    assert limits.hit(limit, "test-burst", "member-2")  # another member's own limit
    frozen_clock.now += 1
    assert not limits.hit(limit, "test-burst", "member-1")  # the burst is still in
    assert limits.hit(limit, "test-burst", "member-3")
    frozen_clock.now += 1.5  # the burst left the window: three slots again
    assert [limits.hit(limit, "test-burst", "member-1") for _ in range(4)] == [
        True,
        True,
        True,
        False,
    ]


def test_redis_limit_is_shared_between_processes(redis_url, frozen_clock):
    first, second = Limits(redis_url), Limits(redis_url)
    limit = parse("2 per 100 seconds")
    assert first.hit(limit, "test-shared", "member-9")
    assert second.hit(limit, "test-shared", "member-9")
    assert not first.hit(limit, "test-shared", "member-9")
    assert not second.hit(limit, "test-shared", "member-9")


def test_redis_away_counts_in_the_process_meanwhile(caplog):
    away = Limits("redis://127.0.0.1:9/0")  # nothing listens on the discard port
    limit = parse("2 per 100 seconds")
    with caplog.at_level(logging.WARNING):
        answers = [away.hit(limit, "test-away", "member-1") for _ in range(3)]
    assert answers == [True, True, False]
    assert "rate-limit storage unavailable: counting in this process" in caplog.text


def test_member_limit_gives_the_burst_again_after_a_second_within_the_bucket(
    app, frozen_clock
):
    # typing: a burst of 3, half an event a second: "3 per second; 8 per 10
    # seconds; 33 per minute".
    def sends(n: int) -> list[bool]:
        return [ratelimit.allow("typing", 7) for _ in range(n)]

    assert sends(4) == [True, True, True, False]
    assert ratelimit.allow("typing", 8)  # another member's own limit
    frozen_clock.now += 1.5
    assert sends(4) == [True, True, True, False]
    frozen_clock.now += 1.5
    assert sends(3) == [True, True, False]  # 8 within 10 seconds, as the bucket
    frozen_clock.now += 7.5
    assert sends(4) == [True, True, True, False]
