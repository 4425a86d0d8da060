"""`outreach-tui inboxes list|check`: sending inboxes with their health, from the cache.

`list --json` keeps the API's field names: each inbox as `GET /inboxes/:id` gives it, plus
`health_score` and `ramp_up_progress` at the top, the cached `warmup` stats (the shape of
`GET /inboxes/:id/warmup/stats`, null before the first pull), `spam_rate` over those 7
days, the attached `campaigns`, the `warnings` (code, severity, message) and `pending`.

`check` is for cron: one line per inbox with a warning, ``email: why; why (notice)``,
naming every warning `list` shows for it (the same `core.warmup.workspace_warnings`),
notices marked ``(notice)``. Exit code 3 when an inbox needs attention (a warning or an
error: the inboxes the warmup header and the status bar count); a notice alone prints its
line and exits 0. Nothing at all and exit 0 when no inbox has a warning (cron mails any
output). It reads the cache: run `outreach-tui sync` first.
"""

from __future__ import annotations

import argparse
from typing import Any

from outreach_tui.commands import EXIT_CHECK_FOUND_PROBLEMS, EXIT_USAGE, CommandError
from outreach_tui.commands.context import resolve_context
from outreach_tui.commands.output import print_csv, print_json, print_table, safe
from outreach_tui.core.warmup import HealthWarning, Severity
from outreach_tui.store import sync_state
from outreach_tui.store.queries.mailboxes import HealthOverview, InboxHealthRow, health_overview

_SETTINGS = (
    "id",
    "email",
    "domain",
    "provider",
    "connection_type",
    "connection_status",
    "first_name",
    "last_name",
    "reply_to",
    "signature",
    "is_active",
    "is_warming",
    "daily_campaign_limit",
    "daily_warmup_limit",
)
_CSV_COLUMNS = (
    "id",
    "email",
    "domain",
    "provider",
    "connection_type",
    "connection_status",
    "is_active",
    "is_warming",
    "daily_campaign_limit",
    "daily_warmup_limit",
    "health_score",
    "ramp_up_progress",
    "warmup.sent",
    "warmup.received",
    "warmup.saved_from_spam",
    "spam_rate",
    "campaigns",
    "warnings",
    "pending",
)


def missing_subcommand(args: argparse.Namespace) -> int:
    """`inboxes` alone is a usage error."""
    raise CommandError("inboxes needs a subcommand: list or check", exit_code=EXIT_USAGE)


def _overview(args: argparse.Namespace) -> HealthOverview:
    context = resolve_context(args)
    db = context.open_db(write=False)
    try:
        overview = health_overview(db)
        never_pulled = sync_state.get_sync_state(db, "inboxes").last_pulled_at is None
    finally:
        db.close()
    if never_pulled and not overview.inboxes:
        raise CommandError("no inboxes in the cache yet: run `outreach-tui sync` first")
    return overview


def inbox_json(row: InboxHealthRow) -> dict[str, Any]:
    """One inbox in the API's field names, with its health, warmup stats and warnings."""
    inbox, stats = row.inbox, row.stats
    data: dict[str, Any] = {name: getattr(inbox, name) for name in _SETTINGS}
    data["health_score"] = inbox.health_score
    data["ramp_up_progress"] = inbox.ramp_up_progress
    data["warmup"] = (
        None
        if stats is None
        else {
            "sent": stats.sent,
            "received": stats.received,
            "saved_from_spam": stats.saved_from_spam,
            "health_score": stats.health_score,
            "ramp_up_progress": stats.ramp_up_progress,
            "daily": [
                {"date": d.date, "sent": d.sent, "spam_count": d.spam_count} for d in stats.daily
            ],
            "pulled_at": stats.pulled_at,
        }
    )
    data["spam_rate"] = None if row.spam_rate is None else round(row.spam_rate, 4)
    data["campaigns"] = [
        {"id": c.campaign_id, "name": c.name, "status": c.status} for c in row.campaigns
    ]
    data["warnings"] = [w.to_json() for w in row.warnings]
    data["pending"] = inbox.local_state
    return data


def _csv_record(row: InboxHealthRow) -> dict[str, Any]:
    data = inbox_json(row)
    warmup = data.pop("warmup") or {}
    for name in ("sent", "received", "saved_from_spam"):
        data[f"warmup.{name}"] = warmup.get(name)
    data["campaigns"] = ";".join(c["id"] for c in data["campaigns"])
    data["warnings"] = ";".join(w["code"] for w in data["warnings"])
    return data


def _flag(value: bool | None) -> str:
    return "-" if value is None else ("yes" if value else "no")


def _number(value: int | None) -> str:
    return "-" if value is None else str(value)


def list_inboxes(args: argparse.Namespace) -> int:
    """Print every cached inbox with health, ramp-up, connection status and warnings."""
    overview = _overview(args)
    if args.json:
        print_json([inbox_json(row) for row in overview.inboxes])
        return 0
    if args.csv:
        print_csv((_csv_record(row) for row in overview.inboxes), columns=_CSV_COLUMNS)
        return 0
    table = []
    for row in overview.inboxes:
        inbox, stats = row.inbox, row.stats
        spam = row.spam_rate
        table.append(
            [
                safe(inbox.email, 60),
                safe(inbox.provider or "-", 12),
                safe(inbox.connection_status or "-", 12),
                _flag(inbox.is_active),
                _flag(inbox.is_warming),
                _number(inbox.health_score),
                "-" if inbox.ramp_up_progress is None else f"{inbox.ramp_up_progress}%",
                _number(stats.sent if stats else None),
                _number(stats.received if stats else None),
                _number(stats.saved_from_spam if stats else None),
                "-" if spam is None else f"{spam * 100:.1f}%",
                str(len(row.campaigns)),
                ", ".join(w.code for w in row.warnings),
            ]
        )
    headers = ["EMAIL", "PROVIDER", "STATUS", "ACTIVE", "WARMING", "HEALTH", "RAMP"]
    headers += ["SENT", "RECV", "SAVED", "SPAM", "CAMPAIGNS", "WARNINGS"]
    print_table(table, headers)
    return 0


def check_reason(row: InboxHealthRow, warning: HealthWarning) -> str:
    """Why, as `check` says it: the reason of the inbox's own warning, who and why for a
    campaign's, `(notice)` after a notice."""
    why = warning.reason if warning.inbox_id == row.inbox.id else warning.message
    return f"{why} (notice)" if warning.severity is Severity.NOTICE else why


def check_inboxes(args: argparse.Namespace) -> int:
    """One line per inbox with a warning, naming its email and every warning `list` shows;
    exit 3 when an inbox needs attention (the count of the header and the status bar)."""
    overview = _overview(args)
    for row in overview.inboxes:
        if row.warnings:
            reasons = "; ".join(check_reason(row, w) for w in row.warnings)
            print(f"{safe(row.inbox.email, 120)}: {reasons}")
    return EXIT_CHECK_FOUND_PROBLEMS if overview.attention_count else 0
