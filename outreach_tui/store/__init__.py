"""The local SQLite cache: schema and migrations, ingest, the outbox, FTS search, queries.

Module map (imports point down this list):

- `edits`            the one write path of the UI and CLI: local change + outbox item
- `outbox/`          the durable outbox: `transitions` (claim / done / failed / conflict …),
                     `items` (`OutboxItem`, enqueue, coalescing), `answers`, `undo` (what
                     done / withdraw / discard do to the cached rows), `conflicts` (the log)
- `campaign_mailboxes`   which mailboxes send for a campaign: queued attach / detach marks
- `ingest`           API objects -> cache, one transaction per page, change detection
- `queries/`         read queries by area: `conversations` (keyset windows, `ConversationList`,
                     counts, thread), `campaigns`, `leads`, `mailboxes`, `warmup`, `blocklist`
- `status`, `sync_state`   `status --json`, freshness
- `effective`        server columns + active outbox items -> effective columns + marker
- `search`           FTS5 documents and safe queries from user text
- `fields`, `codec`, `records`, `conversation_summary`   catalogue, conversions, records
- `connection`, `schema`       writer/reader connections, migrations
- `cache_file`       is this file our cache (application id, schema version, damage)?
                     and SQLite errors as sentences naming the file
- `sync_lock`        one sync of a cache at a time across processes (OS file lock)

Threads: one writer connection (`open_writer`), used by one thread at a time, every
write inside `write_transaction`; the UI reads on its own `open_reader` connection (WAL).
"""

from outreach_tui.store.connection import open_reader, open_writer, write_transaction

__all__ = ["open_reader", "open_writer", "write_transaction"]
