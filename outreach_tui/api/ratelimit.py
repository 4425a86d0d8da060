"""Pacing requests: at the server's pace, evenly spaced, the user's requests first.

Brakes applied before a request leaves, in one admission queue:
- the pace (`api.pace.AdaptiveRate`): the rate the server announces in `X-RateLimit-*`,
  else one learned from its 429s; requests are spaced evenly at it, never sent in bursts;
- the ceiling: `requests_per_minute`, a rate the user may set (none by default);
- the server's word: `X-RateLimit-Remaining` / `X-RateLimit-Reset` (Reset as delta seconds,
  or an epoch timestamp when it is > 10**9), counted down locally between answers so a
  burst of concurrent requests cannot overshoot;
- a pause after a 429 for every request, not just the one refused, for `Retry-After`
  (delta seconds or an HTTP date), so one 429 never becomes a storm.

Requests sent inside `background_requests()` (the sync's pages) wait behind every other
waiting request: an action of the user goes before the next page of a background pull.
"""

from __future__ import annotations

import asyncio
import contextvars
import heapq
import itertools
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from outreach_tui.api.pace import DEFAULT_START_RATE, AdaptiveRate, LearnedPace

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
    `budget_per_minute` is the user's ceiling (None when there is none);
    `requests_per_second` the pace in force (announced or learned; None: unpaced).
    """

    limit: int | None
    remaining: int | None
    reset_at: datetime | None
    paused_until: datetime | None
    budget_per_minute: int | None
    requests_per_second: float | None = None


@dataclass(frozen=True, slots=True)
class PacingCounts:
    """Requests sent and 429s received since the pacer was made (for the sync report)."""

    requests: int
    rate_limited: int


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


_BACKGROUND: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "reachkit_background_requests", default=False
)
_FOREGROUND, _BACKGROUND_PRIORITY = 0, 1


@contextmanager
def background_requests() -> Iterator[None]:
    """Requests made inside (and by tasks started inside) wait behind all others."""
    token = _BACKGROUND.set(True)
    try:
        yield
    finally:
        _BACKGROUND.reset(token)


@dataclass(order=True)
class Ticket:
    """One request's place in the admission queue, and when it was let through."""

    priority: int
    number: int
    admitted_at: float = field(default=0.0, compare=False)
    held_back: bool = field(default=False, compare=False)


