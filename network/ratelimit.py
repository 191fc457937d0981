"""Per-member limits on socket events and per-account sign-in delays, counted by
the `limits` library in the storage Flask-Limiter uses (RATELIMIT_STORAGE_URI).

Every limit is a `limits` rate-limit string (SOCKET_LIMITS, in the syntax of
LOGIN_LIMIT_CLIENT), counted with the moving-window strategy: an event is allowed
while each window ("10 per second") has allowed fewer in its last span of time.
`limits` has no token bucket, so a burst and a rate (MESSAGE_BURST, MESSAGE_RATE)
become windows at three scales (config._burst_limit): the burst within a second,
and what the bucket allowed within 10 seconds and within a minute:
"10 per second; 20 per 10 seconds; 70 per minute". As with the bucket, a member
who sent a burst may send again a second later, and over a minute no more than
the bucket let through; between one and ten seconds a second burst may come
sooner. Moving windows because they are exact (a sliding-window counter only
estimates the previous window) and because `limits` times their entries, in
memory and in Redis alike, with this process's `time.time()`: one clock.

With RATELIMIT_STORAGE_URI=redis://..., every server process counts in the same
Redis (bounded waits, no retries); while Redis is away each process counts in its
own memory meanwhile and logs a warning, as Flask-Limiter does for HTTP limits.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from flask import current_app, request
from limits import (
    RateLimitItem,
    RateLimitItemPerDay,
    RateLimitItemPerSecond,
    parse_many,
)
from limits.errors import StorageError
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter
from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger(__name__)

T = TypeVar("T")
STORAGE_TIMEOUT = 0.5  # seconds: any Redis command answers or fails within it


def client_key() -> str:
    """Rate-limit key for the client: a keyed hash of its address, never the IP."""
    address = request.remote_addr or "unknown"
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()[:32]


class Limits:
    """Moving-window limits in the shared storage, or in memory while it is away."""

    def __init__(self, storage_uri: str) -> None:
        self._local = MovingWindowRateLimiter(MemoryStorage())
        self._shared = None
        if storage_uri.startswith(("redis://", "rediss://")):
            self._shared = MovingWindowRateLimiter(_shared_storage(storage_uri))

    def run(self, work: Callable[[MovingWindowRateLimiter], T]) -> T:
        """Run `work` on the shared limiter; on this process's own meanwhile."""
        if self._shared is not None:
            try:
                return work(self._shared)
            except StorageError:
                log.warning("rate-limit storage unavailable: counting in this process")
        return work(self._local)

    def hit(self, item: RateLimitItem, *identifiers: str) -> bool:
        """Count one event; False (and nothing counted) when the limit is reached."""
        return self.run(lambda limiter: limiter.hit(item, *identifiers))

    def hit_all(self, items: tuple[RateLimitItem, ...], *identifiers: str) -> bool:
        """Count one event in each window, shortest first, as Flask-Limiter does;
        False at the first that is full (the shorter ones keep their count)."""
        return self.run(
            lambda limiter: all(limiter.hit(item, *identifiers) for item in items)
        )


def _shared_storage(storage_uri: str):
    """Redis for `limits`, with every command bounded and never retried (redis-py
    retries thrice by default)."""
    return storage_from_string(
        storage_uri,
        key_prefix="pn",
        wrap_exceptions=True,
        socket_timeout=STORAGE_TIMEOUT,
        socket_connect_timeout=STORAGE_TIMEOUT,
        retry=Retry(NoBackoff(), 0),
    )


def limits() -> Limits:
    """The app's limits (created on first use)."""
    key = "network.limits"
    if key not in current_app.extensions:
        current_app.extensions[key] = Limits(
            current_app.config["RATELIMIT_STORAGE_URI"]
        )
    return current_app.extensions[key]


@functools.lru_cache(maxsize=64)
def _items(limits: str) -> tuple[RateLimitItem, ...]:
    return tuple(sorted(parse_many(limits), key=lambda item: item.get_expiry()))


def allow(kind: str, account_id: int) -> bool:
    """Count one event of this kind for one member (SOCKET_LIMITS[kind])."""
    if not current_app.config["SOCKET_RATELIMIT_ENABLED"]:
        return True
    items = _items(current_app.config["SOCKET_LIMITS"][kind])
    return limits().hit_all(items, "socket", kind, str(account_id))


@dataclass(frozen=True)
class Delay:
    """Failures allowed before waiting, the first window, and the longest one."""

    free: int
    base: float
    cap: float

    def window(self, failures: int) -> float:
        """Seconds to wait after this many failures (0 while still free)."""
        if failures < self.free:
            return 0.0
        return min(self.cap, self.base * 2 ** (failures - self.free))

    def counted(self) -> int:
        """Failures worth counting: the first whose window is the cap (more wait
        no longer)."""
        if self.base <= 0 or self.cap <= self.base:
            return max(1, self.free)
        return max(1, self.free + math.ceil(math.log2(self.cap / self.base)))


class LoginDelays:
    """Progressive per-account sign-in delays, as two moving-window limits.

    The failures of the last day are one limit's entries; a failure past `free`
    restarts a pause (a limit of one per `cap` seconds, whose entry's time is the
    failure's) of `delay.window(failures)` seconds, doubling per failure up to
    `cap`. An attempt inside the pause is refused unchecked. A day without a
    failure, or a successful sign-in, and the account starts over.
    """

    def __init__(self, limits: Limits, delay: Delay) -> None:
        self._limits = limits
        self._delay = delay
        self._failures = RateLimitItemPerDay(delay.counted())
        self._pause = RateLimitItemPerSecond(1, max(1, math.ceil(delay.cap)))

    def wait_left(self, key: str) -> float:
        """Seconds before this account may be tried again from an unknown browser."""

        def left(limiter: MovingWindowRateLimiter) -> float:
            pause = limiter.get_window_stats(self._pause, "login-pause", key)
            if pause.remaining:
                return 0.0
            started = pause.reset_time - self._pause.get_expiry()
            failures = limiter.get_window_stats(self._failures, "login-failures", key)
            wait = self._delay.window(self._failures.amount - failures.remaining)
            return max(0.0, started + wait - time.time())

        return self._limits.run(left)

    def failed(self, key: str, delay: Delay) -> None:
        """Count a failure; past the free ones, open (or double) the window."""

        def count(limiter: MovingWindowRateLimiter) -> None:
            limiter.hit(self._failures, "login-failures", key)
            failures = limiter.get_window_stats(self._failures, "login-failures", key)
            if delay.window(self._failures.amount - failures.remaining):
                limiter.clear(self._pause, "login-pause", key)
                limiter.hit(self._pause, "login-pause", key)

        self._limits.run(count)

    def clear(self, key: str) -> None:
        """Forget an account's failures (after a successful sign-in)."""

        def forget(limiter: MovingWindowRateLimiter) -> None:
            limiter.clear(self._failures, "login-failures", key)
            limiter.clear(self._pause, "login-pause", key)

        self._limits.run(forget)


def login_delays() -> LoginDelays:
    """The app's per-account sign-in delays, with the configured delay."""
    return LoginDelays(limits(), login_delay())


def login_delay() -> Delay:
    """The configured delay (LOGIN_DELAY_FREE, _BASE, _CAP)."""
    config = current_app.config
    return Delay(
        config["LOGIN_DELAY_FREE"],
        config["LOGIN_DELAY_BASE"],
        config["LOGIN_DELAY_CAP"],
    )
