"""Turning response bodies into models: the `{"data": ...}` envelope, pages, error bodies.

Success bodies are validated straight from bytes (pydantic's Rust JSON parser) on the fast
path; only when that fails is the body decoded and looked at record by record, so one bad
record costs a slower page, never a lost page.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from outreach_tui.api.errors import one_line
from outreach_tui.api.models.common import ApiModel, ListMetadata, Page, SkippedRecord

M = TypeVar("M", bound=ApiModel)


class BodyError(Exception):
    """A success body that cannot be used; `reason` is one line, without any secret.

    `transient` is False when the body is well-formed JSON of the wrong shape: asking
    again would only bring the same record back, so it is not worth a retry.
    """

    def __init__(self, reason: str, *, transient: bool = True) -> None:
        self.reason = reason
        self.transient = transient
        super().__init__(reason)


class _ListEnvelope(BaseModel, Generic[M]):
    data: list[M]
    metadata: ListMetadata | None = None


class _ItemEnvelope(BaseModel, Generic[M]):
    data: M


@cache
def _list_adapter(model: type[ApiModel]) -> TypeAdapter[Any]:
    return TypeAdapter(_ListEnvelope[model])  # type: ignore[valid-type]


@cache
def _item_adapter(model: type[ApiModel]) -> TypeAdapter[Any]:
    return TypeAdapter(_ItemEnvelope[model])  # type: ignore[valid-type]


def looks_like_html(raw: bytes) -> bool:
    """True when a body starts like an HTML page (a proxy's error page, a login wall)."""
    head = raw[:512].lstrip().lower()
    return head.startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<?xml"))


def decode_json(raw: bytes) -> Any:
    """Decode a JSON body or raise BodyError saying what it was instead."""
    if not raw.strip():
        raise BodyError("empty body where JSON was expected")
    if looks_like_html(raw):
        raise BodyError("an HTML page instead of JSON (a proxy or login page?)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BodyError("body is not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) - 1:
            raise BodyError("truncated JSON (body cut short)") from None
        raise BodyError(f"not JSON ({exc.msg} at offset {exc.pos})") from None


def envelope_data(body: Any) -> Any:
    """The `data` member of a success envelope; a body carrying `error` is refused."""
    if not isinstance(body, dict):
        raise BodyError(f"expected a JSON object, got {type(body).__name__}")
    if "data" not in body:
        if "error" in body:
            message, _ = error_fields(body)
            raise BodyError(f"success status with an error body: {message or 'no message'}")
        raise BodyError("no 'data' member in the response")
    return body["data"]


def _first_error(exc: ValidationError) -> str:
    error = exc.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in error["loc"]) or "data"
    return one_line(f"{where}: {error['msg']}")


def parse_item(raw: bytes, model: type[M]) -> M:
    """Parse `{"data": {...}}` into one `model`; raise BodyError when it cannot."""
    try:
        return _item_adapter(model).validate_json(raw).data  # type: ignore[no-any-return]
    except ValidationError:
        data = envelope_data(decode_json(raw))
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise BodyError(f"unexpected shape: {_first_error(exc)}", transient=False) from None


def parse_list(raw: bytes, model: type[M]) -> list[M]:
    """Parse `{"data": [...]}` (no pagination) into a list, refusing any invalid record."""
    try:
        return _list_adapter(model).validate_json(raw).data  # type: ignore[no-any-return]
    except ValidationError:
        data = envelope_data(decode_json(raw))
    if not isinstance(data, list):
        raise BodyError(f"expected a list in 'data', got {type(data).__name__}")
    try:
        return [model.model_validate(item) for item in data]
    except ValidationError as exc:
        raise BodyError(f"unexpected shape: {_first_error(exc)}", transient=False) from None


def parse_data(raw: bytes) -> Any:
    """Parse an envelope and return its `data` member as plain JSON values."""
    return envelope_data(decode_json(raw))


