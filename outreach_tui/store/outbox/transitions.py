"""The durable outbox's state transitions (the items themselves, one per local change
waiting to reach the server: `items`).

State machine (DESIGN.md "Data flow")::

    pending -> in_flight -> done | failed | conflict
    in_flight -> pending        (requeue: network error, server state checked first)
    failed -> pending           (retry)      failed -> removed    (discard)
    conflict -> pending         (keep mine)  conflict -> removed  (take theirs)
    pending -> removed          (withdraw = undo before the push)

Every transition is a compare-and-set inside one write transaction (`BEGIN IMMEDIATE`, so
no other connection changes the row between the look and the update). What each does when
the item is not in the state it expects:

    claim_next       pending                -> in_flight   selects only pending rows
    mark_done        in_flight|pending      -> done        anything else or gone: no-op, None
    mark_failed      in_flight|pending      -> failed      anything else or gone: no-op, None
    put_in_conflict  in_flight|pending      -> conflict    anything else or gone: no-op, None
    requeue          in_flight              -> pending     anything else or gone: no-op, None
    log_overwrite    (any, adds a log row)                 gone: no-op
    withdraw         pending                -> removed     gone: no-op; else OutboxError
    discard          failed                 -> removed     gone: no-op; else OutboxError
    retry            failed                 -> pending     pending/in_flight/done: no-op,
                                                           None; else OutboxError
    keep_mine        conflict               -> pending     pending/in_flight/done: no-op,
                                                           None; else OutboxError
    take_theirs      conflict               -> removed     gone: no-op; else OutboxError
    revert           done                   -> new item    else OutboxError

The engine's transitions (done, failed, conflict, requeue) return None for a no-op: the
item was already where the transition would take it or was decided elsewhere, and the sync
counts it (`SyncReport.already_handled`) instead of failing. The user's transitions refuse
with an `OutboxError` whose message is a sentence for the screen only when the item moved
somewhere the action makes no sense (withdrawing a reply already sent); a repeat of what
already happened is a no-op. Since one sync of a cache runs at a time (`sync_lock`), the
engine's no-ops only happen after a run was interrupted at an unlucky moment.

An item is written in the same transaction as the local change it describes (`edits`
does both), so a change the UI shows is never lost. `idempotency_key` is fixed at
enqueue and sent with every attempt. `base` is the server value the user saw when first
editing; the push compares it with the freshest server value (conflict check).

Catalogue — each (resource, op, field) becomes exactly one API call (paths under /api/v1;
`context` supplies the ids a path needs besides `resource_id`, the item's id):

    conversation update label_override    PATCH  /unibox/conversations/:id {label_override}
    conversation update is_read           PATCH  /unibox/conversations/:id {is_read}
    conversation reply                    POST   /unibox/conversations/:id/reply {content}
    conversation create                   POST   /unibox/conversations
                                                 {inbox_id?, to, subject, content}
    campaign update <field>               PATCH  /campaigns/:id {<field>: value}
        field: name, status, daily_limit, stop_on_reply, stop_on_company_reply,
               text_only, esp_matching, unsubscribe_option
    campaign update schedule              PATCH  /campaigns/:id/schedule (value = body)
    campaign attach_inboxes               POST   /campaigns/:id/inboxes/attach {inbox_ids}
    campaign detach_inboxes               POST   /campaigns/:id/inboxes/detach {inbox_ids}
    sequence create                       POST   /campaigns/:campaign_id/sequences
                                                 {delay_days}
    sequence update delay_days            PATCH  /campaigns/:campaign_id/sequences/:id
                                                 {delay_days}
    sequence delete                       DELETE /campaigns/:campaign_id/sequences/:id
    variant create                        POST   /campaigns/:campaign_id/sequences/
                                                 :sequence_id/variants
                                                 {subject, body_html?, enabled}
    variant update <field>                PATCH  /campaigns/:campaign_id/variants/:id
        field: subject, body_html, enabled       {<field>: value}
    variant delete                        DELETE /campaigns/:campaign_id/variants/:id
    inbox update <field>                  PATCH  /inboxes/:id {<field>: value}
        field: first_name, last_name, reply_to, signature, is_active, is_warming,
               daily_campaign_limit, daily_warmup_limit
    lead create                           POST   /campaigns/:campaign_id/leads
                                                 {email, first_name?, last_name?,
                                                  variables?}
    lead delete                           DELETE /campaigns/:campaign_id/leads/:id
    blocklist create                      POST   /blocklist {email}
    blocklist delete                      DELETE /blocklist/:id

For `create` ops `resource_id` is a local placeholder id (`local-…`) and `value` is the
request body; `mark_done` renames the placeholder to the server's id everywhere. For
`update` ops `value` is the new field value (`label_override`: None = back to the AI
label). Items that reference a placeholder not yet created are not claimed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlite_utils import Database

from outreach_tui.store import campaign_mailboxes
from outreach_tui.store.codec import dumps, now_iso
from outreach_tui.store.connection import write_transaction
from outreach_tui.store.effective import refresh_rows
from outreach_tui.store.outbox.answers import apply_answer
from outreach_tui.store.outbox.conflicts import record as record_conflict
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
    server_value,
    set_server_value,
)
from outreach_tui.store.outbox.undo import link_inbox_ids, undo_local

__all__ = [
    "claim_next",
    "discard",
    "in_flight_items",
    "keep_mine",
    "log_overwrite",
    "mark_done",
    "mark_failed",
    "prune_done",
    "put_in_conflict",
    "queue_link_op",
    "requeue",
    "retry",
    "revert",
    "state_counts",
    "take_theirs",
    "withdraw",
]

_ERROR_CHARS = 500


def _blocked(item: OutboxItem, busy_rows: set[tuple[str, str]]) -> bool:
    if (item.resource, item.resource_id) in busy_rows:
        return True  # one request at a time per row keeps the server's order = ours
    if item.resource_id.startswith(LOCAL_ID_PREFIX) and item.op != "create":
        return True  # its create has not succeeded yet
    return any(isinstance(v, str) and v.startswith(LOCAL_ID_PREFIX) for v in item.context.values())


def claim_next(db: Database, limit: int = 1) -> list[OutboxItem]:
    """Claim up to `limit` pending items in push order: -> in_flight, attempts + 1.

    Skips items whose row already has one in flight and items waiting for a placeholder
    (`local-…`) to be created.
    """
    claimed: list[OutboxItem] = []
    with write_transaction(db):
        busy = {(i.resource, i.resource_id) for i in list_items(db, (IN_FLIGHT,))}
        for item in list_items(db, (PENDING,)):
            if len(claimed) >= limit:
                break
            if _blocked(item, busy):
                continue
            db.conn.execute(
                "UPDATE outbox SET state = 'in_flight', attempts = attempts + 1,"
                " updated_at = ? WHERE id = ?",
                [now_iso(), item.id],
            )
            busy.add((item.resource, item.resource_id))
            claimed.append(get_item(db, item.id))
    return claimed


def _find(db: Database, item_id: int) -> OutboxItem | None:
    try:
        return get_item(db, item_id)
    except OutboxError:
        return None


def _set_state(
    db: Database, item: OutboxItem, expected: tuple[str, ...], state: str, **columns: Any
) -> bool:
    """Compare-and-set: move `item` to `state` if it is still in one of `expected`."""
    assignments = "".join(f", {k} = ?" for k in columns)
    placeholders = ",".join("?" * len(expected))
    cursor = db.conn.execute(
        f"UPDATE outbox SET state = ?, updated_at = ?{assignments}"
        f" WHERE id = ? AND state IN ({placeholders})",
        [state, now_iso(), *columns.values(), item.id, *expected],
    )
    return cursor.rowcount == 1


def _engine_move(
    db: Database, item_id: int, expected: tuple[str, ...], state: str, **columns: Any
) -> OutboxItem | None:
    """The engine's compare-and-set: the item before the move, or None (a no-op)."""
    item = _find(db, item_id)
    if item is None or item.state not in expected:
        return None
    return item if _set_state(db, item, expected, state, **columns) else None


