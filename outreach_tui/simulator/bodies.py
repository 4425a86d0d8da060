"""Reading request bodies and checking their fields, collecting every problem at once.

Choices: an empty body counts as `{}`; a body that is not JSON, or JSON that is not an
object, is 400; unknown fields are 422 ("unknown field") so a client typo is caught rather
than silently ignored; booleans must be JSON booleans and integers JSON integers (`true`
is not 1, `1.0` is not 1).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from outreach_tui.simulator.errors import ApiError, validation_error

MISSING: Any = object()
_EMAIL = re.compile(r"[^@\s<>(),;:\"\[\]\\]+@[^@\s<>(),;:\"\[\]\\]+\.[^@\s<>(),;:\"\[\]\\.]+")


def is_plausible_email(value: object) -> bool:
    """Whether `value` is a string shaped like local@domain.tld."""
    return isinstance(value, str) and len(value) <= 254 and _EMAIL.fullmatch(value) is not None


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """The request body as a dict; raises ApiError 400 when it is not a JSON object."""
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "request body is not valid JSON") from None
    if not isinstance(value, dict):
        raise ApiError(400, "request body must be a JSON object")
    return value


class BodyCheck:
    """Typed access to body fields; problems accumulate until `raise_if_invalid`."""

    def __init__(self, body: dict[str, Any], allowed: Iterable[str]) -> None:
        self.body = body
        self.errors: dict[str, str] = {}
        allowed_set = set(allowed)
        for key in body:
            if key not in allowed_set:
                self.errors[key] = "unknown field"

    def fail(self, field: str, message: str) -> None:
        """Record a problem with `field` (the first one per field is kept)."""
        self.errors.setdefault(field, message)

    def string(
        self,
        field: str,
        *,
        required: bool = False,
        non_empty: bool = False,
        max_length: int | None = None,
        nullable: bool = False,
    ) -> Any:
        """A string field, MISSING when absent (None only when `nullable`)."""
        if field not in self.body:
            if required:
                self.fail(field, "is required")
            return MISSING
        value = self.body[field]
        if value is None and nullable:
            return None
        if not isinstance(value, str):
            self.fail(field, "must be a string")
            return MISSING
        if non_empty and not value.strip():
            self.fail(field, "must not be empty")
            return MISSING
        if max_length is not None and len(value) > max_length:
            self.fail(field, f"must be at most {max_length} characters")
            return MISSING
        return value

    def boolean(self, field: str) -> Any:
        """A boolean field, MISSING when absent."""
        if field not in self.body:
            return MISSING
        value = self.body[field]
        if not isinstance(value, bool):
            self.fail(field, "must be a boolean")
            return MISSING
        return value

    def integer(
        self,
        field: str,
        *,
        required: bool = False,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> Any:
        """An integer field within bounds, MISSING when absent."""
        if field not in self.body:
            if required:
                self.fail(field, "is required")
            return MISSING
        value = self.body[field]
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(field, "must be an integer")
            return MISSING
        if minimum is not None and value < minimum:
            self.fail(field, f"must be at least {minimum}")
            return MISSING
        if maximum is not None and value > maximum:
            self.fail(field, f"must be at most {maximum}")
            return MISSING
        return value

    def raise_if_invalid(self) -> None:
        """Raise the 422 naming every problem found so far."""
        if self.errors:
            raise validation_error(self.errors)
