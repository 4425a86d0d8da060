"""The cache schema, as a list of numbered migration steps keyed by `PRAGMA user_version`.

Step N brings a database from version N-1 to N. Steps are append-only: a released step is
never edited (an old cache would otherwise miss the change); a new column or index is a new
step. `tests/store/test_migrations.py` migrates from every older version and compares the
result with a fresh database.

Conventions shared by the tables:
- Editable server fields are stored twice: `server_<field>` is what the server last said,
  `<field>` is the effective value the UI shows (the server value with the pending outbox
  edits applied, kept up to date in the same transaction as the edit or the ingest).
- `local_state` is the row's marker: NULL (in sync), 'pending' (an outbox item is pending
  or in flight), 'failed' or 'conflict'.
- `is_local` marks a placeholder created on this machine that the server has not
  confirmed yet (its id starts with `local-`); `is_deleted` hides a row whose deletion is
  queued.
- JSON columns hold text produced by `json.dumps`; timestamps are ISO-8601 text.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Final

from sqlite_utils import Database

_RESOURCES = """
CREATE TABLE conversations (
    seq INTEGER PRIMARY KEY,           -- stable integer key, also the FTS rowid
    id TEXT NOT NULL UNIQUE,
    folder TEXT NOT NULL DEFAULT 'primary',
    lead_id TEXT,
    campaign_id TEXT,                  -- via lead_id -> leads.campaign_id when known
    inbox_id TEXT,                     -- inbox_id of the latest message
    is_positive INTEGER NOT NULL DEFAULT 0,
    server_label TEXT,                 -- the effective label the server last reported
    ai_label TEXT,                     -- last server label seen while no override was known
    server_override TEXT,              -- override this client pushed (responses never carry it)
    label_override TEXT,               -- effective override (pending edits applied)
    label TEXT,                        -- effective label
    server_is_read INTEGER NOT NULL DEFAULT 1,
    is_read INTEGER NOT NULL DEFAULT 1,
    subject TEXT NOT NULL DEFAULT '',
    snippet TEXT NOT NULL DEFAULT '',
    sender_email TEXT NOT NULL DEFAULT '',
    sender_name TEXT NOT NULL DEFAULT '',
    message_count INTEGER NOT NULL DEFAULT 0,
    last_activity TEXT NOT NULL DEFAULT '',
    created_at TEXT,
    updated_at TEXT,
    content_hash TEXT,
    is_local INTEGER NOT NULL DEFAULT 0,
    local_state TEXT
);
-- Keyset windows: order = last_activity DESC, id DESC under each filter the screens use.
-- The screens always pick a folder; a label or unread filter across both folders walks
-- conversations_recent instead (two more indexes would cost ~15% of the ingest rate).
-- label and is_read ride along so a folder-less label/unread filter is checked inside the
-- index while walking it (no table lookups).
CREATE INDEX conversations_recent ON conversations (last_activity, id, label, is_read);
CREATE INDEX conversations_folder_recent ON conversations (folder, last_activity, id);
CREATE INDEX conversations_folder_label_recent
    ON conversations (folder, label, last_activity, id);
CREATE INDEX conversations_folder_read_recent
    ON conversations (folder, is_read, last_activity, id);
CREATE INDEX conversations_campaign_recent ON conversations (campaign_id, last_activity, id);
CREATE INDEX conversations_inbox_recent ON conversations (inbox_id, last_activity, id);
CREATE INDEX conversations_lead ON conversations (lead_id);
CREATE INDEX conversations_marked ON conversations (local_state) WHERE local_state IS NOT NULL;

CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    conversation_id TEXT NOT NULL
        REFERENCES conversations (id) ON DELETE CASCADE ON UPDATE CASCADE,
    position INTEGER NOT NULL,         -- order in the thread; queued replies sort last
    direction TEXT NOT NULL DEFAULT 'incoming',
    inbox_id TEXT,
    subject TEXT NOT NULL DEFAULT '',
    text_body TEXT NOT NULL DEFAULT '',
    html_body TEXT NOT NULL DEFAULT '',
    from_email TEXT NOT NULL DEFAULT '',
    to_recipients TEXT NOT NULL DEFAULT '[]',
    cc_recipients TEXT NOT NULL DEFAULT '[]',
    bcc_recipients TEXT NOT NULL DEFAULT '[]',
    email_date TEXT,
    is_read INTEGER NOT NULL DEFAULT 1,
    outbox_id INTEGER,                 -- the queued reply/compose; NULL once on the server
    UNIQUE (conversation_id, position)
);

CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL
        REFERENCES conversations (id) ON DELETE CASCADE ON UPDATE CASCADE,
    message_position INTEGER NOT NULL,
    filename TEXT NOT NULL DEFAULT '',
    content_type TEXT NOT NULL DEFAULT '',
    size INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX attachments_conversation ON attachments (conversation_id, message_position);

CREATE TABLE campaigns (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL DEFAULT '',
    server_name TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft',
    server_status TEXT NOT NULL DEFAULT 'draft',
    progress INTEGER NOT NULL DEFAULT 0,
    daily_limit INTEGER,
    server_daily_limit INTEGER,
    stop_on_reply INTEGER,
    server_stop_on_reply INTEGER,
    stop_on_company_reply INTEGER,
    server_stop_on_company_reply INTEGER,
    text_only INTEGER,
    server_text_only INTEGER,
    esp_matching INTEGER,
    server_esp_matching INTEGER,
    unsubscribe_option INTEGER,
    server_unsubscribe_option INTEGER,
    schedule TEXT,                     -- JSON, effective
    server_schedule TEXT,              -- JSON
    sequence_steps INTEGER NOT NULL DEFAULT 0,
    leads_count INTEGER NOT NULL DEFAULT 0,
    sent INTEGER NOT NULL DEFAULT 0,
    contacted INTEGER NOT NULL DEFAULT 0,
    replies INTEGER NOT NULL DEFAULT 0,
    reply_rate REAL NOT NULL DEFAULT 0,
    positive_replies INTEGER NOT NULL DEFAULT 0,
    positive_reply_rate REAL NOT NULL DEFAULT 0,
    bounced INTEGER NOT NULL DEFAULT 0,
    bounce_rate REAL NOT NULL DEFAULT 0,
    created_at TEXT,
    updated_at TEXT,
    content_hash TEXT,
    is_local INTEGER NOT NULL DEFAULT 0,
    local_state TEXT
);

CREATE TABLE campaign_daily (
    campaign_id TEXT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    sent INTEGER NOT NULL DEFAULT 0,
    replies INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, date)
) WITHOUT ROWID;

CREATE TABLE sequences (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL
        REFERENCES campaigns (id) ON DELETE CASCADE ON UPDATE CASCADE,
    step INTEGER NOT NULL DEFAULT 0,
    delay_days INTEGER,
    server_delay_days INTEGER,
    content_hash TEXT,                 -- of the server object, variants included
    is_local INTEGER NOT NULL DEFAULT 0,
    is_deleted INTEGER NOT NULL DEFAULT 0,
    local_state TEXT
);
CREATE INDEX sequences_campaign ON sequences (campaign_id, step);

CREATE TABLE variants (
    id TEXT PRIMARY KEY,
    sequence_id TEXT NOT NULL
        REFERENCES sequences (id) ON DELETE CASCADE ON UPDATE CASCADE,
    campaign_id TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    letter TEXT NOT NULL DEFAULT '',
    subject TEXT,
    server_subject TEXT,
    body_html TEXT,
    server_body_html TEXT,
    body_text TEXT,
    enabled INTEGER NOT NULL DEFAULT 1,
    server_enabled INTEGER NOT NULL DEFAULT 1,
    is_local INTEGER NOT NULL DEFAULT 0,
    is_deleted INTEGER NOT NULL DEFAULT 0,
    local_state TEXT
);
CREATE INDEX variants_sequence ON variants (sequence_id, position);

