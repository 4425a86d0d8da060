"""The request rate the pacer aims at: announced by the server, or learned from its 429s.

Two sources, the server's word first:
- announced: answers carry `X-RateLimit-Limit` (and `-Reset`): the rate is Limit per
  window, the window being the longest Reset seen (servers round Reset up, and the first
  answer of a window reports nearly the whole window);
- learned: answers carry nothing. The rate starts at `start` (generous) and grows by 20 %
  per answer while nothing was refused ("slow start"). A 429 for a request sent at the
  current rate halves the rate actually sent over the last second (multiplicative
  decrease) and remembers that refused rate; the rate then climbs back quickly to 90 % of
  that and probes above it slowly (additive increase), so a server with a fixed limit
  refuses a handful of requests per sync, not one per window.

Growth only happens while the rate is what holds requests back (an idle client does not
"learn" a rate it never tried). Everything here is arithmetic on a clock the caller gives.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

# A generous first guess for a server that announces nothing: 20 requests/s, growing 20 %
# per answer, so the guess costs about 0.3 s in all before it stops holding back
# (measured: 10/s and 10 % cost ~0.9 s of a 5 s first sync against an unlimited server).
DEFAULT_START_RATE = 20.0
SLOW_START_GROWTH = 1.20
DECREASE = 0.5
# After a cut: back to RECOVERY x the refused rate at +RECOVERY_SLOPE requests/s per second,
# then probing above it at +PROBE_SLOPE requests/s per second.
RECOVERY = 0.9
RECOVERY_SLOPE = 1.0
PROBE_SLOPE = 0.02
MIN_RATE = 0.2
MAX_RATE = 10_000.0
# Announced limits are met with this much room (clocks and latencies differ a little).
ANNOUNCED_MARGIN = 0.97


@dataclass(frozen=True, slots=True)
class LearnedPace:
    """A pace worth remembering for the next run: requests per second, and whether the
    server announced it (else it was learned from 429s)."""

    requests_per_second: float
    announced: bool


class AdaptiveRate:
    """The rate requests are spaced at (None: not limited yet)."""

    def __init__(self, start: float | None = DEFAULT_START_RATE) -> None:
        self._rate = start
        self._slow_start = True
        self._refused_at: float | None = None  # the rate a 429 last refused
        self._announced: float | None = None
        self._heard = False  # the announced rate came from this server's answers
        self._window = 0.0  # longest X-RateLimit-Reset seen
        self._cut_at = float("-inf")  # when the rate was last cut
        self._recent: deque[float] = deque()  # admission times in the last second

    # --- what the pacer asks -------------------------------------------------------------

    @property
    def requests_per_second(self) -> float | None:
        """The rate in force: the announced one, else the learned one (None: unpaced)."""
        if self._announced is not None:
            return self._announced
        return self._rate

    @property
    def announced(self) -> bool:
        """True once the server has said its limit."""
        return self._announced is not None

    def interval(self) -> float:
        """Seconds to leave between two requests (0: no spacing)."""
        rate = self.requests_per_second
        if rate is None:
            return 0.0
        if self._announced is not None:
            return 1.0 / (rate * ANNOUNCED_MARGIN)
        return 1.0 / rate

    def learned(self) -> LearnedPace | None:
        """What the next run should start from; None while the server never pushed back."""
        if self._announced is not None:
            return LearnedPace(self._announced, announced=True)
        if self._refused_at is None or self._rate is None:
            return None
        return LearnedPace(round(min(self._rate, RECOVERY * self._refused_at), 3), announced=False)

    def resume(self, pace: LearnedPace) -> None:
        """Start from a pace a previous run learned (and probe above it slowly)."""
        rate = min(MAX_RATE, max(MIN_RATE, pace.requests_per_second))
        if pace.announced:
            self._announced = rate  # until the answers say otherwise (`unannounced`)
            return
        self._rate = rate
        self._slow_start = False
        self._refused_at = rate / RECOVERY

    # --- what the answers say ------------------------------------------------------------

    def admitted(self, now: float) -> None:
        """A request was let through at `now`."""
        self._recent.append(now)
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()

    def announce(self, limit: int, reset: float | None) -> None:
        """The server's `X-RateLimit-Limit` (and `-Reset`, seconds) of an answer."""
        if limit < 1:
            return
        if reset is not None and reset > self._window:
            self._window = reset
        window = self._window or 60.0
        self._announced = min(MAX_RATE, max(MIN_RATE / 10, limit / window))
        self._heard = True

    def unannounced(self) -> None:
        """An answer without `X-RateLimit-Limit`. A rate remembered as announced but not
        heard from the server in this run becomes a learned one: the server stopped
        announcing, and its 429s are now what teaches."""
        if self._announced is not None and not self._heard:
            self.resume(LearnedPace(self._announced, announced=False))
            self._announced = None

    def succeeded(self, *, held_back: bool) -> None:
        """An answer other than 429; `held_back`: its request waited for the rate."""
        if self._announced is not None or self._rate is None or not held_back:
            return
        rate = self._rate
        if self._slow_start:
            rate *= SLOW_START_GROWTH
        else:
            target = RECOVERY * self._refused_at if self._refused_at else None
            slope = RECOVERY_SLOPE if target is not None and rate < target else PROBE_SLOPE
            rate += slope / rate  # `rate` answers a second: +slope requests/s per second
            if target is not None and rate - slope / rate < target < rate:
                rate = target  # recovery stops at the target, probing goes on from there
        self._rate = min(MAX_RATE, rate)

    def refused(self, now: float, *, admitted_at: float) -> bool:
        """A 429 for a request admitted at `admitted_at`; True when it cut the rate.

        Requests sent before the last cut were sent at the old rate: their 429s say
        nothing new, and one burst of them cuts the rate once.
        """
        if self._announced is not None or admitted_at < self._cut_at:
            return False
        sent = float(len(self._recent))  # requests admitted in the last second
        current = self._rate if self._rate is not None else sent
        if self._rate is not None and sent:
            current = min(current, max(sent, MIN_RATE))
        self._refused_at = max(current, MIN_RATE)
        self._rate = max(MIN_RATE, current * DECREASE)
        self._slow_start = False
        self._cut_at = now
        return True
