"""Read queries of a campaign's leads, for the virtual lead list (campaigns can hold
100,000): filtered counts, pages by position (a worker's far jumps) and by keyset (the UI
thread's neighbour pages), a lead's position; `leads_window`, a keyset page with a text
search only. Newest first; queued deletions hidden."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from outreach_tui.core.mergetags import lead_variables
from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.store.codec import loads


@dataclass(frozen=True)
class LeadRow:
    """A lead of a campaign."""

    id: str
    campaign_id: str
    email: str
    first_name: str | None
    last_name: str | None
    status: str | None
    is_bounced: bool
    is_unsubscribed: bool
    provider: str | None
    variables: dict[str, Any]
    created_at: str | None
    local_state: str | None
    is_local: bool


@dataclass(frozen=True)
class LeadFilter:
    """Which leads of a campaign to show; None = any."""

    search: str | None = None  # substring of email, first or last name (case-insensitive)
    status: str | None = None  # uncontacted | contacted | replied
    bounced: bool | None = None
    unsubscribed: bool | None = None
    provider: str | None = None  # google | microsoft | ... ; LEAD_PROVIDER_UNKNOWN for null

    @property
    def is_plain(self) -> bool:
        """True when nothing narrows the list (pages can then be read by keyset cheaply)."""
        return self == LeadFilter()


LEAD_PROVIDER_UNKNOWN = "unknown"  # the filter value for "ESP detection pending" (null)

_LEAD_COLUMNS = (
    "id, campaign_id, email, first_name, last_name, status, is_bounced, is_unsubscribed,"
    " provider, variables, created_at, local_state, is_local"
)
_LEAD_ORDER = "ORDER BY created_at DESC, id DESC"
# A merge variable's value as put into a draft (a name, a company, a URL).
MAX_VALUE_CHARS = 500


@dataclass(frozen=True)
class LeadMergeRow:
    """What merge tags can read of one lead (the sequence editor's preview and report)."""

    id: str
    email: str
    first_name: str | None
    last_name: str | None
    variables: dict[str, Any]


def lead_merge_rows(db: Database, campaign_id: str) -> list[LeadMergeRow]:
    """The campaign's cached leads in the lead list's order (newest first), queued
    deletions hidden, with only the columns templates read (a worker's read: all rows)."""
    return [
        LeadMergeRow(r[0], r[1], r[2], r[3], loads(r[4], {}))
        for r in db.conn.execute(
            "SELECT id, email, first_name, last_name, variables FROM leads"
            f" WHERE campaign_id = ? AND is_deleted = 0 {_LEAD_ORDER}",
            [campaign_id],
        )
    ]


def _lead(r: tuple[Any, ...]) -> LeadRow:
    return LeadRow(
        *r[:6],
        is_bounced=bool(r[6]),
        is_unsubscribed=bool(r[7]),
        provider=r[8],
        variables=loads(r[9], {}),
        created_at=r[10],
        local_state=r[11],
        is_local=bool(r[12]),
    )


def lead_by_id(db: Database, lead_id: str) -> LeadRow | None:
    """One cached lead (None when it is not cached or its deletion is queued)."""
    found = db.conn.execute(
        f"SELECT {_LEAD_COLUMNS} FROM leads WHERE id = ? AND is_deleted = 0", [lead_id]
    ).fetchone()
    return _lead(found) if found else None


def _lead_where(campaign_id: str, flt: LeadFilter) -> tuple[str, list[Any]]:
    where = "campaign_id = ? AND is_deleted = 0"
    params: list[Any] = [campaign_id]
    if flt.search:
        escaped = flt.search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where += (
            " AND (email LIKE ? ESCAPE '\\' OR first_name LIKE ? ESCAPE '\\'"
            " OR last_name LIKE ? ESCAPE '\\')"
        )
        params += [f"%{escaped}%"] * 3
    if flt.status:
        where += " AND status = ?"
        params.append(flt.status)
    if flt.bounced is not None:
        where += " AND is_bounced = ?"
        params.append(int(flt.bounced))
    if flt.unsubscribed is not None:
        where += " AND is_unsubscribed = ?"
        params.append(int(flt.unsubscribed))
    if flt.provider == LEAD_PROVIDER_UNKNOWN:
        where += " AND provider IS NULL"
    elif flt.provider:
        where += " AND provider = ?"
        params.append(flt.provider)
    return where, params


def count_leads(db: Database, campaign_id: str, flt: LeadFilter | None = None) -> int:
    """How many cached leads of the campaign match `flt` (queued deletions excluded)."""
    where, params = _lead_where(campaign_id, flt or LeadFilter())
    return int(db.conn.execute(f"SELECT COUNT(*) FROM leads WHERE {where}", params).fetchone()[0])


def leads_at(
    db: Database, campaign_id: str, flt: LeadFilter | None, *, offset: int, limit: int
) -> list[LeadRow]:
    """The leads at positions offset..offset+limit-1, newest first (far jumps; a worker's
    read: OFFSET walks the index)."""
    where, params = _lead_where(campaign_id, flt or LeadFilter())
    cursor = db.conn.execute(
        f"SELECT {_LEAD_COLUMNS} FROM leads WHERE {where} {_LEAD_ORDER} LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return [_lead(r) for r in cursor]


def leads_page(
    db: Database,
    campaign_id: str,
    flt: LeadFilter | None,
    *,
    after: tuple[str, str] | None = None,
    before: tuple[str, str] | None = None,
    limit: int = 50,
) -> list[LeadRow]:
    """A keyset page, newest first: the `limit` leads after (created_at, id) `after`, or
    the `limit` leads just before `before` (still newest first)."""
    where, params = _lead_where(campaign_id, flt or LeadFilter())
    if after is not None:
        sql = f"SELECT {_LEAD_COLUMNS} FROM leads WHERE {where} AND (created_at, id) < (?, ?)"
        sql += f" {_LEAD_ORDER} LIMIT ?"
        return [_lead(r) for r in db.conn.execute(sql, [*params, *after, limit])]
    if before is not None:
        sql = f"SELECT {_LEAD_COLUMNS} FROM leads WHERE {where} AND (created_at, id) > (?, ?)"
        sql += " ORDER BY created_at, id LIMIT ?"
        rows = [_lead(r) for r in db.conn.execute(sql, [*params, *before, limit])]
        return rows[::-1]
    sql = f"SELECT {_LEAD_COLUMNS} FROM leads WHERE {where} {_LEAD_ORDER} LIMIT ?"
    return [_lead(r) for r in db.conn.execute(sql, [*params, limit])]


def lead_position(
    db: Database, campaign_id: str, lead_id: str, flt: LeadFilter | None = None
) -> int | None:
    """Index of a lead in the list under `flt` (None when it is not there)."""
    where, params = _lead_where(campaign_id, flt or LeadFilter())
    row = db.conn.execute(
        f"SELECT created_at, id FROM leads WHERE {where} AND id = ?", [*params, lead_id]
    ).fetchone()
    if row is None:
        return None
    count = db.conn.execute(
        f"SELECT COUNT(*) FROM leads WHERE {where} AND (created_at, id) > (?, ?)",
        [*params, row[0], row[1]],
    ).fetchone()[0]
    return int(count)


def leads_window(
    db: Database,
    campaign_id: str,
    *,
    after: tuple[str, str] | None = None,
    limit: int = 100,
    search: str | None = None,
) -> list[LeadRow]:
    """A page of a campaign's leads, newest first; `after` = (created_at, id) of the last
    row shown. `search` matches email or names (substring, case-insensitive)."""
    where = "campaign_id = ? AND is_deleted = 0"
    params: list[Any] = [campaign_id]
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where += (
            " AND (email LIKE ? ESCAPE '\\' OR first_name LIKE ? ESCAPE '\\'"
            " OR last_name LIKE ? ESCAPE '\\')"
        )
        params += [pattern] * 3
    if after is not None:
        where += " AND (created_at, id) < (?, ?)"
        params += list(after)
    cursor = db.conn.execute(
        "SELECT id, campaign_id, email, first_name, last_name, status, is_bounced,"
        " is_unsubscribed, provider, variables, created_at, local_state, is_local FROM leads"
        f" WHERE {where} ORDER BY created_at DESC, id DESC LIMIT ?",
        [*params, limit],
    )
    return [
        LeadRow(
            *r[:6],
            is_bounced=bool(r[6]),
            is_unsubscribed=bool(r[7]),
            provider=r[8],
            variables=loads(r[9], {}),
            created_at=r[10],
            local_state=r[11],
            is_local=bool(r[12]),
        )
        for r in cursor
    ]


def _lead_by(db: Database, where: str, value: str) -> LeadMergeRow | None:
    row = db.conn.execute(
        "SELECT id, email, first_name, last_name, variables FROM leads"
        f" WHERE {where} = ? AND is_deleted = 0 {_LEAD_ORDER} LIMIT 1",
        [value],
    ).fetchone()
    return None if row is None else LeadMergeRow(row[0], row[1], row[2], row[3], loads(row[4], {}))


def recipient_variables(
    db: Database, email: str, name: str = "", lead_id: str | None = None
) -> dict[str, str]:
    """What merge tags can read of the person a reply or new email goes to.

    The cached lead (by `lead_id`, else by email address: the newest such lead) gives its
    names and custom variables; without one, only what the address shows is known: the
    email and, from a display name like "Ann Smith", `first_name` and `last_name`. Every
    value is one sanitized line of at most MAX_VALUE_CHARS characters.
    """
    lead = _lead_by(db, "id", lead_id) if lead_id else None
    if lead is None and email:
        lead = _lead_by(db, "email", email)
    if lead is not None:
        found = lead_variables(
            email=lead.email or email,
            first_name=lead.first_name,
            last_name=lead.last_name,
            variables=lead.variables,
        )
    else:
        clean = sanitize_line(name, MAX_VALUE_CHARS)
        first, _, last = ("" if "@" in clean else clean).partition(" ")
        found = lead_variables(email=email, first_name=first, last_name=last.strip())
    # Values come from strangers (a sender's display name, imported lead data) and go
    # into a draft: one line each, no escape sequences, controls or bidi overrides.
    return {key: sanitize_line(value, MAX_VALUE_CHARS) for key, value in found.items()}


def conversation_variables(db: Database, conversation_id: str) -> dict[str, str]:
    """`recipient_variables` of a conversation's lead (its sender when no lead is cached)."""
    row = db.conn.execute(
        "SELECT lead_id, sender_email, sender_name FROM conversations WHERE id = ?",
        [conversation_id],
    ).fetchone()
    if row is None:
        return {}
    return recipient_variables(db, row[1] or "", row[2] or "", lead_id=row[0])