-- Per-variant performance from the analytics pull; may arrive before the sequences.
CREATE TABLE variant_stats (
    variant_id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL,
    sequence_id TEXT,
    step INTEGER,
    enabled INTEGER,
    sent INTEGER NOT NULL DEFAULT 0,
    replies INTEGER NOT NULL DEFAULT 0,
    reply_rate REAL NOT NULL DEFAULT 0,
    positive_replies INTEGER NOT NULL DEFAULT 0,
    positive_reply_rate REAL NOT NULL DEFAULT 0
);
CREATE INDEX variant_stats_campaign ON variant_stats (campaign_id);

-- Campaign <-> inbox links, filled from both sides (campaign.inboxes and inbox.campaigns),
-- so each side's projection is kept; either side may be unknown locally.
CREATE TABLE campaign_inboxes (
    campaign_id TEXT NOT NULL,
    inbox_id TEXT NOT NULL,
    email TEXT,
    provider TEXT,
    is_active INTEGER,
    connection_status TEXT,
    campaign_name TEXT,
    campaign_status TEXT,
    pending_op TEXT,                   -- 'attach' or 'detach' while queued
    PRIMARY KEY (campaign_id, inbox_id)
) WITHOUT ROWID;
CREATE INDEX campaign_inboxes_inbox ON campaign_inboxes (inbox_id);

CREATE TABLE inboxes (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL DEFAULT '',
    domain TEXT NOT NULL DEFAULT '',
    provider TEXT,
    connection_type TEXT,
    connection_status TEXT,
    first_name TEXT,
    server_first_name TEXT,
    last_name TEXT,
    server_last_name TEXT,
    reply_to TEXT,
    server_reply_to TEXT,
    signature TEXT,
    server_signature TEXT,
    is_active INTEGER,
    server_is_active INTEGER,
    is_warming INTEGER,
    server_is_warming INTEGER,
    daily_campaign_limit INTEGER,
    server_daily_campaign_limit INTEGER,
    daily_warmup_limit INTEGER,
    server_daily_warmup_limit INTEGER,
    created_at TEXT,
    updated_at TEXT,
    content_hash TEXT,
    local_state TEXT
);

CREATE TABLE warmup_stats (
    inbox_id TEXT PRIMARY KEY,
    sent INTEGER NOT NULL DEFAULT 0,
    received INTEGER NOT NULL DEFAULT 0,
    saved_from_spam INTEGER NOT NULL DEFAULT 0,
    health_score INTEGER,
    ramp_up_progress INTEGER,
    pulled_at TEXT
);

CREATE TABLE warmup_daily (
    inbox_id TEXT NOT NULL,
    date TEXT NOT NULL,
    sent INTEGER NOT NULL DEFAULT 0,
    spam_count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (inbox_id, date)
) WITHOUT ROWID;

CREATE TABLE leads (
    id TEXT PRIMARY KEY,
    campaign_id TEXT NOT NULL
        REFERENCES campaigns (id) ON DELETE CASCADE ON UPDATE CASCADE,
    email TEXT NOT NULL DEFAULT '',
    first_name TEXT,
    last_name TEXT,
    status TEXT,
    is_bounced INTEGER NOT NULL DEFAULT 0,
    is_unsubscribed INTEGER NOT NULL DEFAULT 0,
    provider TEXT,
    variables TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL DEFAULT '',  -- '' not NULL: leads page by (created_at, id)
    updated_at TEXT,
    content_hash TEXT,
    is_local INTEGER NOT NULL DEFAULT 0,
    is_deleted INTEGER NOT NULL DEFAULT 0,
    local_state TEXT
);
CREATE INDEX leads_campaign_recent ON leads (campaign_id, created_at, id);
CREATE INDEX leads_email ON leads (email);

