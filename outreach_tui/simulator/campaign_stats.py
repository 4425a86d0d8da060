"""Campaign statistics computed from the leads, conversations and variant counters.

Definitions (the reference names the fields; the formulas are the simulator's choice):
- leads_count: leads of the campaign; contacted: leads whose status is not uncontacted;
  replies: leads with status replied; bounced: bounced leads; positive_replies: replied
  leads whose conversation's effective label is positive.
- sent: the sum of every variant's sent counter (always >= contacted).
- progress = round(100 * contacted / leads_count).
- reply_rate = replies / contacted, positive_reply_rate = positive_replies / replies,
  bounce_rate = bounced / sent; per variant reply_rate = replies / sent and
  positive_reply_rate = positive_replies / replies. Every rate is round(100 * x / y, 2),
  0 when y is 0.
- daily: the 30 UTC days ending today; sent from the campaign's daily counters, replies from
  the leads' first reply dates, so each column sums to at most its total.
- A reply counts for the variant that drew it; a deleted variant takes its replies along.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from outreach_tui.simulator.clock import day, last_days

if TYPE_CHECKING:
    from outreach_tui.simulator.campaigns import Campaign
    from outreach_tui.simulator.workspace import Workspace

SUMMARY_KEYS = (
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


def rate(part: int, whole: int) -> float:
    """round(100 * part / whole, 2), 0.0 when whole is 0."""
    return round(100 * part / whole, 2) if whole else 0.0


def compute_stats(workspace: Workspace, campaign: Campaign, today: int) -> dict[str, Any]:
    """The full statistics of a campaign (summary, daily and sequences)."""
    contacted = replies = bounced = positive = 0
    variant_replies: Counter[str] = Counter()
    variant_positive: Counter[str] = Counter()
    replies_by_day: Counter[str] = Counter()
    window = set(last_days(30, today))
    conversations = workspace.conversations
    for lead in campaign.leads.ordered:
        if lead.is_bounced:
            bounced += 1
        if lead.status == "uncontacted":
            continue
        contacted += 1
        if lead.status != "replied":
            continue
        replies += 1
        conversation = conversations.get(lead.conversation_id or "")
        is_positive = conversation is not None and conversation.is_positive
        positive += is_positive
        if lead.reply_variant_id:
            variant_replies[lead.reply_variant_id] += 1
            variant_positive[lead.reply_variant_id] += is_positive
        if lead.replied_at is not None:
            reply_day = day(lead.replied_at)
            if reply_day in window:
                replies_by_day[reply_day] += 1
    sent = campaign.sent_total
    leads_count = len(campaign.leads)
    stats: dict[str, Any] = {
        "progress": round(100 * contacted / leads_count) if leads_count else 0,
        "sequence_steps": len(campaign.steps),
        "leads_count": leads_count,
        "sent": sent,
        "contacted": contacted,
        "replies": replies,
        "reply_rate": rate(replies, contacted),
        "positive_replies": positive,
        "positive_reply_rate": rate(positive, replies),
        "bounced": bounced,
        "bounce_rate": rate(bounced, sent),
        "daily": [
            {
                "date": date,
                "sent": campaign.daily_sent.get(date, 0),
                "replies": replies_by_day.get(date, 0),
            }
            for date in sorted(window)
        ],
        "sequences": [
            {
                "id": step.id,
                "step": number,
                "variants": [
                    {
                        "id": variant.id,
                        "enabled": variant.enabled,
                        "sent": variant.sent,
                        "replies": variant_replies[variant.id],
                        "reply_rate": rate(variant_replies[variant.id], variant.sent),
                        "positive_replies": variant_positive[variant.id],
                        "positive_reply_rate": rate(
                            variant_positive[variant.id], variant_replies[variant.id]
                        ),
                    }
                    for variant in step.variants
                ],
            }
            for number, step in enumerate(campaign.steps, start=1)
        ],
    }
    return stats


def summary(stats: dict[str, Any]) -> dict[str, Any]:
    """The headline numbers only (list items and PATCH answers)."""
    return {key: stats[key] for key in SUMMARY_KEYS}
