"""Fixed-window rate limiting per API key.

Spec: "N/min" (60-second window) or "N/s" (1-second window, so tests can exercise pacing
quickly); "minute"/"m" and "sec"/"second" are accepted too. A trailing " silent" (or
",silent") keeps the limit to itself: no `X-RateLimit-*` headers, a refusal is only a 429
with `Retry-After` (how many real servers behave).

Choices where the reference is silent (it documents no rate limit at all):
- A window opens with the first request after the previous one ended and lasts its full
  length; each API key has its own window.
- `X-RateLimit-Reset` and `Retry-After` are delta seconds until the window ends, rounded
  up, at least 1.
- A request answered 429 does not consume budget.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

MAX_RATE = 1_000_000
_SPEC = re.compile(
    r"\s*(\d+)\s*/\s*(s|sec|second|m|min|minute)\s*(?:[,\s]\s*(silent))?\s*", re.IGNORECASE
)


@dataclass(frozen=True)
class RateLimit:
    """A parsed limit: `limit` requests per `window` seconds; `announced`: whether answers
    carry `X-RateLimit-*` headers."""

    limit: int
    window: float
    announced: bool = True


def parse_rate_limit(spec: str) -> RateLimit:
    """Parse "N/min" or "N/s" (optionally followed by "silent"); raises ValueError with a
    one-line message."""
    match = _SPEC.fullmatch(spec)
    if match is None or not 1 <= int(match.group(1)) <= MAX_RATE:
        raise ValueError(
            f"invalid rate limit {spec!r}: expected N/min or N/s with N from 1 to {MAX_RATE:,},"
            " optionally followed by 'silent'"
        )
    window = 1.0 if match.group(2).lower().startswith("s") else 60.0
    return RateLimit(int(match.group(1)), window, announced=match.group(3) is None)


@dataclass(frozen=True)
class RateDecision:
    """The outcome for one request and the headers that describe the window."""

    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int
    announced: bool = True

    def headers(self) -> dict[str, str]:
        """`X-RateLimit-*` headers (when the limit is announced), plus `Retry-After` when
        refused."""
        if not self.announced:
            return {} if self.allowed else {"Retry-After": str(self.reset_seconds)}
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset_seconds),
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.reset_seconds)
        return headers


class FixedWindowLimiter:
    """Counts requests per key in fixed windows."""

    def __init__(self, rate: RateLimit, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.clock = clock
        self._windows: dict[str, tuple[float, int]] = {}

    def check(self, key: str) -> RateDecision:
        """Count one request for `key` unless the window is exhausted."""
        now = self.clock()
        start, used = self._windows.get(key, (now, 0))
        if now >= start + self.rate.window:
            start, used = now, 0
        reset = max(1, math.ceil(start + self.rate.window - now))
        if used >= self.rate.limit:
            self._windows[key] = (start, used)
            return RateDecision(False, self.rate.limit, 0, reset, self.rate.announced)
        used += 1
        self._windows[key] = (start, used)
        return RateDecision(
            True, self.rate.limit, self.rate.limit - used, reset, self.rate.announced
        )