CREATE TABLE blocklist (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    created_at TEXT,
    is_local INTEGER NOT NULL DEFAULT 0,
    is_deleted INTEGER NOT NULL DEFAULT 0,
    local_state TEXT
);
CREATE INDEX blocklist_email ON blocklist (email);
"""

_OUTBOX = """
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,   -- never reused: the push order
    resource TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    op TEXT NOT NULL,
    field TEXT,                             -- for op = 'update'
    value TEXT NOT NULL DEFAULT 'null',     -- JSON
    base TEXT NOT NULL DEFAULT 'null',      -- JSON: the server value the user saw
    context TEXT NOT NULL DEFAULT '{}',     -- JSON: e.g. campaign_id for variant URLs
    state TEXT NOT NULL DEFAULT 'pending'
        CHECK (state IN ('pending', 'in_flight', 'done', 'failed', 'conflict')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    idempotency_key TEXT NOT NULL UNIQUE,
    theirs TEXT,                            -- JSON: the server value when in conflict
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX outbox_state ON outbox (state, id);
CREATE INDEX outbox_target ON outbox (resource, resource_id, field);

CREATE TABLE conflict_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    resource TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    field TEXT,
    base TEXT,                              -- JSON
    theirs TEXT,                            -- JSON: the server value at the time
    mine TEXT,                              -- JSON
    resolution TEXT NOT NULL,               -- overwritten | kept_mine | took_theirs
    outbox_id INTEGER
);

