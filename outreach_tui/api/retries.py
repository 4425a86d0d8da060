"""Which failures are retried, how often and after how long (tenacity does the looping).

Three kinds of request:
- READ (GET): retried on 429, 5xx, network errors and cut/garbled bodies.
- IDEMPOTENT writes (PATCH of absolute values, schedule, attach/detach, DELETE): the same,
  with a smaller attempt cap; sending them twice leaves the same state.
- CREATE (reply, create conversation/campaign/lead/sequence/variant, blocklist add): retried
  only when the request provably never reached the server (connection refused, connect
  timeout, a 429 refusal). Anything else whose outcome is unknown is surfaced at once as
  UncertainWriteError, because the server may ignore Idempotency-Key.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from tenacity import RetryCallState, wait_random_exponential

from outreach_tui.api.errors import (
    MalformedResponseError,
    NetworkError,
    RateLimitedError,
    ReachkitError,
    ServerError,
)


class RequestKind(Enum):
    """How safe a request is to send twice."""

    READ = "read"
    IDEMPOTENT = "idempotent"
    CREATE = "create"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Retry knobs. Tests shrink the backoff; the defaults suit a real server.

    Attempts count the first try. Backoff is "full jitter": a random wait between 0 and
    `initial_backoff * 2**n`, capped at `max_backoff`. A 429 waits for the server's
    Retry-After instead (held by the pacer for every request); one asking for more than
    `max_retry_after` seconds is raised rather than waited out.
    """

    read_attempts: int = 6
    idempotent_attempts: int = 4
    create_attempts: int = 3
    initial_backoff: float = 0.5
    max_backoff: float = 20.0
    max_retry_after: float = 120.0

    def attempts(self, kind: RequestKind) -> int:
        """The attempt cap for a kind of request."""
        return {
            RequestKind.READ: self.read_attempts,
            RequestKind.IDEMPOTENT: self.idempotent_attempts,
            RequestKind.CREATE: self.create_attempts,
        }[kind]

    def should_retry(self, kind: RequestKind, error: BaseException) -> bool:
        """Whether another attempt may follow `error` for this kind of request."""
        if isinstance(error, RateLimitedError):
            return error.retry_after is None or error.retry_after <= self.max_retry_after
        if isinstance(error, NetworkError) and not error.may_have_reached_server:
            return True
        if kind is RequestKind.CREATE:
            return False
        if isinstance(error, ServerError):
            return error.status_code not in (501, 505)
        if isinstance(error, MalformedResponseError):
            return error.transient
        return isinstance(error, NetworkError)

    def wait(self, state: RetryCallState) -> float:
        """Seconds to wait before the next attempt (tenacity's `wait` callback)."""
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, RateLimitedError):
            return 0.0  # the pacer already holds every request until the server's time
        backoff = wait_random_exponential(multiplier=self.initial_backoff, max=self.max_backoff)
        return float(backoff(state))


def outcome_unknown(error: ReachkitError) -> bool:
    """True when a write may have been applied although no success answer was read."""
    if isinstance(error, NetworkError):
        return error.may_have_reached_server
    return isinstance(error, ServerError | MalformedResponseError)
