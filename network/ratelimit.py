"""Token buckets for socket events, in memory or shared through Redis.

A bucket holds up to `capacity` tokens and gains `rate` tokens a second; every
event takes one. With RATELIMIT_STORAGE_URI=redis://..., every server process
draws from the same bucket (an atomic Lua script); otherwise a process-local dict.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from flask import current_app
from redis.exceptions import RedisError

from network.queue import bounded_redis

log = logging.getLogger(__name__)

_LUA = """
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(capacity / rate) + 1)
return allowed
"""


@dataclass(frozen=True)
class Bucket:
    """A named limit: `capacity` events at once, refilled at `rate` per second."""

    name: str
    capacity: float
    rate: float


class TokenBuckets:
    """Takes tokens from per-key buckets, locally or in Redis."""

    def __init__(self, storage_uri: str) -> None:
        self._local: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()
        self._redis = None
        self._script = None
        if storage_uri.startswith(("redis://", "rediss://")):
            self._redis = bounded_redis(storage_uri)
            self._script = self._redis.register_script(_LUA)

    def take(self, bucket: Bucket, key: str) -> bool:
        """Take one token; False (and nothing taken) when the bucket is empty."""
        full_key = f"pn:bucket:{bucket.name}:{key}"
        now = time.time()
        if self._script is not None:
            try:
                return bool(
                    self._script(
                        keys=[full_key], args=[bucket.capacity, bucket.rate, now]
                    )
                )
            except RedisError:  # Redis away: this process's own bucket meanwhile
                _redis_away()
        with self._lock:
            tokens, at = self._local.get(full_key, (bucket.capacity, now))
            tokens = min(bucket.capacity, tokens + max(0.0, now - at) * bucket.rate)
            allowed = tokens >= 1
            self._local[full_key] = (tokens - 1 if allowed else tokens, now)
            return allowed


def _redis_away() -> None:
    log.warning("rate-limit storage unavailable: counting in this process")


def buckets() -> TokenBuckets:
    """The app's token buckets (created on first use)."""
    key = "network.buckets"
    if key not in current_app.extensions:
        current_app.extensions[key] = TokenBuckets(
            current_app.config["RATELIMIT_STORAGE_URI"]
        )
    return current_app.extensions[key]


def allow(bucket_name: str, account_id: int) -> bool:
    """Take a token for one member from a configured bucket (SOCKET_LIMITS)."""
    if not current_app.config["SOCKET_RATELIMIT_ENABLED"]:
        return True
    capacity, rate = current_app.config["SOCKET_LIMITS"][bucket_name]
    return buckets().take(Bucket(bucket_name, capacity, rate), str(account_id))


_DELAY_LUA = """
local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local free = tonumber(ARGV[1])
local base = tonumber(ARGV[2])
local cap = tonumber(ARGV[3])
local now = tonumber(ARGV[4])
if failures >= free then
  local wait = math.min(cap, base * 2 ^ (failures - free))
  redis.call('HSET', KEYS[1], 'until', tostring(now + wait))
end
redis.call('EXPIRE', KEYS[1], 86400)
return failures
"""


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


class LoginDelays:
    """Progressive per-account sign-in delays, in memory or shared through Redis.

    A failure past `free` opens a window that doubles per failure up to `cap`;
    an attempt inside the window is refused unchecked. Quiet for a day, or a
    successful sign-in, and the account starts over.
    """

    def __init__(self, storage_uri: str) -> None:
        self._local: dict[str, tuple[int, float, float]] = {}
        self._lock = threading.Lock()
        self._redis = None
        if storage_uri.startswith(("redis://", "rediss://")):
            self._redis = bounded_redis(storage_uri)
            self._script = self._redis.register_script(_DELAY_LUA)

    def wait_left(self, key: str) -> float:
        """Seconds before this account may be tried again from an unknown browser."""
        now = time.time()
        if self._redis is not None:
            try:
                until = self._redis.hget(f"pn:delay:{key}", "until")
                return max(0.0, float(until) - now) if until else 0.0
            except RedisError:  # Redis away: this process's own record meanwhile
                _redis_away()
        with self._lock:
            _, until, _ = self._local.get(key, (0, 0.0, now))
            return max(0.0, until - now)

    def failed(self, key: str, delay: Delay) -> None:
        """Count a failure; past the free ones, open (or double) the window."""
        now = time.time()
        if self._redis is not None:
            try:
                self._script(
                    keys=[f"pn:delay:{key}"],
                    args=[delay.free, delay.base, delay.cap, now],
                )
                return
            except RedisError:
                _redis_away()
        with self._lock:
            failures, until, seen = self._local.get(key, (0, 0.0, now))
            if now - seen > 86400:
                failures, until = 0, 0.0
            failures += 1
            wait = delay.window(failures)
            self._local[key] = (failures, now + wait if wait else until, now)
            if len(self._local) > 50_000:  # forget names not tried for a day
                self._local = {
                    k: v for k, v in self._local.items() if now - v[2] <= 86400
                }

    def clear(self, key: str) -> None:
        """Forget an account's failures (after a successful sign-in)."""
        if self._redis is not None:
            try:
                self._redis.delete(f"pn:delay:{key}")
                return
            except RedisError:
                _redis_away()
        with self._lock:
            self._local.pop(key, None)


def login_delays() -> LoginDelays:
    """The app's per-account sign-in delays (created on first use)."""
    key = "network.login_delays"
    if key not in current_app.extensions:
        current_app.extensions[key] = LoginDelays(
            current_app.config["RATELIMIT_STORAGE_URI"]
        )
    return current_app.extensions[key]


def login_delay() -> Delay:
    """The configured delay (LOGIN_DELAY_FREE, _BASE, _CAP)."""
    config = current_app.config
    return Delay(
        config["LOGIN_DELAY_FREE"],
        config["LOGIN_DELAY_BASE"],
        config["LOGIN_DELAY_CAP"],
    )