_SENDING = (IN_FLIGHT, PENDING)


def mark_done(db: Database, item_id: int, answer: Any = None) -> OutboxItem | None:
    """The server accepted the item: apply its answer to the server columns.

    `answer` is the response's `data` (None for 204s, or when unknown — then the item's
    own value is taken as the server's). Placeholders are renamed to the server id.
    Returns the done item, or None when it was no longer pending or in flight (no-op).
    """
    with write_transaction(db):
        item = _engine_move(db, item_id, _SENDING, DONE, last_error=None, theirs=None)
        if item is None:
            return None
        apply_answer(db, item, answer)
        return get_item(db, item_id)


def mark_failed(db: Database, item_id: int, message: str) -> OutboxItem | None:
    """The server refused the item (e.g. 422): keep the local edit, show `message`.

    Returns the failed item, or None when it was no longer pending or in flight (no-op).
    """
    line = " ".join(message.split())[:_ERROR_CHARS]
    with write_transaction(db):
        item = _engine_move(db, item_id, _SENDING, FAILED, last_error=line)
        if item is None:
            return None
        refresh_rows(db, item.resource, [item.resource_id])
        return get_item(db, item_id)


def put_in_conflict(db: Database, item_id: int, theirs: Any) -> OutboxItem | None:
    """The server changed the field since the user's base: wait for keep mine / theirs.

    `theirs` (the fresh server value) is stored on the item and in the server column;
    the effective value stays the user's. Returns the item, or None (no-op) when it was
    no longer pending or in flight.
    """
    with write_transaction(db):
        item = _find(db, item_id)
        if item is not None and (item.op != "update" or item.field is None):
            raise OutboxError(f"outbox item {item_id} is not a field edit")
        item = _engine_move(db, item_id, _SENDING, CONFLICT, theirs=dumps(theirs))
        if item is None or item.field is None:
            return None
        set_server_value(db, item.resource, item.resource_id, item.field, theirs)
        refresh_rows(db, item.resource, [item.resource_id])
        return get_item(db, item_id)


