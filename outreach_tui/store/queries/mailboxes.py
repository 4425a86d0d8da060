"""Read queries of the sending mailboxes (table `inboxes`): their settings and latest
warmup figures, the campaigns each sends for, and the health overview (`core.warmup`'s
warnings) that the warmup screens, the status bar and `outreach-tui inboxes` show.
Effective values; queued deletions hidden. The warmup statistics themselves: `warmup`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from outreach_tui.core import warmup
from outreach_tui.core.warmup import HealthWarning, WorkspaceWarnings
from outreach_tui.store.queries.warmup import WarmupStats, warmup_stats_by_inbox


@dataclass(frozen=True)
class InboxRow:
    """A sending inbox with its settings and its latest warmup figures."""

    id: str
    email: str
    domain: str
    provider: str | None
    connection_type: str | None
    connection_status: str | None
    first_name: str | None
    last_name: str | None
    reply_to: str | None
    signature: str | None
    is_active: bool | None
    is_warming: bool | None
    daily_campaign_limit: int | None
    daily_warmup_limit: int | None
    local_state: str | None
    health_score: int | None
    ramp_up_progress: int | None
    campaign_count: int


@dataclass(frozen=True)
class LinkedCampaign:
    """A campaign an inbox sends for."""

    campaign_id: str
    name: str | None
    status: str | None
    pending_op: str | None


def _maybe_bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


_INBOX_SQL = (
    "SELECT i.id, i.email, i.domain, i.provider, i.connection_type, i.connection_status,"
    " i.first_name, i.last_name, i.reply_to, i.signature, i.is_active, i.is_warming,"
    " i.daily_campaign_limit, i.daily_warmup_limit, i.local_state, w.health_score,"
    " w.ramp_up_progress, (SELECT COUNT(*) FROM campaign_inboxes l WHERE l.inbox_id = i.id"
    " AND l.pending_op IS NOT 'detach')"
    " FROM inboxes i LEFT JOIN warmup_stats w ON w.inbox_id = i.id"
)


def _inbox(r: tuple[Any, ...]) -> InboxRow:
    return InboxRow(
        *r[:10],
        is_active=_maybe_bool(r[10]),
        is_warming=_maybe_bool(r[11]),
        daily_campaign_limit=r[12],
        daily_warmup_limit=r[13],
        local_state=r[14],
        health_score=r[15],
        ramp_up_progress=r[16],
        campaign_count=r[17],
    )


def list_inboxes(db: Database) -> list[InboxRow]:
    """Every cached inbox, by email."""
    return [_inbox(r) for r in db.conn.execute(f"{_INBOX_SQL} ORDER BY i.email, i.id")]


def get_inbox(db: Database, inbox_id: str) -> InboxRow | None:
    """One inbox, or None."""
    r = db.conn.execute(f"{_INBOX_SQL} WHERE i.id = ?", [inbox_id]).fetchone()
    return _inbox(r) if r else None


def inbox_campaigns(db: Database, inbox_id: str) -> list[LinkedCampaign]:
    """Campaigns the inbox is attached to (names from the campaign cache when known)."""
    return [
        LinkedCampaign(*r)
        for r in db.conn.execute(
            "SELECT l.campaign_id, COALESCE(c.name, l.campaign_name),"
            " COALESCE(c.status, l.campaign_status), l.pending_op"
            " FROM campaign_inboxes l LEFT JOIN campaigns c ON c.id = l.campaign_id"
            " WHERE l.inbox_id = ? AND l.pending_op IS NOT 'detach' ORDER BY 2, 1",
            [inbox_id],
        )
    ]


@dataclass(frozen=True)
class InboxHealthRow:
    """An inbox with its cached warmup stats (None before the first pull), the campaigns
    that use it, and the warnings it shows, worst first: its own, then those of its
    campaigns (`core.warmup.workspace_warnings`)."""

    inbox: InboxRow
    stats: WarmupStats | None
    campaigns: tuple[LinkedCampaign, ...]
    warnings: tuple[HealthWarning, ...]

    @property
    def spam_rate(self) -> float | None:
        """Spam / sent over the cached 7 days; None when unknown or nothing was sent."""
        if self.stats is None:
            return None
        return warmup.spam_rate(
            warmup.WarmupDay(d.date, d.sent, d.spam_count) for d in self.stats.daily
        )

    @property
    def needs_attention(self) -> bool:
        """True when a warning is at least a warning (a notice alone is not)."""
        return warmup.needs_attention(self.warnings)


@dataclass(frozen=True)
class HealthOverview:
    """Every inbox with its health, and the workspace's warnings as `core.warmup` counts
    them: every view reads its figures from here, so they agree."""

    inboxes: tuple[InboxHealthRow, ...]
    found: WorkspaceWarnings

    @property
    def warnings(self) -> tuple[HealthWarning, ...]:
        """Every warning of the workspace once, worst first (a campaign's warning once,
        however many of its inboxes show it)."""
        return self.found.all

    @property
    def attention_count(self) -> int:
        """How many inboxes need attention (a warning or worse among theirs): the figure
        of the warmup header and of the status bar, the inboxes `inboxes check` fails on."""
        return self.found.attention_count

    def get(self, inbox_id: str) -> InboxHealthRow | None:
        """The row of one inbox, or None."""
        return next((row for row in self.inboxes if row.inbox.id == inbox_id), None)


def _all_links(db: Database) -> dict[str, list[LinkedCampaign]]:
    links: dict[str, list[LinkedCampaign]] = {}
    for r in db.conn.execute(
        "SELECT l.inbox_id, l.campaign_id, COALESCE(c.name, l.campaign_name),"
        " COALESCE(c.status, l.campaign_status), l.pending_op"
        " FROM campaign_inboxes l LEFT JOIN campaigns c ON c.id = l.campaign_id"
        " WHERE l.pending_op IS NOT 'detach' ORDER BY 3, 2"
    ):
        links.setdefault(r[0], []).append(LinkedCampaign(*r[1:]))
    return links


def _health_input(inbox: InboxRow, stats: WarmupStats | None) -> warmup.InboxHealth:
    return warmup.InboxHealth(
        inbox_id=inbox.id,
        email=inbox.email,
        connection_status=inbox.connection_status or "",
        is_active=bool(inbox.is_active),
        health_score=inbox.health_score,
        ramp_up_progress=inbox.ramp_up_progress,
        daily=tuple(warmup.WarmupDay(d.date, d.sent, d.spam_count) for d in stats.daily)
        if stats
        else (),
        warmup_sent=stats.sent if stats else None,
    )


def health_overview(db: Database) -> HealthOverview:
    """Every cached inbox (by email) with its warmup stats, campaigns and warnings.

    Four queries whatever the workspace size; the store gathers the rows, the warnings are
    `core.warmup.workspace_warnings`'s (one computation for every view). Values are
    effective: an edit still in the outbox (an inbox paused) counts at once.
    """
    inboxes = list_inboxes(db)
    stats = warmup_stats_by_inbox(db)
    links = _all_links(db)
    campaigns: dict[str, warmup.CampaignInboxes] = {}
    for inbox_id, linked in links.items():
        for link in linked:
            known = campaigns.get(link.campaign_id)
            campaigns[link.campaign_id] = warmup.CampaignInboxes(
                link.campaign_id,
                link.name or "",
                link.status or "",
                (*(known.inbox_ids if known else ()), inbox_id),
            )
    by_name = sorted(campaigns.values(), key=lambda c: (c.name.lower(), c.campaign_id))
    inputs = [_health_input(inbox, stats.get(inbox.id)) for inbox in inboxes]
    found = warmup.workspace_warnings(inputs, by_name)
    rows = tuple(
        InboxHealthRow(inbox, stats.get(inbox.id), tuple(links.get(inbox.id, ())), shown.warnings)
        for inbox, shown in zip(inboxes, found.inboxes, strict=True)
    )
    return HealthOverview(rows, found)
