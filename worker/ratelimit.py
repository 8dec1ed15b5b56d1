"""A global send rate per provider, shared by every worker through Redis.

GCRA (a token bucket kept as one timestamp): each caller reserves n messages by moving the key's
"theoretical arrival time" forward by n / rate, atomically in a Lua script, and learns how long to
wait before sending. Redis' own clock is used, so workers on hosts with skewed clocks agree. If the
key is lost (Redis flushed or restarted) the bucket simply starts full again.
"""

from __future__ import annotations

from django.conf import settings

from config.redis_client import shared_script

_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local interval = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - now - burst
if wait < 0 then wait = 0 end
if wait > tonumber(ARGV[4]) then return tostring(wait) end
local new_tat = tat + n * interval
redis.call('SET', KEYS[1], tostring(new_tat), 'PX', math.ceil((new_tat - now) * 1000) + 1000)
return tostring(wait)
"""


def reserve(*, provider: str, count: int, rate_per_second: float, burst_seconds: float = 1.0,
            max_wait: float = float("inf")) -> float:
    """Reserve `count` sends at `rate_per_second` for `provider`; returns the seconds to wait before sending.

    When the wait would exceed `max_wait`, nothing is reserved (the caller comes back later rather than
    holding slots it does not use) and the wait is returned all the same. A rate of 0 means unlimited
    (returns 0 without touching Redis). Raises redis.RedisError when Redis cannot be reached: the caller
    treats that like any transient failure.
    """
    if rate_per_second <= 0 or count <= 0:
        return 0.0
    key = f"{settings.CACHES['default'].get('KEY_PREFIX', 'publisher')}:send-rate:{provider}"
    wait = shared_script(_RESERVE)(keys=[key], args=[1.0 / rate_per_second, count, burst_seconds, min(max_wait, 1e12)])
    return float(wait)
