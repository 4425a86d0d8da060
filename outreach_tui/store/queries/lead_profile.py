"""What the thread's lead panel shows about the person behind a conversation: the cached
lead (name, company, variables, status), its campaign, which step of the sequence they
answered, their other conversations (same address, same domain) and whether the address
or the domain is on the blocklist.

The API's messages do not say which step or variant sent them: the step answered is the
count of outgoing messages before the first incoming one (a sequence sends one email per
step), and the variant is not known.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from outreach_tui.store.queries.leads import LeadRow, lead_by_id

SHOWN_OTHERS = 5


@dataclass(frozen=True)
class OtherConversation:
    """Another conversation with the same person or domain."""

    id: str
    subject: str
    sender_email: str
    last_activity: str
    same_person: bool


@dataclass(frozen=True)
class LeadProfile:
    """The lead panel's content for one conversation."""

    conversation_id: str
    email: str
    name: str
    lead: LeadRow | None
    campaign_id: str | None
    campaign_name: str | None
    step_answered: int | None  # 1-based; None when they wrote first or never replied
    others: tuple[OtherConversation, ...]
    other_count: int  # with the same address or domain, beyond `others` too
    address_blocked: bool
    domain_entries: int  # blocklist entries at the same domain (the address's included)

    @property
    def domain(self) -> str:
        """The part of the address after '@' ('' when there is none)."""
        return self.email.rpartition("@")[2].lower() if "@" in self.email else ""

    @property
    def company(self) -> str | None:
        """The lead's `company` variable, if it has one."""
        value = self.lead.variables.get("company") if self.lead is not None else None
        return str(value) if value not in (None, "") else None


def lead_profile(db: Database, conversation_id: str) -> LeadProfile | None:
    """The lead panel of `conversation_id`; None when the conversation is not cached."""
    found = db.conn.execute(
        "SELECT sender_email, sender_name, lead_id, campaign_id FROM conversations WHERE id = ?",
        [conversation_id],
    ).fetchone()
    if found is None:
        return None
    email, name, lead_id, campaign_id = found
    lead = lead_by_id(db, lead_id) if lead_id else None
    campaign_id = campaign_id or (lead.campaign_id if lead is not None else None)
    campaign_name = None
    if campaign_id:
        named = db.conn.execute(
            "SELECT name FROM campaigns WHERE id = ? AND is_deleted = 0", [campaign_id]
        ).fetchone()
        campaign_name = named[0] if named else None
    domain = email.rpartition("@")[2].lower() if "@" in email else ""
    others, other_count = _others(db, conversation_id, email, domain)
    return LeadProfile(
        conversation_id=conversation_id,
        email=email,
        name=name or "",
        lead=lead,
        campaign_id=campaign_id,
        campaign_name=campaign_name,
        step_answered=_step_answered(db, conversation_id),
        others=others,
        other_count=other_count,
        address_blocked=_blocked(db, "email = ? COLLATE NOCASE", email),
        domain_entries=_blocked_count(db, domain) if domain else 0,
    )


def _step_answered(db: Database, conversation_id: str) -> int | None:
    directions = [
        d
        for (d,) in db.conn.execute(
            "SELECT direction FROM messages WHERE conversation_id = ? AND outbox_id IS NULL"
            " ORDER BY position",
            [conversation_id],
        )
    ]
    if "incoming" not in directions:
        return None
    sent_before = directions.index("incoming")
    return sent_before or None


def _others(
    db: Database, conversation_id: str, email: str, domain: str
) -> tuple[tuple[OtherConversation, ...], int]:
    # No index on the sender: a scan of the conversations (a few ms at 100,000), run off
    # the UI thread like every panel read.
    if not domain:
        where, params = "sender_email = ? COLLATE NOCASE", [email]
    else:
        where, params = "sender_email LIKE ?", [f"%@{domain}"]
    rows = db.conn.execute(
        f"SELECT id, subject, sender_email, last_activity FROM conversations"
        f" WHERE {where} AND id != ? ORDER BY (sender_email = ? COLLATE NOCASE) DESC,"
        " last_activity DESC LIMIT ?",
        [*params, conversation_id, email, SHOWN_OTHERS],
    ).fetchall()
    count = db.conn.execute(
        f"SELECT COUNT(*) FROM conversations WHERE {where} AND id != ?",
        [*params, conversation_id],
    ).fetchone()[0]
    others = tuple(
        OtherConversation(cid, subject or "", sender, last, sender.lower() == email.lower())
        for cid, subject, sender, last in rows
    )
    return others, count


def _blocked(db: Database, condition: str, value: str) -> bool:
    return (
        db.conn.execute(
            f"SELECT 1 FROM blocklist WHERE {condition} AND is_deleted = 0 LIMIT 1", [value]
        ).fetchone()
        is not None
    )


def _blocked_count(db: Database, domain: str) -> int:
    return db.conn.execute(
        "SELECT COUNT(*) FROM blocklist WHERE is_deleted = 0 AND email LIKE ?", [f"%@{domain}"]
    ).fetchone()[0]
