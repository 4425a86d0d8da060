"""Read queries of the campaign screens: list, detail (daily points, sequences with their
variants and per-variant stats, attached mailboxes). Effective values throughout; rows
whose deletion is queued are hidden, queued creations shown with their marker. A
campaign's leads: `queries.leads`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from outreach_tui.store.codec import loads


@dataclass(frozen=True)
class CampaignRow:
    """A campaign with its options, schedule and headline stats."""

    id: str
    name: str
    status: str
    progress: int
    daily_limit: int | None
    stop_on_reply: bool | None
    stop_on_company_reply: bool | None
    text_only: bool | None
    esp_matching: bool | None
    unsubscribe_option: bool | None
    schedule: dict[str, Any] | None
    sequence_steps: int
    leads_count: int
    sent: int
    contacted: int
    replies: int
    reply_rate: float
    positive_replies: int
    positive_reply_rate: float
    bounced: int
    bounce_rate: float
    created_at: str | None
    updated_at: str | None
    local_state: str | None


@dataclass(frozen=True)
class DailyPoint:
    """One day of campaign activity."""

    date: str
    sent: int
    replies: int


@dataclass(frozen=True)
class VariantRow:
    """A variant with its effective content and its stats (zeros before analytics)."""

    id: str
    letter: str
    subject: str | None
    body_html: str | None
    body_text: str | None
    enabled: bool
    server_subject: str | None
    server_body_html: str | None
    local_state: str | None
    is_local: bool
    sent: int
    replies: int
    reply_rate: float
    positive_replies: int
    positive_reply_rate: float


@dataclass(frozen=True)
class SequenceRow:
    """One step of a campaign's sequence with its variants."""

    id: str
    step: int
    delay_days: int | None
    local_state: str | None
    is_local: bool
    variants: tuple[VariantRow, ...]


@dataclass(frozen=True)
class LinkedInbox:
    """An inbox attached to a campaign (the API's projection); `pending_op` while queued."""

    inbox_id: str
    email: str | None
    provider: str | None
    is_active: bool | None
    connection_status: str | None
    pending_op: str | None


@dataclass(frozen=True)
class CampaignDetail:
    """Everything the campaign screen shows."""

    campaign: CampaignRow
    daily: tuple[DailyPoint, ...]
    sequences: tuple[SequenceRow, ...]
    inboxes: tuple[LinkedInbox, ...]


_CAMPAIGN_COLUMNS = (
    "id, name, status, progress, daily_limit, stop_on_reply, stop_on_company_reply,"
    " text_only, esp_matching, unsubscribe_option, schedule, sequence_steps, leads_count,"
    " sent, contacted, replies, reply_rate, positive_replies, positive_reply_rate, bounced,"
    " bounce_rate, created_at, updated_at, local_state"
)


def _maybe_bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


def _campaign(r: tuple[Any, ...]) -> CampaignRow:
    return CampaignRow(
        id=r[0],
        name=r[1],
        status=r[2],
        progress=r[3],
        daily_limit=r[4],
        stop_on_reply=_maybe_bool(r[5]),
        stop_on_company_reply=_maybe_bool(r[6]),
        text_only=_maybe_bool(r[7]),
        esp_matching=_maybe_bool(r[8]),
        unsubscribe_option=_maybe_bool(r[9]),
        schedule=loads(r[10]),
        sequence_steps=r[11],
        leads_count=r[12],
        sent=r[13],
        contacted=r[14],
        replies=r[15],
        reply_rate=r[16],
        positive_replies=r[17],
        positive_reply_rate=r[18],
        bounced=r[19],
        bounce_rate=r[20],
        created_at=r[21],
        updated_at=r[22],
        local_state=r[23],
    )


def list_campaigns(db: Database) -> list[CampaignRow]:
    """Every cached campaign, by name (queued deletions hidden)."""
    cursor = db.conn.execute(
        f"SELECT {_CAMPAIGN_COLUMNS} FROM campaigns WHERE is_deleted = 0"
        " ORDER BY name COLLATE NOCASE, id"
    )
    return [_campaign(r) for r in cursor]


def get_campaign(db: Database, campaign_id: str) -> CampaignRow | None:
    """One campaign, or None (also while its deletion is queued)."""
    r = db.conn.execute(
        f"SELECT {_CAMPAIGN_COLUMNS} FROM campaigns WHERE id = ? AND is_deleted = 0",
        [campaign_id],
    ).fetchone()
    return _campaign(r) if r else None


