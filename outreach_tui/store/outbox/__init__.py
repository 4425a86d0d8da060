"""The durable outbox: every local change waiting to reach the server.

Modules (imports point down this list; none imports this `__init__`):

- `transitions`   claim / done / failed / conflict / requeue and the user's withdraw,
                  discard, retry, keep mine, take theirs, revert; its docstring holds the
                  state machine and the catalogue of (resource, op, field) -> API call
- `answers`       what `mark_done` does to the cached rows with the server's answer
- `undo`          what withdraw / discard do to the cached rows
- `conflicts`     the conflict log (overwritten server values, resolved conflicts)
- `items`         `OutboxItem`, states, reading, enqueue and coalescing of field edits

Callers import this package (`from outreach_tui.store import outbox`): it re-exports the
public API of `transitions` and `items`. The conflict log is `outbox.conflicts`.
"""

from outreach_tui.store.outbox.items import (
    CONFLICT,
    DONE,
    FAILED,
    IN_FLIGHT,
    LOCAL_ID_PREFIX,
    PENDING,
    STATES,
    OutboxError,
    OutboxItem,
    enqueue,
    enqueue_field,
    get_item,
    list_items,
    new_local_id,
    server_value,
    set_server_value,
)
from outreach_tui.store.outbox.transitions import (
    claim_next,
    discard,
    in_flight_items,
    keep_mine,
    log_overwrite,
    mark_done,
    mark_failed,
    prune_done,
    put_in_conflict,
    queue_link_op,
    requeue,
    retry,
    revert,
    state_counts,
    take_theirs,
    withdraw,
)

__all__ = [
    "CONFLICT",
    "DONE",
    "FAILED",
    "IN_FLIGHT",
    "LOCAL_ID_PREFIX",
    "PENDING",
    "STATES",
    "OutboxError",
    "OutboxItem",
    "claim_next",
    "discard",
    "enqueue",
    "enqueue_field",
    "get_item",
    "in_flight_items",
    "keep_mine",
    "list_items",
    "log_overwrite",
    "mark_done",
    "mark_failed",
    "new_local_id",
    "prune_done",
    "put_in_conflict",
    "queue_link_op",
    "requeue",
    "retry",
    "revert",
    "server_value",
    "set_server_value",
    "state_counts",
    "take_theirs",
    "withdraw",
]