def log_overwrite(db: Database, item_id: int, theirs: Any) -> None:
    """Record that pushing the item overwrites server value `theirs` (conflict log).

    For OVERWRITE-policy fields, when the fresh server value differs from both the
    item's base and its value; the engine then pushes the item as usual.
    """
    with write_transaction(db):
        item = _find(db, item_id)
        if item is not None:
            record_conflict(db, item, theirs, "overwritten")


def requeue(db: Database, item_id: int, error: str | None = None) -> OutboxItem | None:
    """Put an in-flight item back to pending (e.g. after a network error).

    Returns the pending item, or None when it was not in flight (no-op).
    """
    with write_transaction(db):
        if _engine_move(db, item_id, (IN_FLIGHT,), PENDING, last_error=error) is None:
            return None
        return get_item(db, item_id)


def in_flight_items(db: Database) -> list[OutboxItem]:
    """Items left in flight (after a crash): check the server before sending again."""
    return list_items(db, (IN_FLIGHT,))


def state_counts(db: Database) -> dict[str, int]:
    """Number of items per state (every state present, zero included)."""
    counts = dict.fromkeys(STATES, 0)
    counts.update(db.conn.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state"))
    return counts


def prune_done(db: Database, before: str) -> int:
    """Delete done items last updated before the ISO time `before`; returns how many."""
    with write_transaction(db):
        cursor = db.conn.execute(
            "DELETE FROM outbox WHERE state = 'done' AND updated_at < ?", [before]
        )
        return cursor.rowcount


# How each state reads in a refusal: "it is <...>".
_STATE_WORDS = {
    PENDING: "still waiting to be sent",
    IN_FLIGHT: "being sent right now",
    DONE: "already on the server",
    FAILED: "refused by the server",
    CONFLICT: "waiting for you to resolve a conflict",
}


def _user_item(
    db: Database, item_id: int, expected: str, verb: str, no_op: tuple[str, ...]
) -> OutboxItem | None:
    """The item for a user's action, None when the action is a no-op (see the table above).

    `no_op` are the states where the action has nothing left to do; "gone" is a no-op when
    the action removes the item. Any other state is refused with a sentence.
    """
    item = _find(db, item_id)
    if item is None:
        if "gone" in no_op:
            return None
        raise OutboxError(f"the change #{item_id} is no longer in the outbox; nothing to {verb}")
    if item.state == expected:
        return item
    if item.state in no_op:
        return None
    raise OutboxError(f"cannot {verb} the change #{item_id}: it is {_STATE_WORDS[item.state]}")


def withdraw(db: Database, item_id: int) -> None:
    """Undo a pending item before it is pushed: the local change is rolled back."""
    with write_transaction(db):
        item = _user_item(db, item_id, PENDING, "withdraw", ("gone",))
        if item is not None:
            _remove(db, item)


def discard(db: Database, item_id: int) -> None:
    """Give up a failed item: the local value returns to the server value."""
    with write_transaction(db):
        item = _user_item(db, item_id, FAILED, "discard", ("gone",))
        if item is not None:
            _remove(db, item)


def _remove(db: Database, item: OutboxItem) -> None:
    db.conn.execute("DELETE FROM outbox WHERE id = ? AND state = ?", [item.id, item.state])
    undo_local(db, item)
    refresh_rows(db, item.resource, [item.resource_id])


def retry(db: Database, item_id: int) -> OutboxItem | None:
    """Send a failed item again (back to pending); None when it is already on its way."""
    with write_transaction(db):
        item = _user_item(db, item_id, FAILED, "retry", (PENDING, IN_FLIGHT, DONE))
        if item is None:
            return None
        _set_state(db, item, (FAILED,), PENDING, last_error=None)
        refresh_rows(db, item.resource, [item.resource_id])
        return get_item(db, item_id)


def keep_mine(db: Database, item_id: int) -> OutboxItem | None:
    """Resolve a conflict for the user's version: pending again with base = theirs.

    None when the conflict was already resolved this way (the item is on its way).
    """
    with write_transaction(db):
        item = _user_item(db, item_id, CONFLICT, "keep your version of", (PENDING, IN_FLIGHT, DONE))
        if item is None:
            return None
        record_conflict(db, item, item.theirs, "kept_mine")
        context = {**item.context, "origin": item.theirs}
        _set_state(
            db,
            item,
            (CONFLICT,),
            PENDING,
            base=dumps(item.theirs),
            theirs=None,
            last_error=None,
            context=dumps(context),
        )
        refresh_rows(db, item.resource, [item.resource_id])
        return get_item(db, item_id)


def take_theirs(db: Database, item_id: int) -> None:
    """Resolve a conflict for the server's version: the local value becomes theirs.

    The item is removed; both versions stay readable in the conflict log.
    """
    with write_transaction(db):
        item = _user_item(db, item_id, CONFLICT, "take the server's version of", ("gone",))
        if item is None:
            return
        record_conflict(db, item, item.theirs, "took_theirs")
        db.conn.execute("DELETE FROM outbox WHERE id = ? AND state = ?", [item_id, CONFLICT])
        refresh_rows(db, item.resource, [item.resource_id])


def revert(db: Database, item_id: int) -> list[OutboxItem]:
    """Undo a change already pushed: queue a new change back to the previous value.

    Field edits go back to their origin; attach and detach queue the opposite op.
    Replies, creates and deletes cannot be reverted (`OutboxError`).
    """
    with write_transaction(db):
        item = get_item(db, item_id)
        if item.state != DONE:
            raise OutboxError(
                f"cannot revert the change #{item_id}: it has not been pushed yet, it is "
                f"{_STATE_WORDS[item.state]}"
            )
        if item.op == "update" and item.field is not None:
            server = server_value(db, item.resource, item.resource_id, item.field)
            if item.resource == "conversation" and item.field == "label_override":
                context = {"origin": item.value}
            else:
                context = {k: v for k, v in item.context.items() if k != "origin"}
            new = enqueue_field(
                db,
                item.resource,
                item.resource_id,
                item.field,
                item.origin,
                server,
                context=context,
            )
            return [new] if new else []
        if item.op in ("attach_inboxes", "detach_inboxes"):
            return queue_link_op(
                db, item.resource_id, link_inbox_ids(item), attach=item.op != "attach_inboxes"
            )
        raise OutboxError(f"a {item.resource} {item.op} cannot be reverted")


def queue_link_op(
    db: Database, campaign_id: str, inbox_ids: Iterable[str], *, attach: bool
) -> list[OutboxItem]:
    """Attach (or detach) inboxes locally and queue the call; [] when nothing changes."""
    with write_transaction(db):
        if attach:
            changed = campaign_mailboxes.mark_attach(db, campaign_id, inbox_ids)
        else:
            changed = campaign_mailboxes.mark_detach(db, campaign_id, inbox_ids)
        if not changed:
            return []
        op = "attach_inboxes" if attach else "detach_inboxes"
        item = enqueue(db, "campaign", campaign_id, op, {"inbox_ids": changed})
        refresh_rows(db, "campaign", [campaign_id])
        return [item]