def sequences(db: Database, campaign_id: str) -> list[SequenceRow]:
    """The campaign's steps in order, each with its variants (queued deletions hidden)."""
    variants: dict[str, list[VariantRow]] = {}
    for r in db.conn.execute(
        "SELECT v.sequence_id, v.id, v.letter, v.subject, v.body_html, v.body_text, v.enabled,"
        " v.server_subject, v.server_body_html, v.local_state, v.is_local,"
        " COALESCE(s.sent, 0), COALESCE(s.replies, 0), COALESCE(s.reply_rate, 0),"
        " COALESCE(s.positive_replies, 0), COALESCE(s.positive_reply_rate, 0)"
        " FROM variants v LEFT JOIN variant_stats s ON s.variant_id = v.id"
        " WHERE v.campaign_id = ? AND v.is_deleted = 0 ORDER BY v.position, v.id",
        [campaign_id],
    ):
        variants.setdefault(r[0], []).append(
            VariantRow(
                id=r[1],
                letter=r[2],
                subject=r[3],
                body_html=r[4],
                body_text=r[5],
                enabled=bool(r[6]),
                server_subject=r[7],
                server_body_html=r[8],
                local_state=r[9],
                is_local=bool(r[10]),
                sent=r[11],
                replies=r[12],
                reply_rate=r[13],
                positive_replies=r[14],
                positive_reply_rate=r[15],
            )
        )
    return [
        SequenceRow(r[0], r[1], r[2], r[3], bool(r[4]), tuple(variants.get(r[0], ())))
        for r in db.conn.execute(
            "SELECT id, step, delay_days, local_state, is_local FROM sequences"
            " WHERE campaign_id = ? AND is_deleted = 0 ORDER BY step, id",
            [campaign_id],
        )
    ]


def campaign_inboxes(db: Database, campaign_id: str) -> list[LinkedInbox]:
    """Inboxes attached to the campaign (queued detaches hidden), by email."""
    return [
        LinkedInbox(r[0], r[1], r[2], _maybe_bool(r[3]), r[4], r[5])
        for r in db.conn.execute(
            "SELECT l.inbox_id, COALESCE(i.email, l.email), COALESCE(i.provider, l.provider),"
            " COALESCE(i.is_active, l.is_active),"
            " COALESCE(i.connection_status, l.connection_status), l.pending_op"
            " FROM campaign_inboxes l LEFT JOIN inboxes i ON i.id = l.inbox_id"
            " WHERE l.campaign_id = ? AND l.pending_op IS NOT 'detach'"
            " ORDER BY 2, l.inbox_id",
            [campaign_id],
        )
    ]


def inbox_counts(db: Database) -> dict[str, int]:
    """How many inboxes each campaign has attached (queued detaches excluded)."""
    return dict(
        db.conn.execute(
            "SELECT campaign_id, COUNT(*) FROM campaign_inboxes"
            " WHERE pending_op IS NOT 'detach' GROUP BY campaign_id"
        )
    )


def daily_series(db: Database) -> dict[str, list[DailyPoint]]:
    """Every cached campaign's daily points, oldest first (the list's trend lines)."""
    series: dict[str, list[DailyPoint]] = {}
    for r in db.conn.execute(
        "SELECT campaign_id, date, sent, replies FROM campaign_daily ORDER BY campaign_id, date"
    ):
        series.setdefault(r[0], []).append(DailyPoint(r[1], r[2], r[3]))
    return series


def campaign_detail(db: Database, campaign_id: str) -> CampaignDetail | None:
    """The campaign screen's data, or None when the campaign is not cached."""
    campaign = get_campaign(db, campaign_id)
    if campaign is None:
        return None
    daily = tuple(
        DailyPoint(*r)
        for r in db.conn.execute(
            "SELECT date, sent, replies FROM campaign_daily WHERE campaign_id = ? ORDER BY date",
            [campaign_id],
        )
    )
    return CampaignDetail(
        campaign=campaign,
        daily=daily,
        sequences=tuple(sequences(db, campaign_id)),
        inboxes=tuple(campaign_inboxes(db, campaign_id)),
    )


def variant_versions(db: Database, variant_id: str) -> dict[str, Any] | None:
    """Both versions of a variant's text (effective = mine, server = theirs), or None."""
    r = db.conn.execute(
        "SELECT subject, server_subject, body_html, server_body_html FROM variants WHERE id = ?",
        [variant_id],
    ).fetchone()
    if r is None:
        return None
    return {
        "mine": {"subject": r[0], "body_html": r[2]},
        "theirs": {"subject": r[1], "body_html": r[3]},
    }
