"""The durable outbox: every local change waiting to reach the server.

State machine (DESIGN.md "Data flow")::

    pending -> in_flight -> done | failed | conflict
    in_flight -> pending        (requeue: network error, server state checked first)
    failed -> pending           (retry)      failed -> removed    (discard)
    conflict -> pending         (keep mine)  conflict -> removed  (take theirs)
    pending -> removed          (withdraw = undo before the push)

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

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from outreach_tui.store import answers, conflicts, links, undo
from outreach_tui.store.codec import dumps, from_column, loads, now_iso, to_column
from outreach_tui.store.connection import write_transaction
from outreach_tui.store.effective import refresh_rows
from outreach_tui.store.fields import FIELDS, Policy, field_spec

PENDING = "pending"
IN_FLIGHT = "in_flight"
DONE = "done"
FAILED = "failed"
CONFLICT = "conflict"
STATES: tuple[str, ...] = (PENDING, IN_FLIGHT, DONE, FAILED, CONFLICT)

LOCAL_ID_PREFIX = "local-"
_ERROR_CHARS = 500


class OutboxError(ValueError):
    """A transition that the item's current state does not allow (or no such item)."""


@dataclass(frozen=True)
class OutboxItem:
    """One queued change; `value`, `base`, `theirs` and `context` are decoded JSON."""

    id: int
    resource: str
    resource_id: str
    op: str
    field: str | None
    value: Any
    base: Any
    context: dict[str, Any]
    state: str
    attempts: int
    last_error: str | None
    idempotency_key: str
    theirs: Any
    created_at: str
    updated_at: str

    @property
    def policy(self) -> Policy | None:
        """The conflict policy of a field update (None for other ops)."""
        if self.op != "update" or self.field is None:
            return None
        spec = FIELDS.get((self.resource, self.field))
        return spec.policy if spec else None

    @property
    def origin(self) -> Any:
        """The value that means "no change" (an edit back to it withdraws the item)."""
        return self.context.get("origin", self.base)


_COLUMNS = (
    "id, resource, resource_id, op, field, value, base, context, state, attempts,"
    " last_error, idempotency_key, theirs, created_at, updated_at"
)


def _item(row: tuple[Any, ...]) -> OutboxItem:
    return OutboxItem(
        id=row[0],
        resource=row[1],
        resource_id=row[2],
        op=row[3],
        field=row[4],
        value=loads(row[5]),
        base=loads(row[6]),
        context=loads(row[7], {}),
        state=row[8],
        attempts=row[9],
        last_error=row[10],
        idempotency_key=row[11],
        theirs=loads(row[12]),
        created_at=row[13],
        updated_at=row[14],
    )


def get_item(db: Database, item_id: int) -> OutboxItem:
    """The item `item_id`; `OutboxError` when there is none."""
    row = db.conn.execute(f"SELECT {_COLUMNS} FROM outbox WHERE id = ?", [item_id]).fetchone()
    if row is None:
        raise OutboxError(f"no outbox item {item_id}")
    return _item(row)


def list_items(
    db: Database,
    states: Iterable[str] | None = None,
    *,
    resource: str | None = None,
    resource_id: str | None = None,
) -> list[OutboxItem]:
    """Items in push order, optionally restricted to some states and one row."""
    where, params = [], []
    if states is not None:
        wanted = list(states)
        where.append(f"state IN ({','.join('?' * len(wanted))})")
        params.extend(wanted)
    if resource is not None:
        where.append("resource = ?")
        params.append(resource)
    if resource_id is not None:
        where.append("resource_id = ?")
        params.append(resource_id)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    cursor = db.conn.execute(f"SELECT {_COLUMNS} FROM outbox{clause} ORDER BY id", params)
    return [_item(r) for r in cursor]


def new_local_id() -> str:
    """A placeholder id for a row created here and not yet on the server."""
    return f"{LOCAL_ID_PREFIX}{uuid.uuid4().hex}"


def enqueue(
    db: Database,
    resource: str,
    resource_id: str,
    op: str,
    value: Any = None,
    *,
    field: str | None = None,
    base: Any = None,
    context: dict[str, Any] | None = None,
) -> OutboxItem:
    """Append an item (no coalescing). Call inside the transaction of the local change."""
    now = now_iso()
    with write_transaction(db):
        cursor = db.conn.execute(
            "INSERT INTO outbox (resource, resource_id, op, field, value, base, context,"
            " state, idempotency_key, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)",
            [
                resource,
                resource_id,
                op,
                field,
                dumps(value),
                dumps(base),
                dumps(context or {}),
                str(uuid.uuid4()),
                now,
                now,
            ],
        )
        return get_item(db, int(cursor.lastrowid or 0))


