"""Every way a call to the Reachkit API can fail, as one exception hierarchy.

Each error carries a one-line `.message` fit for a status bar. Messages are built from
scrubbed text only: the client removes its API key from anything the server or the
network stack said before it reaches an error, and strips control characters so a hostile
server cannot paint the terminal.
"""

from __future__ import annotations

import re
from typing import Any

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]+")
_MAX_MESSAGE = 200
REDACTED = "[redacted]"


def one_line(text: str, limit: int = _MAX_MESSAGE) -> str:
    """Collapse `text` to a single printable line of at most `limit` characters."""
    flat = " ".join(_CONTROL.sub(" ", text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def scrub(value: Any, secret: str | None) -> Any:
    """Return `value` with every occurrence of `secret` replaced, recursing into containers."""
    if not secret:
        return value
    if isinstance(value, str):
        return value.replace(secret, REDACTED)
    if isinstance(value, dict):
        return {scrub(k, secret): scrub(v, secret) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(scrub(v, secret) for v in value)
    return value


class ReachkitError(Exception):
    """Base class of every error raised by the API client.

    `message` is one line for the status bar; `method` and `path` name the request (the
    path carries no query string); `status_code` is the HTTP status when there was one.
    """

    title = "Reachkit error"

    def __init__(
        self,
        message: str,
        *,
        method: str | None = None,
        path: str | None = None,
        status_code: int | None = None,
    ) -> None:
        self.message = one_line(message)
        self.method = method
        self.path = path
        self.status_code = status_code
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class RequestValidationError(ReachkitError, ValueError):
    """A request was refused locally, before any network traffic (bad argument)."""

    title = "Invalid request"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


class InsecureBaseURLError(RequestValidationError):
    """The base URL is not https and its host is not loopback, or it is not a URL at all."""


# --- the server answered with an error status ---------------------------------------------


class ApiStatusError(ReachkitError):
    """The server answered with an error status (the base of the per-status classes).

    `server_message` is the server's own (scrubbed) explanation, `details` its structured
    details when it sent any (`{}` otherwise).
    """

    title = "Server refused the request"

    def __init__(
        self,
        *,
        status_code: int,
        method: str,
        path: str,
        server_message: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.server_message = one_line(server_message) if server_message else None
        self.details: dict[str, Any] = details or {}
        explanation = self.server_message or self.default_explanation(status_code)
        super().__init__(
            f"{self.title} ({status_code}): {explanation} — {method} {path}",
            method=method,
            path=path,
            status_code=status_code,
        )

    @staticmethod
    def default_explanation(status_code: int) -> str:
        """What to say when the server gave no message."""
        return f"HTTP {status_code}"


class AuthenticationError(ApiStatusError):
    """401: the API key is missing, wrong or revoked."""

    title = "Authentication failed"

    @staticmethod
    def default_explanation(status_code: int) -> str:
        """What to say when the server gave no message."""
        return "check the API key"


class ForbiddenError(ApiStatusError):
    """403: the key is valid but may not do this (plan or scope)."""

    title = "Forbidden"


class NotFoundError(ApiStatusError):
    """404: the resource does not exist (or belongs to another workspace)."""

    title = "Not found"


class ConflictError(ApiStatusError):
    """409: the request conflicts with the resource's current state."""

    title = "Conflict"


class ServerValidationError(ApiStatusError):
    """422: the server rejected the request's content.

    `field`, `offset` and `code` come from `details` when the server sent them, e.g. a
    merge-tag error `{"field": "body_html", "offset": 17, "code": "invalid_merge_tag"}`.
    """

    title = "Rejected by the server"

    @property
    def field(self) -> str | None:
        """The offending field, when the server named one."""
        value = self.details.get("field")
        return value if isinstance(value, str) else None

    @property
    def offset(self) -> int | None:
        """Offset of the offending text inside `field`, when the server gave one."""
        value = self.details.get("offset")
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def code(self) -> str | None:
        """A machine-readable error code, when the server gave one."""
        value = self.details.get("code")
        return value if isinstance(value, str) else None


class RateLimitedError(ApiStatusError):
    """429: too many requests; `retry_after` is the server's wait in seconds, if given."""

    title = "Rate limited"

    def __init__(self, *, retry_after: float | None = None, **kwargs: Any) -> None:
        self.retry_after = retry_after
        super().__init__(**kwargs)


class ServerError(ApiStatusError):
    """5xx: the server (or a proxy in front of it) failed."""

    title = "Server error"


# --- no usable answer -------------------------------------------------------------------------


class NetworkError(ReachkitError):
    """No complete answer: timeout, connection refused or reset, body cut short.

    `may_have_reached_server` is False only when the request provably never left
    (connection refused, connect timeout, no free connection).
    """

    title = "Network error"

    def __init__(
        self,
        message: str,
        *,
        method: str,
        path: str,
        may_have_reached_server: bool,
    ) -> None:
        self.may_have_reached_server = may_have_reached_server
        super().__init__(f"{self.title}: {message} — {method} {path}", method=method, path=path)


class MalformedResponseError(ReachkitError):
    """The server answered with a success status but a body we cannot use.

    Not JSON, truncated JSON, an HTML page from a proxy, a 200 whose body is
    `{"error": ...}`, a shape that does not validate, or a body over the size cap.
    `transient` says whether asking again might help (a cut body may; a too-large one won't).
    """

    title = "Malformed response"

    def __init__(
        self,
        reason: str,
        *,
        method: str,
        path: str,
        status_code: int | None,
        transient: bool = True,
    ) -> None:
        self.reason = one_line(reason)
        self.transient = transient
        super().__init__(
            f"{self.title} ({status_code}): {self.reason} — {method} {path}",
            method=method,
            path=path,
            status_code=status_code,
        )


class UncertainWriteError(ReachkitError):
    """A write may or may not have been applied: look at the server before sending again.

    Raised for writes that could duplicate (reply, create) when the request may have
    reached the server but no clear answer came back (timeout after sending, dropped
    connection, 5xx, unreadable success body). `cause` is the underlying error and
    `idempotency_key` the key the request carried.
    """

    title = "Outcome unknown"

    def __init__(self, cause: ReachkitError, *, idempotency_key: str) -> None:
        self.cause = cause
        self.idempotency_key = idempotency_key
        super().__init__(
            f"{self.title}, check before retrying: {cause.message}",
            method=cause.method,
            path=cause.path,
            status_code=cause.status_code,
        )


STATUS_ERRORS: dict[int, type[ApiStatusError]] = {
    401: AuthenticationError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    422: ServerValidationError,
    429: RateLimitedError,
}


def status_error_class(status_code: int) -> type[ApiStatusError]:
    """The error class for an HTTP error status."""
    if status_code >= 500:
        return ServerError
    return STATUS_ERRORS.get(status_code, ApiStatusError)