class RequestPacer:
    """Admits requests one at a time against the pace, the ceiling, the server's headers
    and 429s; foreground requests before background ones.

    `clock` and `sleep` are injectable so tests can run without waiting; `max_pause` caps
    any single wait a hostile or confused server can impose. `start_rate` is the first
    guess for a server that announces nothing (None: unpaced until it refuses something).
    """

    def __init__(
        self,
        *,
        requests_per_minute: int | None = None,
        start_rate: float | None = DEFAULT_START_RATE,
        max_concurrency: int = 4,
        max_pause: float = 120.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if requests_per_minute is not None and requests_per_minute < 1:
            raise ValueError("requests_per_minute must be at least 1 (or None for no ceiling)")
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be at least 1")
        if start_rate is not None and not start_rate > 0:
            raise ValueError("start_rate must be positive (or None: unpaced until refused)")
        self._ceiling = requests_per_minute
        self._pace = AdaptiveRate(start_rate)
        self._max_pause = max_pause
        self._clock = clock
        self._sleep = sleep
        self._max_concurrency = max_concurrency
        self._queue: list[Ticket] = []
        self._numbers = itertools.count()
        self._head_changed = asyncio.Event()
        self._last_admitted: float | None = None
        self._in_flight = 0
        self._limit: int | None = None
        self._remaining: int | None = None
        self._reset_at: float | None = None
        # When a window began with one of our requests, the end of that window is known
        # more precisely than a rounded-up Reset says: `now + Reset` of its first answer.
        self._window_ends_by: float | None = None
        self._paused_until = 0.0
        self._requests = 0
        self._rate_limited = 0

    # --- the pace, as the sync engine remembers it ---------------------------------------

    def learned(self) -> LearnedPace | None:
        """The pace worth starting the next run from (None: the server never limited us)."""
        return self._pace.learned()

    def resume(self, pace: LearnedPace | None) -> None:
        """Start from a pace an earlier run learned."""
        if pace is not None:
            self._pace.resume(pace)

    def counts(self) -> PacingCounts:
        """Requests sent and 429s received so far."""
        return PacingCounts(self._requests, self._rate_limited)

    @property
    def requests_per_second(self) -> float | None:
        """The rate requests are spaced at (the ceiling included; None: unpaced)."""
        rate = self._pace.requests_per_second
        if self._ceiling is not None:
            ceiling = self._ceiling / 60.0
            rate = ceiling if rate is None else min(rate, ceiling)
        return rate

    # --- admission -----------------------------------------------------------------------

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[Ticket]:
        """Wait until a request may be sent, and count it in flight while it runs.

        The ticket says when the request was let through; hand it back to `observe`.
        """
        priority = _BACKGROUND_PRIORITY if _BACKGROUND.get() else _FOREGROUND
        ticket = Ticket(priority, next(self._numbers))
        await self._admit(ticket)
        try:
            yield ticket
        finally:
            self._in_flight -= 1
            self._wake_waiters()  # a slot is free

    async def _admit(self, ticket: Ticket) -> None:
        heapq.heappush(self._queue, ticket)
        self._wake_waiters()
        try:
            while True:
                # Only the first in line may go, and only into a free slot: a request
                # admitted is sent at once, so a pause the server asks for stops everyone.
                if self._queue[0] is not ticket or self._in_flight >= self._max_concurrency:
                    await self._head_changed.wait()
                    continue
                wait = self._wait_needed()
                if wait <= 0:
                    break
                ticket.held_back = True
                await self._sleep(min(wait, self._max_pause))
        finally:
            self._queue.remove(ticket)
            heapq.heapify(self._queue)
            self._wake_waiters()
        now = self._clock()
        self._in_flight += 1
        ticket.admitted_at = now
        self._last_admitted = now
        self._requests += 1
        self._pace.admitted(now)
        if self._remaining is not None:
            self._remaining -= 1

    def _wake_waiters(self) -> None:
        """Let every waiting request look again at whose turn it is."""
        self._head_changed.set()
        self._head_changed = asyncio.Event()

    def _wait_needed(self) -> float:
        now = self._clock()
        if self._paused_until > now:
            return self._paused_until - now
        waits = [0.0]
        interval = self._pace.interval()
        if self._ceiling is not None:
            interval = max(interval, 60.0 / self._ceiling)
        if self._last_admitted is not None and interval > 0:
            waits.append(self._last_admitted + interval - now)
        if self._remaining is not None and self._remaining <= 0:
            if self._reset_at is None:
                # Nothing left and no word on when: pause briefly, then probe once.
                self._remaining = None
                self._paused_until = now + _UNKNOWN_RESET_PAUSE
                return _UNKNOWN_RESET_PAUSE
            if self._reset_at > now:
                waits.append(self._reset_at - now)
            else:
                self._remaining = None  # the window has turned over; the next answer says more
                self._reset_at = None
        return max(waits)

    # --- answers -------------------------------------------------------------------------

    def observe(
        self, status_code: int, headers: Mapping[str, str], ticket: Ticket | None = None
    ) -> float | None:
        """Learn from an answer's headers; for a 429, pause everyone and return Retry-After.

        `ticket` is the one `slot` gave for the request (None: an answer out of the blue).
        """
        now = self._clock()
        limit = _parse_int(headers.get("x-ratelimit-limit"))
        remaining = _parse_int(headers.get("x-ratelimit-remaining"))
        reset = parse_reset(headers.get("x-ratelimit-reset"))
        if limit is not None:
            self._limit = limit
            self._pace.announce(limit, reset)
        else:
            self._pace.unannounced()
        if remaining is not None:
            # Requests still in flight were admitted after this one was counted.
            others = max(0, self._in_flight - 1)
            self._remaining = max(0, remaining - others)
        if reset is not None:
            reset = min(reset, self._max_pause)
            if limit is not None and remaining == limit - 1:
                self._window_ends_by = now + reset  # our request opened this window
            ends = now + reset
            if self._window_ends_by is not None and now < self._window_ends_by < ends:
                ends = self._window_ends_by
            self._reset_at = ends + _RESET_MARGIN
        if status_code != 429:
            self._pace.succeeded(held_back=ticket is not None and ticket.held_back)
            return None
        self._rate_limited += 1
        self._window_ends_by = None
        admitted_at = ticket.admitted_at if ticket is not None else now
        self._pace.refused(now, admitted_at=admitted_at)
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
        """The pace and the server's budget as the status bar shows them."""
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
            budget_per_minute=self._ceiling,
            requests_per_second=self.requests_per_second,
        )
