import redis
from django.conf import settings

from worker import ratelimit


def test_it_spaces_sends_at_the_configured_rate_across_callers():
    waits = [ratelimit.reserve(provider="test-a", count=10, rate_per_second=10) for _ in range(3)]

    # 10 messages at 10/s take one second each; the first second is the allowed burst.
    assert waits[0] == 0
    assert 0 <= waits[1] <= 0.1
    assert 0.9 <= waits[2] <= 1.1


def test_it_keeps_one_bucket_per_provider_and_none_for_an_unlimited_rate():
    ratelimit.reserve(provider="test-b", count=100, rate_per_second=10)

    assert ratelimit.reserve(provider="test-c", count=5, rate_per_second=10) == 0
    assert ratelimit.reserve(provider="test-b", count=5, rate_per_second=0) == 0
    assert ratelimit.reserve(provider="test-b", count=5, rate_per_second=10) > 8


def test_it_starts_full_again_when_redis_loses_the_key():
    ratelimit.reserve(provider="test-d", count=100, rate_per_second=10)
    redis.Redis.from_url(settings.REDIS_URL).flushdb()

    assert ratelimit.reserve(provider="test-d", count=5, rate_per_second=10) == 0


def test_it_reserves_nothing_when_the_wait_would_be_too_long():
    ratelimit.reserve(provider="test-e", count=100, rate_per_second=10)  # the next 10 seconds are taken

    first = ratelimit.reserve(provider="test-e", count=10, rate_per_second=10, max_wait=5)
    second = ratelimit.reserve(provider="test-e", count=10, rate_per_second=10, max_wait=5)

    assert 8.5 < first < 9.5 and abs(second - first) < 0.5  # the refused caller did not push the queue back
