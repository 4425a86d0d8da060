"""Push: drain the outbox to the server, in order, one request per item.

For a field edit the engine first compares the freshest server value with the item's
base (the value the user saw when editing): unchanged -> push; the server already holds
the user's value -> done; changed to something else -> for triage and settings fields the
user's latest action wins and the overwritten value goes to the conflict log, for long
text (variant subject/body, signature) nothing is overwritten: the item waits in
`conflict` for keep mine / take theirs.

Creates and replies could duplicate if sent twice, and the server may ignore
`Idempotency-Key`: when their outcome is unknown (timeout, dropped connection, 5xx, a
crash while in flight), `verify` looks at the server first and only a write that is
provably absent is sent again. Within one run such a write is sent at most
`MAX_SENDS_PER_RUN` times; after that it waits for the next run. A create or reply
interrupted by anything else (task cancellation, a bug) stays `in_flight`, so the next
run checks the server before sending it again.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from outreach_tui.api import (
    AuthenticationError,
    ConflictError,
    ForbiddenError,
    MalformedResponseError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    RequestValidationError,
    ServerError,
    ServerValidationError,
    UncertainWriteError,
)
from outreach_tui.store import ingest, outbox
from outreach_tui.store.fields import Policy
from outreach_tui.store.outbox import OutboxItem
from outreach_tui.sync import verify
from outreach_tui.sync.progress import SyncRun

# The server refused this item: it is marked failed, the local edit stays visible.
_REFUSED = (
    ServerValidationError,
    NotFoundError,
    ConflictError,
    ForbiddenError,
    RequestValidationError,
)
# The server could not be reached or kept failing: stop pushing, try again next sync.
_UNREACHABLE = (NetworkError, ServerError, RateLimitedError, MalformedResponseError)


# Sends of one create or reply per run whose outcome stays unknown (each followed by a
# look at the server) before the run gives up on it and leaves it for the next run.
MAX_SENDS_PER_RUN = 3
# A pause before looking for an uncertain write on the server: a request that timed out
# at a proxy may still be committing behind it.
VERIFY_SETTLE_SECONDS = 0.5
# Ops whose repetition could duplicate something on the server.
_DUPLICABLE = ("create", "reply")


class _Unknown:
    """The server's current value could not be determined (no conflict check possible)."""


UNKNOWN = _Unknown()


class _StillUncertain(Exception):
    """A create or reply kept ending without a clear answer; it is pending for next run."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Unverified(Exception):
    """A create or reply may have reached the server and looking for it failed too: it
    stays in flight, so the next run looks again before anything is resent."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


async def recover_in_flight(run: SyncRun) -> None:
    """Items left in flight by a crash: look at the server before anything is resent.

    Field edits, deletes and attach/detach set absolute states, so they simply go back
    to pending. A create or reply found on the server is marked done; one not found is
    pending again.
    """
    for item in outbox.in_flight_items(run.db):
        run.check_cancelled()
        if item.op in _DUPLICABLE:
            try:
                found = await verify.find_on_server(run, item)
            except _REFUSED as error:  # e.g. the thread was deleted: it can never be sent
                _refused(run, item, error.message)
                continue
            if found is not verify.NOT_FOUND:
                if _moved(run, outbox.mark_done(run.db, item.id, found)):
                    run.report.recovered += 1
                continue
        _moved(run, outbox.requeue(run.db, item.id, "interrupted; checked against the server"))


async def push_outbox(run: SyncRun) -> None:
    """Push pending items in order until the outbox is drained or the server fails us."""
    total = outbox.state_counts(run.db)[outbox.PENDING]
    done = 0
    while True:
        run.check_cancelled()
        claimed = outbox.claim_next(run.db)
        if not claimed:
            break
        item = claimed[0]
        try:
            await _push_item(run, item)
        except _REFUSED as error:
            _refused(run, item, error.message)
        except AuthenticationError as error:
            _moved(run, outbox.requeue(run.db, item.id, error.message))
            run.report.errors.append(f"push stopped: {error.message}")
            return
        except _UNREACHABLE as error:
            _moved(run, outbox.requeue(run.db, item.id, error.message))
            run.report.unreachable = True
            run.report.errors.append(f"push stopped: {error.message}")
            return
        except _StillUncertain as error:
            _moved(run, outbox.requeue(run.db, item.id, error.message))
            run.report.unreachable = True
            run.report.errors.append(f"push stopped: {error.message}")
            return
        except _Unverified as error:
            run.report.unreachable = True
            run.report.errors.append(f"push stopped: {error.message}")
            return
        except BaseException:
            # Cancellation or a bug. A create or reply may have reached the server: it
            # stays in flight so the next run looks before sending; anything else is an
            # absolute state and safe to send again.
            if item.op not in _DUPLICABLE:
                _moved(run, outbox.requeue(run.db, item.id, "interrupted"))
            raise
        done += 1
        run.progress("push", done, max(total, done))


