"""What each queued change is, in the words a person recognises (the outbox screen).

An outbox item holds what the API needs (`conversation reply {"content": "<p>Hi…"}`);
a person recognises the action, what it acts on (a conversation's subject and
counterpart, a campaign's name, a mailbox's address) and the text sent. Names are looked
up in the cache; a row gone from the cache falls back to its id. Every string returned is
raw cache text: the screen sanitizes it like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from outreach_tui.core.labels import display_name
from outreach_tui.core.plain_html import html_to_text
from outreach_tui.store.outbox import OutboxItem

_TEXT_PREVIEW = 400  # characters of HTML converted for the one-line preview

_FIELD_NAMES = {
    "daily_limit": "daily limit",
    "stop_on_reply": "stop on reply",
    "stop_on_company_reply": "stop on company reply",
    "text_only": "text only",
    "esp_matching": "ESP matching",
    "unsubscribe_option": "unsubscribe link",
    "daily_campaign_limit": "daily campaign limit",
    "daily_warmup_limit": "daily warmup limit",
    "is_warming": "warmup",
    "is_active": "sending",
    "reply_to": "reply-to",
    "first_name": "first name",
    "last_name": "last name",
    "body_html": "body",
    "delay_days": "delay (days)",
}


@dataclass(frozen=True)
class ItemSummary:
    """One queued change for people: `action` ("Label → Interested"), `target` (what it
    acts on) and `text` (the words sent, one line; "" when there are none)."""

    action: str
    target: str
    text: str = ""


def summarize(db: Database, item: OutboxItem) -> ItemSummary:
    """Describe `item` with the names the cache has for what it acts on."""
    resource = item.resource
    if resource == "conversation":
        return _conversation(db, item)
    if resource == "campaign":
        return _campaign(db, item)
    if resource in ("sequence", "variant"):
        return _sequence_part(db, item)
    if resource == "inbox":
        email = _one(db, "SELECT email FROM inboxes WHERE id = ?", item.resource_id)
        return ItemSummary(_field_change(item), f"mailbox {email or item.resource_id}")
    if resource == "lead":
        return _lead(db, item)
    if resource == "blocklist":
        email = _value_of(item, "email") or _one(
            db, "SELECT email FROM blocklist WHERE id = ?", item.resource_id
        )
        verb = "Block" if item.op == "create" else "Unblock"
        return ItemSummary(verb, str(email or item.resource_id))
    return ItemSummary(f"{resource} {item.op}", item.resource_id)


def _conversation(db: Database, item: OutboxItem) -> ItemSummary:
    row = db.conn.execute(
        "SELECT subject, sender_name, sender_email FROM conversations WHERE id = ?",
        [item.resource_id],
    ).fetchone()
    subject, name, email = row if row else (None, None, None)
    if item.op == "create":
        to = item.value.get("to") if isinstance(item.value, dict) else None
        first = to[0] if isinstance(to, list) and to and isinstance(to[0], dict) else {}
        recipient = first.get("email") or ""
        target = f"{_value_of(item, 'subject') or subject or '(no subject)'} — to {recipient}"
        return ItemSummary("New email", target, _text(_value_of(item, "content")))
    who = f"{name} <{email}>" if name and email else (email or name or "")
    target = f"{subject or '(no subject)'} — {who}" if who else (subject or item.resource_id)
    if item.op == "reply":
        return ItemSummary("Reply", target, _text(_value_of(item, "content")))
    if item.field == "label_override":
        label = display_name(item.value) if item.value else "the AI label"
        return ItemSummary(f"Label → {label}", target)
    if item.field == "is_read":
        return ItemSummary("Mark read" if item.value else "Mark unread", target)
    return ItemSummary(_field_change(item), target)


def _campaign(db: Database, item: OutboxItem) -> ItemSummary:
    name = _one(db, "SELECT name FROM campaigns WHERE id = ?", item.resource_id)
    target = f"campaign {name or _value_of(item, 'name') or item.resource_id}"
    if item.op == "create":
        return ItemSummary("New campaign", target)
    if item.op == "delete":
        return ItemSummary("Delete campaign", target)
    if item.op in ("attach_inboxes", "detach_inboxes"):
        ids = _value_of(item, "inbox_ids") or []
        emails = [_one(db, "SELECT email FROM inboxes WHERE id = ?", i) or i for i in ids]
        verb = "Attach" if item.op == "attach_inboxes" else "Detach"
        return ItemSummary(f"{verb} {len(ids)} mailbox(es)", target, ", ".join(map(str, emails)))
    if item.field == "status":
        verb = {"active": "Launch / resume", "paused": "Pause"}.get(str(item.value), "Status")
        return ItemSummary(verb, target)
    if item.field == "schedule":
        return ItemSummary("Schedule change", target)
    return ItemSummary(_field_change(item), target)


def _sequence_part(db: Database, item: OutboxItem) -> ItemSummary:
    campaign_id = item.context.get("campaign_id") if isinstance(item.context, dict) else None
    name = _one(db, "SELECT name FROM campaigns WHERE id = ?", campaign_id or "")
    where = f"sequence of {name or campaign_id or '?'}"
    if item.resource == "sequence":
        step = _one(db, "SELECT step FROM sequences WHERE id = ?", item.resource_id)
        target = f"step {step} of the {where}" if step is not None else where
        verbs = {"create": "New step", "delete": "Delete step"}
        return ItemSummary(verbs.get(item.op, _field_change(item)), target)
    row = db.conn.execute(
        "SELECT v.letter, s.step FROM variants v LEFT JOIN sequences s ON s.id = v.sequence_id"
        " WHERE v.id = ?",
        [item.resource_id],
    ).fetchone()
    target = f"variant {row[0]} of step {row[1]}, {where}" if row else where
    if item.op == "create":
        return ItemSummary("New variant", target, str(_value_of(item, "subject") or ""))
    if item.op == "delete":
        return ItemSummary("Delete variant", target)
    if item.field == "body_html":
        return ItemSummary("Body change", target, _text(item.value))
    if item.field == "subject":
        return ItemSummary("Subject change", target, str(item.value or ""))
    return ItemSummary(_field_change(item), target)


def _lead(db: Database, item: OutboxItem) -> ItemSummary:
    email = _value_of(item, "email") or _one(
        db, "SELECT email FROM leads WHERE id = ?", item.resource_id
    )
    campaign_id = item.context.get("campaign_id") if isinstance(item.context, dict) else None
    name = _one(db, "SELECT name FROM campaigns WHERE id = ?", campaign_id or "")
    verb = "Add lead" if item.op == "create" else "Delete lead"
    return ItemSummary(verb, f"{email or item.resource_id} — campaign {name or campaign_id}")


def _field_change(item: OutboxItem) -> str:
    field = item.field or item.op
    name = _FIELD_NAMES.get(field, field.replace("_", " "))
    value = item.value
    if isinstance(value, bool):
        shown = "on" if value else "off"
    elif value is None or value == "":
        shown = "(empty)"
    elif isinstance(value, str | int | float):
        shown = str(value)
    else:
        return name.capitalize()
    return f"{name.capitalize()} → {shown}"


def _text(html: Any) -> str:
    # Queued HTML is this app's own (typed text made HTML): the light conversion fits.
    if not isinstance(html, str) or not html.strip():
        return ""
    return " ".join(html_to_text(html[: _TEXT_PREVIEW * 4]).split())[:_TEXT_PREVIEW]


def _value_of(item: OutboxItem, key: str) -> Any:
    return item.value.get(key) if isinstance(item.value, dict) else None


def _one(db: Database, sql: str, *params: Any) -> Any:
    row = db.conn.execute(sql, list(params)).fetchone()
    return row[0] if row else None
