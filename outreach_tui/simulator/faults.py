"""Fault injection: random 5xx answers, latency, dropped connections, truncated JSON.

Spec: comma-separated `key=value` with any subset of `5xx=P`, `drop=P`, `malformed=P`
(probabilities 0..1 whose sum is at most 1) and `latency=D` (`200ms`, `1.5s`; a bare number
is milliseconds).

Choices (the issue leaves these open):
- One RNG seeded from the simulator seed decides, in request order, and every eligible
  request draws exactly two numbers, so a run is reproducible whatever the answers were.
  Setting a new spec reseeds it.
- Eligible: authenticated `/api/v1` requests that passed the rate limit. Nothing else is
  ever faulted.
- `latency` delays every eligible request by exactly D.
- `5xx`: the handler does not run (nothing changes). One in three is a JSON 500, one in
  three a 502 (half of them the HTML page a proxy would send, without rate-limit headers),
  one in three a JSON 503 with `Retry-After: 1`.
- `drop`: the handler runs (the change is applied: the outcome is unknown to the client)
  and the connection breaks. Over a socket the response head is sent and the connection
  closed mid-body; in-process (httpx.ASGITransport) the request raises
  `httpx.RemoteProtocolError`, what httpx raises for a real broken connection.
- `malformed`: the handler runs; a 200 JSON answer is cut in half (status stays 200).
  Other answers are left alone.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

# Longer than any client's timeout is pointless, and a huge sleep overflows the event loop.
MAX_LATENCY_SECONDS = 600.0
_LATENCY = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s)?", re.IGNORECASE)
_PROBABILITY_KEYS = ("5xx", "drop", "malformed")


@dataclass(frozen=True)
class FaultSpec:
    """Parsed fault probabilities and the added latency in seconds."""

    server_error: float = 0.0
    drop: float = 0.0
    malformed: float = 0.0
    latency: float = 0.0


def _bad(spec: str, why: str) -> ValueError:
    return ValueError(
        f"invalid faults spec {spec!r}: {why}"
        " (expected e.g. 5xx=0.1,latency=200ms,drop=0.05,malformed=0.01)"
    )


def parse_faults(spec: str) -> FaultSpec:
    """Parse a fault spec; raises ValueError with a one-line message."""
    values: dict[str, float] = {}
    for item in spec.split(","):
        if not item.strip():
            continue
        key, sep, raw = (part.strip() for part in item.partition("="))
        key = key.lower()
        if not sep or key not in (*_PROBABILITY_KEYS, "latency"):
            raise _bad(spec, f"unknown item {item.strip()!r}")
        if key in values:
            raise _bad(spec, f"{key} given twice")
        if key == "latency":
            match = _LATENCY.fullmatch(raw)
            if match is None:
                raise _bad(spec, "latency must look like 200ms or 1.5s")
            scale = 1.0 if (match.group(2) or "ms").lower() == "s" else 0.001
            values[key] = float(match.group(1)) * scale
            if values[key] > MAX_LATENCY_SECONDS:
                raise _bad(spec, f"latency must be at most {MAX_LATENCY_SECONDS:.0f}s")
            continue
        try:
            probability = float(raw)
        except ValueError:
            raise _bad(spec, f"{key} must be a probability between 0 and 1") from None
        if not 0.0 <= probability <= 1.0:
            raise _bad(spec, f"{key} must be a probability between 0 and 1")
        values[key] = probability
    if sum(values.get(key, 0.0) for key in _PROBABILITY_KEYS) > 1.0 + 1e-9:
        raise _bad(spec, "the probabilities add up to more than 1")
    return FaultSpec(
        server_error=values.get("5xx", 0.0),
        drop=values.get("drop", 0.0),
        malformed=values.get("malformed", 0.0),
        latency=values.get("latency", 0.0),
    )


@dataclass(frozen=True)
class FaultDecision:
    """What happens to one request: kind is None, "5xx", "drop" or "malformed"."""

    kind: str | None
    status: int = 0
    html: bool = False
    latency: float = 0.0


class FaultInjector:
    """Draws the fault of each eligible request from one seeded RNG."""

    def __init__(self, spec: FaultSpec, seed: int) -> None:
        self.spec = spec
        self._rng = random.Random(f"reachkit-faults:{seed}")

    def decide(self) -> FaultDecision:
        """The fault of the next eligible request (always two draws)."""
        which, detail = self._rng.random(), self._rng.random()
        spec = self.spec
        if which < spec.server_error:
            if detail < 1 / 3:
                return FaultDecision("5xx", 500, latency=spec.latency)
            if detail < 2 / 3:
                return FaultDecision("5xx", 502, html=detail < 0.5, latency=spec.latency)
            return FaultDecision("5xx", 503, latency=spec.latency)
        if which < spec.server_error + spec.drop:
            return FaultDecision("drop", latency=spec.latency)
        if which < spec.server_error + spec.drop + spec.malformed:
            return FaultDecision("malformed", latency=spec.latency)
        return FaultDecision(None, latency=spec.latency)