CREATE TABLE sync_state (
    resource TEXT NOT NULL,
    scope TEXT NOT NULL DEFAULT '',         -- e.g. a folder or a campaign id
    last_pulled_at TEXT,
    last_full_at TEXT,                      -- last full reconcile (deletions detected)
    last_error TEXT,
    PRIMARY KEY (resource, scope)
) WITHOUT ROWID;
"""

# One document per conversation (rowid = conversations.seq). The table keeps its own copy
# of the text: SQLite 3.40 has no contentless-delete, and an external-content table
# would need the body text as a column of `conversations`. No prefix index: measured, it
# nearly doubled the indexing cost and did not speed up 3-letter prefix queries.
_SEARCH = """
CREATE VIRTUAL TABLE conversation_fts USING fts5(
    subject, body, people,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO conversation_fts (rowid, subject, body, people)
SELECT c.seq, c.subject,
       (SELECT group_concat(m.text_body, ' ') FROM messages m
         WHERE m.conversation_id = c.id),
       c.sender_name || ' ' || c.sender_email
FROM conversations c;
"""

# A campaign whose deletion is queued is hidden like any other deleted row (the generic
# undo of a delete resets `is_deleted`, so the column must exist on every deletable table).
_CAMPAIGN_DELETION = """
ALTER TABLE campaigns ADD COLUMN is_deleted INTEGER NOT NULL DEFAULT 0;
"""

# Placeholder ids renamed to the server's: a screen opened on a `local-…` row (a draft
# campaign being set up) finds its row again after the sync that created it.
_RENAMES = """
CREATE TABLE placeholder_renames (
    placeholder TEXT PRIMARY KEY,
    server_id TEXT NOT NULL
) WITHOUT ROWID;
"""

# The request pace a sync learned from a server (announced in X-RateLimit-*, or found by
# its 429s), so the next sync of the profile starts there instead of rediscovering it.
_REQUEST_PACE = """
CREATE TABLE request_pace (
    server TEXT PRIMARY KEY,                -- the API root, e.g. https://host/api/v1/
    requests_per_second REAL NOT NULL,
    announced INTEGER NOT NULL DEFAULT 0,   -- 1: the server's X-RateLimit-*; 0: learned
    learned_at TEXT NOT NULL
) WITHOUT ROWID;
"""

# Snippets (saved replies): local to the cache, the API has none, so no outbox and no
# server columns. `key` is the name case-folded (`str.casefold`, Unicode-wide, where
# SQLite's NOCASE folds ASCII only): names are unique ignoring case.
_SNIPPETS = """
CREATE TABLE snippets (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
"""

# The search documents keyed by recency (issue 16). The document's rowid becomes the
# conversation's search key, the second of its last_activity times 2**28 plus its seq
# modulo 2**28 (`search.SEARCH_KEY_SQL`), so the newest matches of any query are a walk
# of the index from the top. The text moves to `conversation_search`, a table of its own
# in seq order (FTS5 reads it by key through the unique index): an FTS5 table's own copy
# is ordered by rowid, and a page of conversations with keys all over the year wrote a
# random page of it per document. 3-letter prefixes get their own index: at 1,000,000
# conversations one matches up to ~900,000 documents, which FTS5 otherwise merges term
# by term for every query. The documents go in in key order (FTS5 writes a segment
# whenever a rowid goes down). FTS5 merges its segments 8 at a time instead of 4: each
# page of a sync is a segment of its own, and at 1,000,000 conversations the merges were
# most of the ingest (measured: 2,550-3,200 -> 3,750-4,050 conversations/s of CPU time;
# searches walk a few more segments). Each row copied and indexed calls
# `migration_progress()` (always true; added after the step's release, it changes nothing
# in the result) so that the upgrade of a big cache says how far it got.
_SEARCH_BY_RECENCY = """
CREATE TABLE conversation_search (
    seq INTEGER PRIMARY KEY,           -- conversations.seq
    key INTEGER NOT NULL UNIQUE,       -- the search key: the document's rowid
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL DEFAULT '',
    people TEXT NOT NULL DEFAULT ''
);
INSERT INTO conversation_search (seq, key, subject, body, people)
SELECT c.seq,
       MIN(MAX(CAST(COALESCE(strftime('%s', c.last_activity), 0) AS INTEGER), 0), 34359738367)
       * 268435456 + c.seq % 268435456,
       COALESCE(f.subject, ''), COALESCE(f.body, ''), COALESCE(f.people, '')
FROM conversation_fts f CROSS JOIN conversations c ON c.seq = f.rowid
WHERE migration_progress();
DROP TABLE conversation_fts;
CREATE VIRTUAL TABLE conversation_fts USING fts5(
    subject, body, people,
    content = 'conversation_search',
    content_rowid = 'key',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '3'
);
INSERT INTO conversation_fts (conversation_fts, rank) VALUES ('automerge', 8);
INSERT INTO conversation_fts (rowid, subject, body, people)
SELECT key, subject, body, people FROM conversation_search WHERE migration_progress()
ORDER BY key;
"""

# Snoozed conversations (issue 17): local to the cache, the API has no such field. A row
# hides its conversation from every list but the Snoozed view until `until`; then it is
# deleted and the conversation's `returned_at` set, which lifts its `last_activity` (the
# list's order) to the moment it came back: ingest keeps the later of the two. `seq` (the
# rowid, in every index) lets the lists test "snoozed?" without reading the table row.
_SNOOZES = """
CREATE TABLE snoozes (
    seq INTEGER PRIMARY KEY REFERENCES conversations (seq) ON DELETE CASCADE,
    until TEXT NOT NULL,                    -- UTC, `codec.sortable_time` form
    snoozed_at TEXT NOT NULL                -- a newer incoming message wakes it early
);
CREATE INDEX snoozes_until ON snoozes (until);
ALTER TABLE conversations ADD COLUMN returned_at TEXT;
"""

# Search documents stored but not yet in the full-text index (issue 16): a sync's pages
# write their documents' text to `conversation_search` and their keys here, and the
# documents of many pages go into `conversation_fts` together, in key order, in a
# transaction of their own (`search.deferred_indexing`). Writing the index page by page
# made a segment of 100 documents per page, and merging them was most of the ingest at
# 1,000,000 conversations. A key is here exactly while its document is in
# `conversation_search` and not in the index; opening the cache indexes what a crash
# left here. FTS5 now merges 16 segments at a time (8 before): fewer levels, each
# document's postings rewritten fewer times. Measured, growing a cache to 1,000,000 in
# the same run: 4,406 -> 4,728 conversations/s; searches the same (p90 7.1 / 6.9 ms).
_SEARCH_PENDING = """
CREATE TABLE search_pending (
    key INTEGER PRIMARY KEY            -- conversation_search.key
);
INSERT INTO conversation_fts (conversation_fts, rank) VALUES ('automerge', 16);
"""

# Index i holds the step that brings version i to version i + 1.
MIGRATIONS: tuple[str, ...] = (
    _RESOURCES,
    _OUTBOX,
    _SEARCH,
    _CAMPAIGN_DELETION,
    _RENAMES,
    _REQUEST_PACE,
    _SNIPPETS,
    _SEARCH_BY_RECENCY,
    _SNOOZES,
    _SEARCH_PENDING,
)
SCHEMA_VERSION = len(MIGRATIONS)
# Steps that rewrite every conversation's search document: minutes at 1,000,000
# conversations (measured 95–170 s), so they are announced before they start.
SLOW_STEPS: Final = frozenset({MIGRATIONS.index(_SEARCH_BY_RECENCY)})
ANNOUNCE_FROM_CONVERSATIONS = 20_000

log = logging.getLogger("outreach_tui.store")


class SchemaTooNewError(RuntimeError):
    """The database was written by a newer outreach-tui than this one."""


class _SlowStepProgress:
    """Counts the rows a slow step calls `migration_progress()` for (each conversation's
    document is copied, then indexed: two per conversation) and says every tenth done.

    Silent on a cache under `ANNOUNCE_FROM_CONVERSATIONS`: a small upgrade is quick."""

    def __init__(self, db: Database, version: int) -> None:
        self.version = version
        try:
            self.conversations = db.conn.execute("SELECT COUNT(*) FROM conversations").fetchone()[0]
        except sqlite3.Error:
            self.conversations = 0  # no conversations table yet: a new cache
        self.enabled = self.conversations >= ANNOUNCE_FROM_CONVERSATIONS
        self.rows = 0
        self.said = 0  # tenths reported so far

    def announce(self) -> None:
        """Say, before the step starts, that it will take a while (nothing else shows)."""
        if self.enabled:
            log.warning(
                "Upgrading the cache to schema %d: rebuilding the search index of %s"
                " conversations (about a minute per 500,000; do not interrupt)…",
                self.version,
                f"{self.conversations:,}",
            )

    def finished(self) -> None:
        """Say the step is committed (its last tenth includes the commit's writes)."""
        if self.enabled:
            log.warning("Upgrading the cache to schema %d: done", self.version)

    def tick(self) -> int:
        """One row done; reports each further tenth. Always 1 (the SQL's WHERE)."""
        if self.enabled:
            self.rows += 1
            tenths = min(10 * self.rows // (2 * self.conversations), 9)
            if tenths > self.said:
                self.said = tenths
                log.warning(
                    "Upgrading the cache to schema %d: %d%% done", self.version, tenths * 10
                )
        return 1


def schema_version(db: Database) -> int:
    """The database's `PRAGMA user_version`."""
    return int(db.conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: Database, target: int = SCHEMA_VERSION) -> int:
    """Apply the missing steps up to `target`, each in its own transaction.

    Returns the version reached. Raises `SchemaTooNewError` for a database from a newer
    release (rather than guessing at a schema it does not know).
    """
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"the cache database has schema version {current}; this outreach-tui "
            f"knows up to {SCHEMA_VERSION}"
        )
    conn = db.conn
    for version in range(current, target):
        script = MIGRATIONS[version]
        progress = _SlowStepProgress(db, version + 1) if version in SLOW_STEPS else None
        if progress is not None:
            progress.announce()
            conn.create_function("migration_progress", 0, progress.tick)
        try:
            # One script keeps the step and its version bump in one transaction;
            # executescript would commit an open transaction first, so none is open here.
            conn.executescript(
                f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {version + 1};\nCOMMIT;"
            )
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        if progress is not None:
            progress.finished()
    return schema_version(db)
