"""Campaigns: settings, status (launch, pause, resume), schedule, inbox links, create, delete."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlite_utils import Database

from outreach_tui.core.schedule import WEEKDAYS, ScheduleError, is_supported_timezone, parse_time
from outreach_tui.store.codec import loads, now_iso
from outreach_tui.store.connection import write_transaction
from outreach_tui.store.edits.common import EditError, edit_field, int_in_range, require_row
from outreach_tui.store.effective import refresh_rows
from outreach_tui.store.outbox import (
    LOCAL_ID_PREFIX,
    OutboxItem,
    enqueue,
    list_items,
    new_local_id,
    queue_link_op,
    withdraw,
)

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


# --- launch, pause, resume ---------------------------------------------------------------

# The documented transitions (PATCH /campaigns/:id `status`): launch, pause, resume.
STATUS_TRANSITIONS = frozenset({("draft", "active"), ("active", "paused"), ("paused", "active")})


def launch_blockers(db: Database, campaign_id: str) -> list[str]:
    """What the campaign lacks to be launched (effective state): "an enabled variant",
    "an inbox"; empty when it can go."""
    missing = []
    variant = db.conn.execute(
        "SELECT 1 FROM variants WHERE campaign_id = ? AND is_deleted = 0 AND enabled = 1 LIMIT 1",
        [campaign_id],
    ).fetchone()
    if variant is None:
        missing.append("an enabled variant")
    inbox = db.conn.execute(
        "SELECT 1 FROM campaign_inboxes WHERE campaign_id = ? AND pending_op IS NOT 'detach'"
        " LIMIT 1",
        [campaign_id],
    ).fetchone()
    if inbox is None:
        missing.append("an inbox")
    return missing


def launch_warnings(db: Database, campaign_id: str) -> list[str]:
    """What the server accepts but a person would want to know before launching: no
    leads (nothing would be sent), an enabled first-step variant with an empty subject
    (later steps go out as replies in the thread, so theirs may be empty)."""
    warnings = []
    leads = db.conn.execute(
        "SELECT leads_count FROM campaigns WHERE id = ?", [campaign_id]
    ).fetchone()
    local_leads = db.conn.execute(
        "SELECT 1 FROM leads WHERE campaign_id = ? LIMIT 1", [campaign_id]
    ).fetchone()
    if (leads is None or not leads[0]) and local_leads is None:
        warnings.append("no leads yet: nothing would be sent")
    empty = db.conn.execute(
        "SELECT v.letter FROM variants v JOIN sequences s ON s.id = v.sequence_id"
        " WHERE v.campaign_id = ? AND v.is_deleted = 0 AND v.enabled = 1 AND s.is_deleted = 0"
        " AND s.step = (SELECT MIN(step) FROM sequences WHERE campaign_id = ? AND is_deleted = 0)"
        " AND TRIM(COALESCE(v.subject, '')) = '' ORDER BY v.position",
        [campaign_id, campaign_id],
    ).fetchall()
    for (letter,) in empty:
        warnings.append(f"variant {letter or '?'} of the first step has an empty subject")
    return warnings


def status_problem(db: Database, campaign_id: str, target: str) -> str | None:
    """Why the campaign cannot move to `target` now (one plain sentence), or None."""
    row = require_row(db, "campaign", campaign_id, "id, status, server_status, is_deleted")
    current = row["status"]
    if target not in ("active", "paused"):
        return f"status must be 'active' or 'paused', got {target!r}"
    if current == target:
        return f"the campaign is already {target}"
    if row["server_status"] == "draft" and current == "active" and target == "paused":
        return None  # pausing a launch not sent yet withdraws it (see set_status)
    if (current, target) not in STATUS_TRANSITIONS:
        return f"a {current} campaign cannot be {'launched' if target == 'active' else target}"
    if target == "active":
        missing = launch_blockers(db, campaign_id)
        if missing:
            verb = "launch" if current == "draft" else "resume"
            return f"cannot {verb}: the campaign needs {' and '.join(missing)}"
    return None


def set_status(db: Database, campaign_id: str, target: str) -> list[OutboxItem]:
    """Launch (draft -> active), pause (active -> paused) or resume (paused -> active),
    with the documented rules checked first (`EditError` says why not).

    Pausing a campaign whose launch is still in the outbox withdraws the launch (the
    server would refuse draft -> paused): the campaign is a draft again, [] is returned.
    """
    with write_transaction(db):
        problem = status_problem(db, campaign_id, target)
        if problem:
            raise EditError(problem)
        server = db.conn.execute(
            "SELECT server_status FROM campaigns WHERE id = ?", [campaign_id]
        ).fetchone()[0]
        if server == "draft" and target == "paused":
            unsent = [
                item
                for item in list_items(
                    db, ("pending", "failed"), resource="campaign", resource_id=campaign_id
                )
                if item.field == "status"
            ]
            if unsent:
                for item in unsent:
                    db.conn.execute("DELETE FROM outbox WHERE id = ?", [item.id])
                refresh_rows(db, "campaign", [campaign_id])
                return []
        item = edit_field(db, "campaign", campaign_id, "status", target)
        return [item] if item else []


# --- create and delete -------------------------------------------------------------------


def create_campaign(db: Database, name: str) -> OutboxItem:
    """Create a draft campaign (a placeholder until the server creates it)."""
    _check_campaign_value("name", name)
    name = name.strip()
    with write_transaction(db):
        placeholder = new_local_id()
        now = now_iso()
        db.conn.execute(
            "INSERT INTO campaigns (id, name, server_name, status, server_status, created_at,"
            " updated_at, is_local) VALUES (?, ?, ?, 'draft', 'draft', ?, ?, 1)",
            [placeholder, name, name, now, now],
        )
        item = enqueue(db, "campaign", placeholder, "create", {"name": name})
        refresh_rows(db, "campaign", [placeholder])
        return item


def delete_campaign(db: Database, campaign_id: str, *, confirm_name: str) -> list[OutboxItem]:
    """Delete a campaign with its sequences, leads and stats (irreversible on the server).

    `confirm_name` must be the campaign's name exactly (typed by the user). The campaign
    is hidden at once; a campaign never created on the server is simply dropped.
    """
    with write_transaction(db):
        row = require_row(db, "campaign", campaign_id, "id, name, is_deleted")
        if confirm_name != row["name"]:
            raise EditError("the name typed does not match: nothing deleted")
        if campaign_id.startswith(LOCAL_ID_PREFIX):
            for item in list_items(db, ("pending",), resource="campaign", resource_id=campaign_id):
                if item.op == "create":
                    withdraw(db, item.id)
                    return []
        db.conn.execute("UPDATE campaigns SET is_deleted = 1 WHERE id = ?", [campaign_id])
        item = enqueue(db, "campaign", campaign_id, "delete")
        refresh_rows(db, "campaign", [campaign_id])
        return [item]
