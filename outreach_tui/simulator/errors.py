"""Error answers: `{"error": str, "details": ...optional}` for every failure.

Status codes (where the reference is silent, what a careful API does):
400 unreadable body (not JSON, or not a JSON object); 401 missing or unknown API key;
404 unknown route or an id this workspace does not own; 405 wrong method; 409 a lead that
already exists with `if_exists: "fail"`; 422 validation (details name each bad field);
429 rate limit. Messages are one line and never contain the API key.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.responses import Response


def json_bytes(payload: Any) -> bytes:
    """Compact JSON, every non-ASCII character escaped (a third faster to encode, and
    control, C1 and bidi characters travel as visible \\u escapes)."""
    return json.dumps(payload, separators=(",", ":")).encode("ascii")


def json_response(
    payload: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """A JSON response with the simulator's encoding."""
    return Response(json_bytes(payload), status, headers, media_type="application/json")


def error_body(message: str, details: Any = None) -> dict[str, Any]:
    """The error envelope; `details` only when given."""
    body: dict[str, Any] = {"error": message}
    if details is not None:
        body["details"] = details
    return body


class ApiError(Exception):
    """An expected failure answered with `status` and the error envelope."""

    def __init__(self, status: int, message: str, details: Any = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details

    def response(self) -> Response:
        """The HTTP answer for this error."""
        return json_response(error_body(self.message, self.details), self.status)


def not_found(what: str) -> ApiError:
    """404 for an id the workspace does not own."""
    return ApiError(404, f"{what} not found")


def validation_error(errors: dict[str, str], message: str | None = None) -> ApiError:
    """422 naming every bad field; the message is one line."""
    if message is None:
        field, problem = next(iter(errors.items()))
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        message = f"validation failed: {field} {problem}{more}"
    return ApiError(422, message.replace("\n", " "), dict(errors))