def _record_id(record: Any) -> str | None:
    if isinstance(record, dict):
        value = record.get("id")
        if isinstance(value, str | int) and not isinstance(value, bool):
            return str(value)
    return None


def parse_page(raw: bytes, model: type[M]) -> Page[M]:
    """Parse one page of a list endpoint.

    A record that fails validation is left out and listed in `page.skipped` with its id
    (when readable) and the reason. Raises BodyError when the envelope itself is unusable
    (not JSON, an error body, `data` not a list).
    """
    try:
        envelope = _list_adapter(model).validate_json(raw)
    except ValidationError:
        pass
    else:
        return Page[model].model_construct(  # type: ignore[valid-type]
            items=envelope.data, metadata=envelope.metadata or ListMetadata(), skipped=[]
        )
    body = decode_json(raw)
    data = envelope_data(body)
    if not isinstance(data, list):
        raise BodyError(f"expected a list in 'data', got {type(data).__name__}")
    try:
        metadata = ListMetadata.model_validate(body.get("metadata") or {})
    except ValidationError:
        metadata = ListMetadata()  # absurd metadata is ignored; the walk has other stops
    items: list[M] = []
    skipped: list[SkippedRecord] = []
    for index, record in enumerate(data):
        try:
            items.append(model.model_validate(record))
        except ValidationError as exc:
            skipped.append(
                SkippedRecord(id=_record_id(record), index=index, reason=_first_error(exc))
            )
    return Page[model].model_construct(  # type: ignore[valid-type]
        items=items, metadata=metadata, skipped=skipped
    )


def _problems(problems: Any) -> str:
    return ", ".join(map(str, problems)) if isinstance(problems, list) else str(problems)


def error_fields(body: Any) -> tuple[str | None, dict[str, Any]]:
    """Pull the message and details out of an error body, whatever its convention.

    Reachkit sends `{"error": "...", "details": {...}}`; sibling platforms send
    `{"message": "..."}`, `{"error": {"message": ...}}` or `{"errors": {"field": [...]}}`.
    """
    if not isinstance(body, dict):
        return None, {}
    message: str | None = None
    details: dict[str, Any] = {}
    error = body.get("error")
    if isinstance(error, str):
        message = error
    elif isinstance(error, dict):
        if isinstance(error.get("message"), str):
            message = error["message"]
        details.update({k: v for k, v in error.items() if k != "message"})
    if message is None and isinstance(body.get("message"), str):
        message = body["message"]
    if isinstance(body.get("details"), dict):
        details.update(body["details"])
    elif "details" in body and body["details"] is not None:
        details["details"] = body["details"]
    if isinstance(body.get("errors"), dict):
        details["errors"] = body["errors"]
        if message is None:
            message = "; ".join(
                f"{field}: {_problems(problems)}" for field, problems in body["errors"].items()
            )
    return message, details


def parse_error_body(raw: bytes) -> tuple[str | None, dict[str, Any]]:
    """Message and details of an error response; an HTML or garbled body gives a hint."""
    if looks_like_html(raw):
        return "an HTML error page (from a proxy?)", {}
    try:
        body = json.loads(raw) if raw.strip() else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None, {}
    return error_fields(body)


def parse_nothing(raw: bytes) -> None:
    """Accept an empty answer (204) or any success envelope; refuse a 200 error body."""
    if not raw.strip():
        return
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return  # nothing was expected, so an odd body changes nothing
    if isinstance(body, dict) and "error" in body and "data" not in body:
        envelope_data(body)


def parse_flag(raw: bytes, name: str) -> bool:
    """The boolean `data[name]` of an envelope, e.g. `{"data": {"blocked": true}}`."""
    data = parse_data(raw)
    value = data.get(name) if isinstance(data, dict) else None
    if not isinstance(value, bool):
        raise BodyError(f"expected a boolean 'data.{name}'")
    return value