def _refused(run: SyncRun, item: OutboxItem, message: str) -> None:
    """The server refused the item: failed, with its message; the local edit stays."""
    if _moved(run, outbox.mark_failed(run.db, item.id, message)):
        run.report.failed += 1
        run.report.errors.append(f"push refused ({_describe(item)}): {message}")


def _done(run: SyncRun, item: OutboxItem, answer: Any = None) -> None:
    """The server has the item: done, counted as pushed."""
    if _moved(run, outbox.mark_done(run.db, item.id, answer)):
        run.report.pushed += 1


def _moved(run: SyncRun, result: OutboxItem | None) -> bool:
    """Whether an outbox transition happened; a no-op (the item was settled elsewhere,
    e.g. by an earlier run's recovery) is counted in `already_handled`, never raised."""
    if result is None:
        run.report.already_handled += 1
        return False
    return True


def _describe(item: OutboxItem) -> str:
    what = f"{item.resource} {item.op}"
    if item.field:
        what += f" {item.field}"
    return f"{what} {item.resource_id}"


async def _push_item(run: SyncRun, item: OutboxItem) -> None:
    if item.op == "update":
        await _push_field(run, item)
        return
    if item.op in _DUPLICABLE:
        _done(run, item, await _send_checked(run, item))
        return
    if item.op == "delete":
        with contextlib.suppress(NotFoundError):  # already gone: the goal of a delete
            await _send(run, item)
        _done(run, item)
        return
    _done(run, item, await _send(run, item))


async def _send_checked(run: SyncRun, item: OutboxItem) -> Any:
    """Send a create or reply; when its outcome is unknown, look before sending again.

    Returns the server's record of it (the answer, or what `verify` found). Raises
    `_StillUncertain` after `MAX_SENDS_PER_RUN` sends that each ended without an answer
    and without a trace on the server, and `_Unverified` when the look itself fails.
    """
    uncertain: UncertainWriteError | None = None
    for _ in range(MAX_SENDS_PER_RUN):
        try:
            return await _send(run, item)
        except UncertainWriteError as error:
            uncertain = error
        await asyncio.sleep(VERIFY_SETTLE_SECONDS)
        try:
            found = await verify.find_on_server(run, item)
        except _UNREACHABLE as error:
            raise _Unverified(
                f"{_describe(item)}: outcome unknown and the server could not be checked"
                f" ({error.message}); it will be looked for before any resend"
            ) from None
        if found is not verify.NOT_FOUND:
            run.report.recovered += 1
            return found
    raise _StillUncertain(
        f"{_describe(item)}: no clear answer after {MAX_SENDS_PER_RUN} tries"
        f" ({uncertain.cause.message if uncertain else 'no answer'});"
        " not on the server, will try again next sync"
    )


async def _push_field(run: SyncRun, item: OutboxItem) -> None:
    fresh = await _fresh_value(run, item)
    if not isinstance(fresh, _Unknown) and fresh != item.base:
        if fresh == item.value:
            # The server already shows the user's value. The label is compared as shown
            # (override or AI label): showing our label does not mean the override is
            # set, so it is still pushed (nothing is overwritten).
            if item.field != "label_override":
                _done(run, item)
                return
        elif item.policy is Policy.ASK:
            if _moved(run, outbox.put_in_conflict(run.db, item.id, fresh)):
                run.report.conflicts += 1
            return
        else:
            outbox.log_overwrite(run.db, item.id, fresh)
            run.report.overwritten += 1
    _done(run, item, await _send(run, item))


