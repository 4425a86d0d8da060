"""Read queries of the screens and commands, one module per area. Effective values
throughout (pending edits included); rows whose deletion is queued are hidden. They only
read: run them on a reader connection (`connection.open_reader`).

- `conversations`   the unified inbox: keyset windows, `ConversationList`, counts, thread
- `campaigns`       campaign list and detail: daily points, sequences, variants, mailboxes
- `leads`           a campaign's leads: filtered counts, pages by position and by keyset

Import the module you need (`from outreach_tui.store.queries import conversations`); this
package re-exports nothing.
"""
