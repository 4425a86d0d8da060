"""The local SQLite cache: schema and migrations, ingest, the outbox, FTS search, queries.

Module map (imports point down this list; a package's modules import each other, never
their package's `__init__`):

- `status`           `status --json`: outbox counts per state, sync freshness
- `edits/`           the one write path of the UI and CLI: local change + outbox item
- `outbox/`          the durable outbox; callers import the package, which re-exports
                     `transitions` (claim / done / failed / conflict …, the state machine
                     and the API catalogue in its docstring) and `items` (`OutboxItem`,
                     enqueue, coalescing); `answers` and `undo` (what done / withdraw /
                     discard do to the cached rows), `conflicts` (the conflict log)
- `campaign_mailboxes`   which mailboxes send for a campaign: queued attach / detach marks
- `ingest/`          API objects -> cache, one transaction per page, change detection
- `queries/`         read queries by area: `conversations` (keyset windows,
                     `ConversationList`, counts, thread), `campaigns`, `leads`,
                     `mailboxes` (+ health overview), `warmup`, `blocklist`
- `sync_state`       per-resource pull state and freshness
- `checkpoints`      WAL checkpoints in the background during a sync
- `effective`        server columns + active outbox items -> effective columns + marker
- `search`           FTS5 documents keyed by recency (the newest matches first by a walk
                     of the index), safe queries from user text
- `conversation_summary`, `records`, `codec`, `fields`   thread summaries, row records,
                     conversions, the field catalogue
- `connection`       writer/reader connections
- `cache_file`       is this file our cache (application id, schema version, damage)?
                     and SQLite errors as sentences naming the file
- `schema`           tables and migrations
- `sync_lock`        one sync of a cache at a time across processes (OS file lock)

Words: "inbox" names two things in this project, the unified inbox (the conversation
list) and the sending accounts. In the store the first is *conversations*
(`queries.conversations`, `ingest.conversations`, `edits.conversations`) and the second
*mailboxes* (`queries.mailboxes`, `ingest.mailboxes`, `edits.mailboxes`,
`campaign_mailboxes`). Tables, API fields, CLI commands and function names keep the API's
"inbox" for a mailbox (table `inboxes`, `InboxRow`, `list_inboxes`, `outreach-tui
inboxes`): they are contracts.

Threads: one writer connection (`open_writer`), used by one thread at a time, every
write inside `write_transaction`; the UI reads on its own `open_reader` connection (WAL).
"""

from outreach_tui.store.connection import open_reader, open_writer, write_transaction

__all__ = ["open_reader", "open_writer", "write_transaction"]
