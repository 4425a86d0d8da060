"""Pacing requests: a local budget, a concurrency cap, and the server's own rate headers.

Three brakes, all applied before a request leaves:
- the budget: at most `requests_per_minute` requests in any sliding 60-second window;
- the server's word: `X-RateLimit-Remaining` / `X-RateLimit-Reset` (Reset as delta seconds,
  or an epoch timestamp when it is > 10**9), counted down locally between answers so a
  burst of concurrent requests cannot overshoot;
- a pause after a 429 for every request, not just the one refused, for `Retry-After`
  (delta seconds or an HTTP date), so one 429 never becomes a storm.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

EPOCH_THRESHOLD = 10**9
# When the server says "none left" without a usable reset, wait this long and try again.
_UNKNOWN_RESET_PAUSE = 1.0
# Server reset times are often rounded to whole seconds; wait a hair longer than told.
_RESET_MARGIN = 0.05


@dataclass(frozen=True, slots=True)
class RateLimitStatus:
    """What the status bar shows about the request budget.

    `limit`/`remaining`/`reset_at` are the server's last word (None until it said
    something), `remaining` counted down for requests sent since; `paused_until` is set
    while requests are held back (after a 429 or with nothing remaining);
    `budget_per_minute` is the local budget (None when unlimited).
    """

    limit: int | None
    remaining: int | None
    reset_at: datetime | None
    paused_until: datetime | None
    budget_per_minute: int | None


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After value (delta seconds or an HTTP date), or None."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    if seconds != seconds:  # NaN
        return None
    return max(0.0, seconds)


def parse_reset(value: str | None, *, wall_now: float | None = None) -> float | None:
    """Seconds until X-RateLimit-Reset: delta seconds, or an epoch timestamp (> 10**9;
    in milliseconds when > 10**12)."""
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    if number != number:  # NaN
        return None
    if number > EPOCH_THRESHOLD * 1000:
        number /= 1000  # an epoch in milliseconds
    if number > EPOCH_THRESHOLD:
        number -= time.time() if wall_now is None else wall_now
    return max(0.0, number)


def _parse_int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(float(value.strip()))
    except (ValueError, OverflowError):
        return None


class RequestPacer:
    """Admits requests one at a time against the budget, the server's headers and 429s.

    `clock` and `sleep` are injectable so tests can run without waiting; `max_pause` caps
    any single wait a hostile or confused server can impose.
    """

    def __init__(
        self,
        *,
        requests_per_minute: int | None = 60,
        max_concurrency: int = 4,
        max_pause: float = 120.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if requests_per_minute is not None and requests_per_minute < 1:
            raise ValueError("requests_per_minute must be at least 1 (or None for no budget)")
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be at least 1")
        self._budget = requests_per_minute
        self._max_pause = max_pause
        self._clock = clock
        self._sleep = sleep
        self._slots = asyncio.Semaphore(max_concurrency)
        self._admission = asyncio.Lock()
        self._sent: deque[float] = deque()
        self._in_flight = 0
        self._limit: int | None = None
        self._remaining: int | None = None
        self._reset_at: float | None = None
        self._paused_until = 0.0

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Hold a concurrency slot for one request, waiting until it may be sent."""
        async with self._slots:
            await self._admit()
            self._in_flight += 1
            try:
                yield
            finally:
                self._in_flight -= 1

    async def _admit(self) -> None:
        async with self._admission:
            while (wait := self._wait_needed()) > 0:
                await self._sleep(min(wait, self._max_pause))
            now = self._clock()
            if self._budget is not None:
                self._sent.append(now)
            if self._remaining is not None:
                self._remaining -= 1

    def _wait_needed(self) -> float:
        now = self._clock()
        if self._paused_until > now:
            return self._paused_until - now
        if self._budget is not None:
            while self._sent and self._sent[0] + 60.0 <= now:
                self._sent.popleft()
            if len(self._sent) >= self._budget:
                return self._sent[0] + 60.0 - now
        if self._remaining is not None and self._remaining <= 0:
            if self._reset_at is None:
                # Nothing left and no word on when: pause briefly, then probe once.
                self._remaining = None
                self._paused_until = now + _UNKNOWN_RESET_PAUSE
                return _UNKNOWN_RESET_PAUSE
            if self._reset_at > now:
                return self._reset_at - now
            self._remaining = None  # the window has turned over; the next answer says more
            self._reset_at = None
        return 0.0

    def observe(self, status_code: int, headers: Mapping[str, str]) -> float | None:
        """Learn from an answer's headers; for a 429, pause everyone and return Retry-After."""
        now = self._clock()
        limit = _parse_int(headers.get("x-ratelimit-limit"))
        remaining = _parse_int(headers.get("x-ratelimit-remaining"))
        reset = parse_reset(headers.get("x-ratelimit-reset"))
        if limit is not None:
            self._limit = limit
        if remaining is not None:
            # Requests still in flight were admitted after this one was counted.
            others = max(0, self._in_flight - 1)
            self._remaining = max(0, remaining - others)
        if reset is not None:
            self._reset_at = now + min(reset, self._max_pause) + _RESET_MARGIN
        if status_code != 429:
            return None
        retry_after = parse_retry_after(headers.get("retry-after"))
        if retry_after is not None:
            pause = retry_after
        elif reset is not None:
            pause = reset + _RESET_MARGIN
        else:
            pause = _UNKNOWN_RESET_PAUSE
        self._paused_until = max(self._paused_until, now + min(pause, self._max_pause))
        # Retry-After is the authoritative word; without it, the window's reset is.
        self._remaining = None if retry_after is not None else self._remaining
        return retry_after

    def status(self) -> RateLimitStatus:
        """The budget as the status bar shows it."""
        now = self._clock()
        wall = datetime.now(UTC)

        def wall_time(moment: float | None) -> datetime | None:
            if moment is None or moment <= now:
                return None
            return wall + timedelta(seconds=moment - now)

        return RateLimitStatus(
            limit=self._limit,
            remaining=self._remaining,
            reset_at=wall_time(self._reset_at),
            paused_until=wall_time(self._paused_until),
            budget_per_minute=self._budget,
        )
