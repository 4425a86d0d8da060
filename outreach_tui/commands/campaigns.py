"""`outreach-tui campaigns list|show`: campaign numbers from the cache, as text, JSON or CSV.

JSON and CSV keep the API's field names: the list gives each campaign with `stats.*`
(as `GET /campaigns` does); `show` gives the campaign with the analytics' `daily` and
`sequences` (per step, per variant), both inside `stats` (as `GET /campaigns/:id`) and at
the top level (as `GET /campaigns/:id/analytics`). `show --csv` prints the daily series.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from typing import Any

from outreach_tui.commands import EXIT_USAGE, CommandError
from outreach_tui.commands.context import resolve_context
from outreach_tui.commands.lookup import resolve_id
from outreach_tui.commands.output import print_csv, print_json, print_table, safe
from outreach_tui.core.ab_results import interval_text, step_result
from outreach_tui.core.figures import percent
from outreach_tui.store.queries import campaigns
from outreach_tui.store.queries.campaigns import CampaignDetail, CampaignRow, LinkedInbox

_OPTIONS = (
    "daily_limit",
    "stop_on_reply",
    "stop_on_company_reply",
    "text_only",
    "esp_matching",
    "unsubscribe_option",
)
_STATS = (
    "progress",
    "sequence_steps",
    "leads_count",
    "sent",
    "contacted",
    "replies",
    "reply_rate",
    "positive_replies",
    "positive_reply_rate",
    "bounced",
    "bounce_rate",
)


def missing_subcommand(args: argparse.Namespace) -> int:
    """`campaigns` alone is a usage error."""
    raise CommandError("campaigns needs a subcommand: list or show", exit_code=EXIT_USAGE)


def _inboxes_json(inboxes: Iterable[LinkedInbox]) -> list[dict[str, Any]]:
    return [
        {
            "id": i.inbox_id,
            "email": i.email,
            "provider": i.provider,
            "is_active": i.is_active,
            "connection_status": i.connection_status,
        }
        for i in inboxes
    ]


def campaign_json(row: CampaignRow, inboxes: Iterable[LinkedInbox] | None = None) -> dict[str, Any]:
    """A cached campaign in the API's list shape (`stats` without daily/sequences)."""
    return {
        "id": row.id,
        "name": row.name,
        "status": row.status,
        "progress": row.progress,
        "options": {name: getattr(row, name) for name in _OPTIONS},
        "schedule": row.schedule,
        "stats": {name: getattr(row, name) for name in _STATS},
        "inboxes": _inboxes_json(inboxes or ()),
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "pending": row.local_state,
    }


def campaign_detail_json(detail: CampaignDetail) -> dict[str, Any]:
    """A cached campaign in the API's detail shape plus the analytics' arrays."""
    data = campaign_json(detail.campaign, detail.inboxes)
    daily = [{"date": p.date, "sent": p.sent, "replies": p.replies} for p in detail.daily]
    sequences = [
        {
            "id": s.id,
            "step": s.step,
            "variants": [
                {
                    "id": v.id,
                    "enabled": v.enabled,
                    "sent": v.sent,
                    "replies": v.replies,
                    "reply_rate": v.reply_rate,
                    "positive_replies": v.positive_replies,
                    "positive_reply_rate": v.positive_reply_rate,
                }
                for v in s.variants
            ],
        }
        for s in detail.sequences
    ]
    data["stats"] = {**data["stats"], "daily": daily, "sequences": sequences}
    data["daily"] = daily
    data["sequences"] = sequences
    return data


def _percent(value: float | None) -> str:
    return percent(value, missing="")  # an empty cell in the tables


def list_campaigns(args: argparse.Namespace) -> int:
    """Print every cached campaign with its headline numbers."""
    context = resolve_context(args)
    db = context.open_db(write=False)
    try:
        rows = campaigns.list_campaigns(db)
        inboxes = {row.id: campaigns.campaign_inboxes(db, row.id) for row in rows}
    finally:
        db.close()
    if args.json:
        print_json([campaign_json(row, inboxes[row.id]) for row in rows])
        return 0
    if args.csv:
        records = []
        for row in rows:
            record = campaign_json(row)
            del record["inboxes"]  # a list does not fit a cell; the count does
            record["inbox_count"] = len(inboxes[row.id])
            records.append(record)
        print_csv(records)
        return 0
    table = [
        [
            row.id,
            row.status,
            f"{row.progress}%",
            str(row.leads_count),
            str(row.sent),
            _percent(row.reply_rate),
            _percent(row.positive_reply_rate),
            _percent(row.bounce_rate),
            safe(row.name, 60),
        ]
        for row in rows
    ]
    print_table(table, ["ID", "STATUS", "DONE", "LEADS", "SENT", "REPLY", "POS", "BOUNCE", "NAME"])
    return 0


def show_campaign(args: argparse.Namespace) -> int:
    """Print one campaign: headline numbers, the daily series, per-variant stats."""
    context = resolve_context(args)
    db = context.open_db(write=False)
    try:
        detail = campaigns.campaign_detail(db, resolve_id(db, "campaign", args.id))
    finally:
        db.close()
    if detail is None:
        raise CommandError(f"no campaign {safe(args.id, 80)} in the cache")
    if args.json:
        print_json(campaign_detail_json(detail))
        return 0
    if args.csv:
        print_csv(
            ({"date": p.date, "sent": p.sent, "replies": p.replies} for p in detail.daily),
            columns=["date", "sent", "replies"],
        )
        return 0
    c = detail.campaign
    print(f"{safe(c.name, 150)}  [{c.status}]  {c.progress}% done")
    print(
        f"leads {c.leads_count}  sent {c.sent}  contacted {c.contacted}  replies {c.replies}"
        f" ({_percent(c.reply_rate)})  positive {c.positive_replies}"
        f" ({_percent(c.positive_reply_rate)})  bounced {c.bounced} ({_percent(c.bounce_rate)})"
    )
    if detail.daily:
        last = detail.daily[-7:]
        print("last 7 days: " + "  ".join(f"{p.date[5:]} {p.sent}/{p.replies}" for p in last))
    for result in (step_result(step, step.variants) for step in detail.sequences):
        step = result.step
        delay = f", then wait {step.delay_days} day(s)" if step.delay_days is not None else ""
        print(
            f"step {step.step}{delay}  replies: {result.replies.text}"
            f"  positive: {result.positive.text}"
        )
        for row in result.variants:
            v = row.variant
            state = "" if v.enabled else " (disabled)"
            print(
                f"  {v.letter}{state}: sent {v.sent}, replies {v.replies}"
                f" ({_percent(v.reply_rate)}, 95% CI {interval_text(row.reply_interval)}),"
                f" positive {v.positive_replies} ({_percent(v.positive_reply_rate)},"
                f" 95% CI {interval_text(row.positive_interval)})  {safe(v.subject, 60)}"
            )
    return 0
