"""Token buckets for socket events, in memory or shared through Redis.

A bucket holds up to `capacity` tokens and gains `rate` tokens a second; every
event takes one. With RATELIMIT_STORAGE_URI=redis://..., every server process
draws from the same bucket (an atomic Lua script); otherwise a process-local dict.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from flask import current_app

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
            import redis

            self._redis = redis.Redis.from_url(storage_uri)
            self._script = self._redis.register_script(_LUA)

    def take(self, bucket: Bucket, key: str) -> bool:
        """Take one token; False (and nothing taken) when the bucket is empty."""
        full_key = f"pn:bucket:{bucket.name}:{key}"
        now = time.time()
        if self._script is not None:
            return bool(
                self._script(keys=[full_key], args=[bucket.capacity, bucket.rate, now])
            )
        with self._lock:
            tokens, at = self._local.get(full_key, (bucket.capacity, now))
            tokens = min(bucket.capacity, tokens + max(0.0, now - at) * bucket.rate)
            allowed = tokens >= 1
            self._local[full_key] = (tokens - 1 if allowed else tokens, now)
            return allowed


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