def enqueue_field(
    db: Database,
    resource: str,
    resource_id: str,
    field: str,
    value: Any,
    base: Any,
    *,
    context: dict[str, Any] | None = None,
) -> OutboxItem | None:
    """Queue a field edit and apply it to the effective columns, coalescing.

    - a pending (or failed) item for the same field takes the new value and keeps its
      original base (a failed one goes back to pending); one in conflict keeps waiting;
    - an edit back to the item's origin (its base, or `context["origin"]`) withdraws it;
    - while an item for the field is in flight, a new item is added whose base is the
      in-flight value;
    - an edit that changes nothing queues nothing.
    Returns the item now carrying the edit, or None when nothing is queued.
    """
    field_spec(resource, field)  # ValueError for a field that cannot be edited
    with write_transaction(db):
        items = [
            i
            for i in list_items(db, (PENDING, IN_FLIGHT, FAILED, CONFLICT), resource=resource)
            if i.resource_id == resource_id and i.field == field and i.op == "update"
        ]
        open_item = next((i for i in reversed(items) if i.state != IN_FLIGHT), None)
        in_flight = next((i for i in reversed(items) if i.state == IN_FLIGHT), None)
        result: OutboxItem | None
        if open_item is not None and (in_flight is None or open_item.id > in_flight.id):
            if open_item.state != CONFLICT and value == open_item.origin:
                db.conn.execute("DELETE FROM outbox WHERE id = ?", [open_item.id])
                result = None
            else:
                state = CONFLICT if open_item.state == CONFLICT else PENDING
                db.conn.execute(
                    "UPDATE outbox SET value = ?, state = ?, last_error = NULL,"
                    " updated_at = ? WHERE id = ?",
                    [dumps(value), state, now_iso(), open_item.id],
                )
                result = get_item(db, open_item.id)
        elif in_flight is not None:
            if value == in_flight.value:
                result = None
            else:
                # Once the in-flight value lands it is what the server holds.
                landed = in_flight.value
                if landed is None and field == "label_override":
                    landed = server_value(db, resource, resource_id, field)
                result = enqueue(
                    db,
                    resource,
                    resource_id,
                    "update",
                    value,
                    field=field,
                    base=landed,
                    context={**(context or {}), "origin": in_flight.value},
                )
        elif value == (context or {}).get("origin", base):
            result = None
        else:
            result = enqueue(
                db, resource, resource_id, "update", value, field=field, base=base, context=context
            )
        refresh_rows(db, resource, [resource_id])
        return result


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


def _require(item: OutboxItem, *states: str) -> None:
    if item.state not in states:
        raise OutboxError(f"outbox item {item.id} is {item.state}, expected {' or '.join(states)}")


def _set_state(db: Database, item_id: int, state: str, **columns: Any) -> None:
    assignments = "".join(f", {k} = ?" for k in columns)
    db.conn.execute(
        f"UPDATE outbox SET state = ?, updated_at = ?{assignments} WHERE id = ?",
        [state, now_iso(), *columns.values(), item_id],
    )


def mark_done(db: Database, item_id: int, answer: Any = None) -> OutboxItem:
    """The server accepted the item: apply its answer to the server columns.

    `answer` is the response's `data` (None for 204s, or when unknown — then the item's
    own value is taken as the server's). Placeholders are renamed to the server id.
    """
    with write_transaction(db):
        item = get_item(db, item_id)
        _require(item, IN_FLIGHT, PENDING)
        _set_state(db, item_id, DONE, last_error=None, theirs=None)
        answers.apply_answer(db, item, answer)
        return get_item(db, item_id)


def mark_failed(db: Database, item_id: int, message: str) -> OutboxItem:
    """The server refused the item (e.g. 422): keep the local edit, show `message`."""
    with write_transaction(db):
        item = get_item(db, item_id)
        _require(item, IN_FLIGHT, PENDING)
        line = " ".join(message.split())[:_ERROR_CHARS]
        _set_state(db, item_id, FAILED, last_error=line)
        refresh_rows(db, item.resource, [item.resource_id])
        return get_item(db, item_id)


def put_in_conflict(db: Database, item_id: int, theirs: Any) -> OutboxItem:
    """The server changed the field since the user's base: wait for keep mine / theirs.

    `theirs` (the fresh server value) is stored on the item and in the server column;
    the effective value stays the user's.
    """
    with write_transaction(db):
        item = get_item(db, item_id)
        _require(item, IN_FLIGHT, PENDING)
        if item.op != "update" or item.field is None:
            raise OutboxError(f"outbox item {item_id} is not a field edit")
        _set_state(db, item_id, CONFLICT, theirs=dumps(theirs))
        set_server_value(db, item.resource, item.resource_id, item.field, theirs)
        refresh_rows(db, item.resource, [item.resource_id])
        return get_item(db, item_id)


