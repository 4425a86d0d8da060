"""Converting values between Python, JSON text and SQLite columns; timestamps."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from outreach_tui.store.fields import FieldSpec


def dumps(value: Any) -> str:
    """Compact, key-sorted JSON (stable text, so equal values compare equal)."""
    return json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


def loads(text: str | None, default: Any = None) -> Any:
    """Parse JSON text; `default` for NULL or empty text."""
    if not text:
        return default
    return json.loads(text)


def now_iso() -> str:
    """The current UTC time as ISO-8601 with microseconds and a `Z`."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def sortable_time(text: Any) -> str:
    """Normalise an API timestamp to UTC `YYYY-MM-DDTHH:MM:SS.ffffffZ`.

    The fixed width makes text order equal time order, which the keyset indexes rely
    on. A naive timestamp is taken as UTC; anything unparseable becomes '' (sorts as the
    oldest) rather than failing the page.
    """
    if not isinstance(text, str) or not text:
        return ""
    if len(text) == 20 and text[10] == "T" and text[19] == "Z" and text[4] == "-":
        return f"{text[:19]}.000000Z"  # the common "YYYY-MM-DDTHH:MM:SSZ": no parsing
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def to_column(spec: FieldSpec, value: Any) -> Any:
    """A field value as stored in its column (bool -> 0/1, dict -> JSON text)."""
    if value is None:
        return None
    if spec.kind is bool:
        return int(bool(value))
    if spec.kind is dict:
        return dumps(value)
    return value


def from_column(spec: FieldSpec, raw: Any) -> Any:
    """A column value as the API-typed field value (inverse of `to_column`)."""
    if raw is None:
        return None
    if spec.kind is bool:
        return bool(raw)
    if spec.kind is dict:
        return loads(raw)
    return raw


def as_bool(value: Any, default: bool = False) -> int:
    """A lenient API boolean as 0/1 (missing -> `default`)."""
    if value is None:
        return int(default)
    return int(bool(value))


def content_hash(item: Any) -> str:
    """A short digest of an API object, to tell whether the cached copy changed.

    Keys are not sorted (this runs for every ingested object): the API sends them in a
    stable order, and a reordering would only cost one needless rewrite.
    """
    return hashlib.blake2b(_FAST_JSON(item).encode(), digest_size=16).hexdigest()


def recipients_json(value: Any) -> str:
    """A recipients list as JSON text ('[]' for none), on the ingest hot path."""
    return _FAST_JSON(value) if value else "[]"


_FAST_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
