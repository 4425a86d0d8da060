"""Campaign settings, schedule and inbox links."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlite_utils import Database

from outreach_tui.core.schedule import WEEKDAYS, ScheduleError, is_supported_timezone, parse_time
from outreach_tui.store.codec import loads
from outreach_tui.store.connection import write_transaction
from outreach_tui.store.edits.common import EditError, edit_field, int_in_range, require_row
from outreach_tui.store.outbox import OutboxItem, queue_link_op

_BOOLEAN_OPTIONS = (
    "stop_on_reply",
    "stop_on_company_reply",
    "text_only",
    "esp_matching",
    "unsubscribe_option",
)
CAMPAIGN_FIELDS = ("name", "status", "daily_limit", *_BOOLEAN_OPTIONS)
MAX_NAME_CHARS = 150


def _check_campaign_value(field: str, value: Any) -> None:
    if field == "name":
        if not isinstance(value, str) or not value.strip():
            raise EditError("the campaign name cannot be empty")
        if len(value) > MAX_NAME_CHARS:
            raise EditError(f"the campaign name is longer than {MAX_NAME_CHARS} characters")
    elif field == "status":
        if value not in ("active", "paused"):
            raise EditError(f"status must be 'active' or 'paused', got {value!r}")
    elif field == "daily_limit":
        int_in_range("daily_limit", value, 0)
    elif field in _BOOLEAN_OPTIONS:
        if not isinstance(value, bool):
            raise EditError(f"{field} must be true or false, got {value!r}")
    else:
        raise EditError(f"campaign field {field!r} cannot be edited here")


def update_campaign(db: Database, campaign_id: str, **changes: Any) -> list[OutboxItem]:
    """Edit campaign fields (name, status, daily_limit, the option booleans).

    One outbox item per field, all in one transaction; all are validated first.
    """
    for field, value in changes.items():
        _check_campaign_value(field, value)
    items = []
    with write_transaction(db):
        for field, value in changes.items():
            item = edit_field(db, "campaign", campaign_id, field, value)
            if item is not None:
                items.append(item)
    return items


def _check_window(where: str, window: Any, *, nullable: bool) -> None:
    if not isinstance(window, Mapping):
        raise EditError(f"{where} must be an object with start and end")
    for end in ("start", "end"):
        value = window.get(end)
        if value is None and nullable:
            continue
        try:
            parse_time(value)
        except ScheduleError as error:
            raise EditError(f"{where}.{end}: {error}") from None


def _merged_schedule(current: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - {"timezone", "default_window", "days"}
    if unknown:
        raise EditError(f"unknown schedule field(s): {', '.join(sorted(unknown))}")
    merged = {**current}
    if "timezone" in changes:
        if not isinstance(changes["timezone"], str) or not is_supported_timezone(
            changes["timezone"]
        ):
            raise EditError(f"unsupported timezone {changes['timezone']!r}")
        merged["timezone"] = changes["timezone"]
    if "default_window" in changes:
        _check_window("default_window", changes["default_window"], nullable=False)
        merged["default_window"] = dict(changes["default_window"])
    if "days" in changes:
        days = changes["days"]
        if not isinstance(days, Mapping) or set(days) - set(WEEKDAYS):
            raise EditError(f"days must map weekday names ({', '.join(WEEKDAYS)}) to settings")
        merged_days = dict(merged.get("days") or {})
        for name, day in days.items():
            _check_window(f"days.{name}", day, nullable=True)
            if "enabled" in day and not isinstance(day["enabled"], bool):
                raise EditError(f"days.{name}.enabled must be true or false")
            merged_days[name] = {**(merged_days.get(name) or {}), **day}
        merged["days"] = merged_days
    return merged


def update_schedule(db: Database, campaign_id: str, changes: Mapping[str, Any]) -> list[OutboxItem]:
    """Change the sending schedule (any of timezone, default_window, days).

    The queued value is the whole merged schedule (PATCH accepts it as is), so repeated
    schedule edits coalesce into one request.
    """
    with write_transaction(db):
        row = require_row(db, "campaign", campaign_id, "id, schedule")
        merged = _merged_schedule(loads(row["schedule"], {}), changes)
        item = edit_field(db, "campaign", campaign_id, "schedule", merged)
        return [item] if item else []


def _inbox_ids(inbox_ids: Iterable[str]) -> list[str]:
    ids = list(dict.fromkeys(inbox_ids))
    if not ids or not all(isinstance(i, str) and i for i in ids):
        raise EditError("give at least one inbox id")
    return ids


def attach_inboxes(db: Database, campaign_id: str, inbox_ids: Iterable[str]) -> list[OutboxItem]:
    """Attach inboxes to a campaign (already attached ones are skipped)."""
    ids = _inbox_ids(inbox_ids)
    with write_transaction(db):
        require_row(db, "campaign", campaign_id, "id")
        return queue_link_op(db, campaign_id, ids, attach=True)


def detach_inboxes(db: Database, campaign_id: str, inbox_ids: Iterable[str]) -> list[OutboxItem]:
    """Detach inboxes from a campaign (ones not attached are skipped)."""
    ids = _inbox_ids(inbox_ids)
    with write_transaction(db):
        require_row(db, "campaign", campaign_id, "id")
        return queue_link_op(db, campaign_id, ids, attach=False)