async def _fresh_value(run: SyncRun, item: OutboxItem) -> Any:
    """The server's current value of the item's field, read now (or earlier this run)."""
    assert item.field is not None
    client, db = run.client, run.db
    resource, row_id = item.resource, item.resource_id
    if resource == "conversation":
        if row_id not in run.fresh_conversations:
            conversation = await client.get_conversation(row_id)
            ingest.upsert_conversations(db, [conversation.model_dump(mode="json")], folder=None)
            run.fresh_conversations.add(row_id)
    elif resource in ("variant", "sequence"):
        campaign_id = item.context.get("campaign_id")
        if not campaign_id:
            return UNKNOWN
        sequences = await client.list_sequences(campaign_id)
        ingest.upsert_sequences(db, campaign_id, [s.model_dump(mode="json") for s in sequences])
    elif resource == "campaign":
        campaign = await client.get_campaign(row_id)
        ingest.upsert_campaign_detail(db, campaign.model_dump(mode="json"))
    elif resource == "inbox":
        inbox = await client.get_inbox(row_id)
        ingest.upsert_inbox_detail(db, inbox.model_dump(mode="json"))
    else:
        return UNKNOWN
    return outbox.server_value(db, resource, row_id, item.field)


def _dump(value: Any) -> Any:
    if isinstance(value, list):
        return [_dump(v) for v in value]
    return value.model_dump(mode="json") if hasattr(value, "model_dump") else value


async def _send(run: SyncRun, item: OutboxItem) -> Any:
    """Make the one API call the item stands for; returns the answer as API JSON."""
    client = run.client
    key = item.idempotency_key
    row_id = item.resource_id
    value = item.value
    campaign_id = item.context.get("campaign_id", "")
    match (item.resource, item.op):
        case ("conversation", "update"):
            result = await client.update_conversation(
                row_id, **{item.field: value}, idempotency_key=key
            )
        case ("conversation", "reply"):
            result = await client.reply_to_conversation(
                row_id, value["content"], idempotency_key=key
            )
        case ("conversation", "create"):
            result = await client.create_conversation(
                to=value["to"],
                subject=value["subject"],
                content=value["content"],
                inbox_id=value.get("inbox_id"),
                idempotency_key=key,
            )
        case ("campaign", "update") if item.field == "schedule":
            result = await client.update_schedule(row_id, **value, idempotency_key=key)
        case ("campaign", "update"):
            result = await client.update_campaign(
                row_id, **{item.field: value}, idempotency_key=key
            )
        case ("campaign", "create"):
            result = await client.create_campaign(value["name"], idempotency_key=key)
        case ("campaign", "delete"):
            result = await client.delete_campaign(row_id, idempotency_key=key)
        case ("campaign", "attach_inboxes"):
            result = await client.attach_inboxes(row_id, value["inbox_ids"], idempotency_key=key)
        case ("campaign", "detach_inboxes"):
            result = await client.detach_inboxes(row_id, value["inbox_ids"], idempotency_key=key)
        case ("sequence", "create"):
            result = await client.create_sequence(
                campaign_id, (value or {}).get("delay_days"), idempotency_key=key
            )
        case ("sequence", "update"):
            result = await client.update_sequence(campaign_id, row_id, value, idempotency_key=key)
        case ("sequence", "delete"):
            result = await client.delete_sequence(campaign_id, row_id, idempotency_key=key)
        case ("variant", "create"):
            result = await client.create_variant(
                campaign_id,
                item.context["sequence_id"],
                subject=value["subject"],
                body_html=value.get("body_html"),
                enabled=value.get("enabled"),
                idempotency_key=key,
            )
        case ("variant", "update"):
            result = await client.update_variant(
                campaign_id, row_id, **{item.field: value}, idempotency_key=key
            )
        case ("variant", "delete"):
            result = await client.delete_variant(campaign_id, row_id, idempotency_key=key)
        case ("inbox", "update"):
            result = await client.update_inbox(row_id, **{item.field: value}, idempotency_key=key)
        case ("lead", "create"):
            result = await client.create_lead(
                campaign_id,
                email=value["email"],
                first_name=value.get("first_name"),
                last_name=value.get("last_name"),
                variables=value.get("variables"),
                if_exists=value.get("if_exists", "fail"),
                idempotency_key=key,
            )
        case ("lead", "delete"):
            result = await client.delete_lead(campaign_id, row_id, idempotency_key=key)
        case ("blocklist", "create"):
            result = await client.add_to_blocklist(value["email"], idempotency_key=key)
        case ("blocklist", "delete"):
            result = await client.delete_blocklist_entry(row_id, idempotency_key=key)
        case _:
            raise RequestValidationError(f"cannot push {_describe(item)}: unknown operation")
    return _dump(result)
