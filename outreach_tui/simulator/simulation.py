"""The Simulator: workspaces by API key, the request log, rate limit and fault settings."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

from outreach_tui.simulator import clock
from outreach_tui.simulator.faults import FaultInjector, parse_faults
from outreach_tui.simulator.live import LiveTicker
from outreach_tui.simulator.ratelimit import FixedWindowLimiter, parse_rate_limit
from outreach_tui.simulator.seeding.build import build_workspace
from outreach_tui.simulator.workspace import Workspace

# the log keeps at most this many records; past it the oldest half is dropped
REQUEST_LOG_LIMIT = 200_000


@dataclass(frozen=True)
class RequestRecord:
    """One handled request. `query` never holds the API key; `fault` names an injected fault."""

    method: str
    path: str
    query: str
    status: int
    fault: str | None = None


def generate_api_key() -> str:
    """A random key for a simulator started without --api-key."""
    return f"rk_sim_{secrets.token_urlsafe(18)}"


class Simulator:
    """Everything the ASGI app serves; settings can change at any time (thread-safe)."""

    def __init__(
        self,
        api_keys: Sequence[str],
        size: int,
        seed: int,
        *,
        rate_limit: str | None = None,
        faults: str | None = None,
        live_interval: float = 0.0,
        honour_idempotency: bool = False,
    ) -> None:
        if not api_keys:
            raise ValueError("the simulator needs at least one API key")
        if size < 0:
            raise ValueError("size must be >= 0")
        self.size = size
        self.seed = seed
        self.api_keys = list(dict.fromkeys(api_keys))
        self.honour_idempotency = honour_idempotency
        self.lock = threading.RLock()
        self.requests: list[RequestRecord] = []
        # set by server.py: a dropped connection then breaks the socket instead of raising
        self.served_over_socket = False
        # the clock of the rate limiter; tests may replace it
        self.monotonic = time.monotonic
        self.limiter: FixedWindowLimiter | None = None
        self.faults: FaultInjector | None = None
        self.idempotent_answers: dict[tuple[str, str], tuple[str, str, int, list, bytes]] = {}
        anchor = clock.now() // 60 * 60
        self._workspaces = {
            key: build_workspace(seed, index, size, anchor)
            for index, key in enumerate(self.api_keys)
        }
        self.set_rate_limit(rate_limit)
        self.set_faults(faults)
        self.live: LiveTicker | None = None
        if live_interval > 0:
            self.live = LiveTicker(
                live_interval, self.lock, lambda: list(self._workspaces.values())
            )
            self.live.start()

    def workspace(self, api_key: str) -> Workspace:
        """The workspace behind a key (KeyError for an unknown key)."""
        return self._workspaces[api_key]

    def workspace_for(self, api_key: str | None) -> Workspace | None:
        """The workspace behind a key, or None."""
        return None if api_key is None else self._workspaces.get(api_key)

    def set_rate_limit(self, spec: str | None) -> None:
        """ "N/min" or "N/s", or None for no limit; raises ValueError on a bad spec."""
        with self.lock:
            if not spec:
                self.limiter = None
                return
            self.limiter = FixedWindowLimiter(parse_rate_limit(spec), lambda: self.monotonic())

    def set_faults(self, spec: str | None) -> None:
        """A fault spec or None; reseeds the fault RNG; raises ValueError on a bad spec."""
        with self.lock:
            parsed = parse_faults(spec) if spec else None
            self.faults = FaultInjector(parsed, self.seed) if parsed else None

    def record(self, entry: RequestRecord) -> None:
        """Append to the request log (bounded)."""
        with self.lock:
            self.requests.append(entry)
            if len(self.requests) > REQUEST_LOG_LIMIT:
                del self.requests[: REQUEST_LOG_LIMIT // 2]

    def close(self) -> None:
        """Stop live mode, if running."""
        if self.live is not None:
            self.live.stop()
