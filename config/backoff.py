"""The one backoff rule of every retry (queued audience emails, digest batches): doubling per attempt, capped."""

from __future__ import annotations

# 2 ** 60 times any base is past any cap: a larger exponent would only overflow the float.
_MAX_DOUBLINGS = 60


def backoff_seconds(attempts: int, *, base: float, cap: float) -> float:
    """Seconds to wait after the `attempts`-th failed try: `base` after the first, doubling each time, at most `cap`."""
    return min(base * 2 ** min(max(0, attempts - 1), _MAX_DOUBLINGS), cap)
