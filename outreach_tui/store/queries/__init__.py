"""Read queries of the screens and commands, one module per area. Effective values
throughout (pending edits included); rows whose deletion is queued are hidden. They only
read (the UI runs them on its `connection.open_reader` connection).

- `conversations`   the unified inbox: keyset windows, `ConversationList`, counts, thread
  `conversation_plan`    the SQL of a conversation filter, shared by the two below
  `conversation_search`  windows, counts, positions under search text (index walks)
- `campaigns`       campaign list and detail: daily points, sequences, variants, mailboxes
- `leads`           a campaign's leads: filtered counts, pages by position and by keyset
- `mailboxes`       the sending mailboxes (table `inboxes`), the campaigns each sends for,
                    and their health overview with `core.warmup`'s warnings
- `warmup`          the cached warmup statistics of each mailbox (totals, daily points)
- `blocklist`       the blocked addresses

Import the module you need (`from outreach_tui.store.queries import conversations`); this
package re-exports nothing.
"""
