"""Token buckets: local and shared through Redis behave the same."""

from __future__ import annotations

import pytest

from network.ratelimit import Bucket, TokenBuckets


@pytest.fixture(params=["memory", "redis"])
def buckets(request):
    if request.param == "redis":
        return TokenBuckets(request.getfixturevalue("redis_url"))
    return TokenBuckets("memory://")


def test_bucket_allows_a_burst_then_refills(buckets, frozen_clock):
    bucket = Bucket("test-burst", capacity=3, rate=2)
    assert [buckets.take(bucket, "member-1") for _ in range(4)] == [True] * 3 + [False]
    assert buckets.take(bucket, "member-2")  # another member has their own bucket
    frozen_clock.now += 0.4  # 0.8 of a token: still empty
    assert not buckets.take(bucket, "member-1")
    frozen_clock.now += 0.6  # 0.8 + 1.2: two tokens
    assert [buckets.take(bucket, "member-1") for _ in range(3)] == [True, True, False]


def test_redis_bucket_is_shared_between_processes(redis_url, frozen_clock):
    first, second = TokenBuckets(redis_url), TokenBuckets(redis_url)
    bucket = Bucket("test-shared", capacity=2, rate=0.01)
    assert first.take(bucket, "member-9") and second.take(bucket, "member-9")
    assert not first.take(bucket, "member-9")
    assert not second.take(bucket, "member-9")