def log_overwrite(db: Database, item_id: int, theirs: Any) -> None:
    """Record that pushing the item overwrites server value `theirs` (conflict log).

    For OVERWRITE-policy fields, when the fresh server value differs from both the
    item's base and its value; the engine then pushes the item as usual.
    """
    with write_transaction(db):
        conflicts.record(db, get_item(db, item_id), theirs, "overwritten")


def requeue(db: Database, item_id: int, error: str | None = None) -> OutboxItem:
    """Put an in-flight item back to pending (e.g. after a network error)."""
    with write_transaction(db):
        _require(get_item(db, item_id), IN_FLIGHT)
        _set_state(db, item_id, PENDING, last_error=error)
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


def withdraw(db: Database, item_id: int) -> None:
    """Undo a pending item before it is pushed: the local change is rolled back."""
    with write_transaction(db):
        item = get_item(db, item_id)
        _require(item, PENDING)
        _remove(db, item)


def discard(db: Database, item_id: int) -> None:
    """Give up a failed item: the local value returns to the server value."""
    with write_transaction(db):
        item = get_item(db, item_id)
        _require(item, FAILED)
        _remove(db, item)


def _remove(db: Database, item: OutboxItem) -> None:
    db.conn.execute("DELETE FROM outbox WHERE id = ?", [item.id])
    undo.undo_local(db, item)
    refresh_rows(db, item.resource, [item.resource_id])


def retry(db: Database, item_id: int) -> OutboxItem:
    """Send a failed item again (back to pending)."""
    with write_transaction(db):
        item = get_item(db, item_id)
        _require(item, FAILED)
        _set_state(db, item_id, PENDING, last_error=None)
        refresh_rows(db, item.resource, [item.resource_id])
        return get_item(db, item_id)


def keep_mine(db: Database, item_id: int) -> OutboxItem:
    """Resolve a conflict for the user's version: pending again with base = theirs."""
    with write_transaction(db):
        item = get_item(db, item_id)
        _require(item, CONFLICT)
        conflicts.record(db, item, item.theirs, "kept_mine")
        _set_state(db, item_id, PENDING, base=dumps(item.theirs), theirs=None, last_error=None)
        context = {**item.context, "origin": item.theirs}
        db.conn.execute("UPDATE outbox SET context = ? WHERE id = ?", [dumps(context), item_id])
        refresh_rows(db, item.resource, [item.resource_id])
        return get_item(db, item_id)


def take_theirs(db: Database, item_id: int) -> None:
    """Resolve a conflict for the server's version: the local value becomes theirs.

    The item is removed; both versions stay readable in the conflict log.
    """
    with write_transaction(db):
        item = get_item(db, item_id)
        _require(item, CONFLICT)
        conflicts.record(db, item, item.theirs, "took_theirs")
        db.conn.execute("DELETE FROM outbox WHERE id = ?", [item_id])
        refresh_rows(db, item.resource, [item.resource_id])


def revert(db: Database, item_id: int) -> list[OutboxItem]:
    """Undo a change already pushed: queue a new change back to the previous value.

    Field edits go back to their origin; attach and detach queue the opposite op.
    Replies, creates and deletes cannot be reverted (`OutboxError`).
    """
    with write_transaction(db):
        item = get_item(db, item_id)
        _require(item, DONE)
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
                db, item.resource_id, undo.link_inbox_ids(item), attach=item.op != "attach_inboxes"
            )
        raise OutboxError(f"a {item.resource} {item.op} cannot be reverted")


def queue_link_op(
    db: Database, campaign_id: str, inbox_ids: Iterable[str], *, attach: bool
) -> list[OutboxItem]:
    """Attach (or detach) inboxes locally and queue the call; [] when nothing changes."""
    with write_transaction(db):
        if attach:
            changed = links.mark_attach(db, campaign_id, inbox_ids)
        else:
            changed = links.mark_detach(db, campaign_id, inbox_ids)
        if not changed:
            return []
        op = "attach_inboxes" if attach else "detach_inboxes"
        item = enqueue(db, "campaign", campaign_id, op, {"inbox_ids": changed})
        refresh_rows(db, "campaign", [campaign_id])
        return [item]


def server_value(db: Database, resource: str, resource_id: str, field: str) -> Any:
    """The server's value of a field as cached (for the label: the effective label)."""
    spec = field_spec(resource, field)
    column = "server_label" if spec.server_column == "server_override" else spec.server_column
    row = db.conn.execute(
        f"SELECT {column} FROM {spec.table} WHERE id = ?", [resource_id]
    ).fetchone()
    if row is None:
        return None
    return from_column(spec, row[0])


def set_server_value(db: Database, resource: str, resource_id: str, field: str, value: Any) -> None:
    """Write a field's server column (for the label: the effective server label)."""
    spec = field_spec(resource, field)
    column = "server_label" if spec.server_column == "server_override" else spec.server_column
    db.conn.execute(
        f"UPDATE {spec.table} SET {column} = ? WHERE id = ?",
        [to_column(spec, value), resource_id],
    )
