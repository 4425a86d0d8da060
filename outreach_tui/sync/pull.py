"""Pull: server -> store, one SQLite transaction per page of 100.

Incremental pulls stop early when a whole page is unchanged against the cache. The
reference documents no order for conversation lists and no "changed since" filter, so the
early stop is only an optimisation: it is taken while the items read so far are ordered by
`updated_at` descending, and the walk continues to the end as soon as that order does not
hold. A full walk (asked for, or due every `full_every`) also removes what the server no
longer lists, but only when it provably saw the whole collection.

Listings are pipelined: once page 1 has told `total_pages`, up to `PAGES_AHEAD` of the
next pages are on the wire while one page is stored (`api.pagination.PageWalk`; pages are
still stored in order, one transaction each, by this one writer). A full walk fetches
ahead from page 2; an incremental one only once a run of changed pages suggests it will
not stop early (each page fetched ahead of an early stop is a wasted request).
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from outreach_tui.api import MalformedResponseError, NotFoundError, Page, SkippedRecord
from outreach_tui.api.pagination import PageWalk
from outreach_tui.store import ingest, search, sync_state
from outreach_tui.store.ingest import IngestResult
from outreach_tui.sync.progress import SyncRun

PAGE_SIZE = 100
FOLDERS = ("primary", "others")
# Pages on the wire while one is stored: the client holds 4 connections, so one stays
# free for the user's own requests (which the pacer lets through first).
PAGES_AHEAD = 3


def _pages(fetch_page: Callable[[int], Awaitable[Page[Any]]]) -> PageWalk[Any]:
    return PageWalk(fetch_page, page_size=PAGE_SIZE)


def _dump(items: Iterable[Any]) -> list[dict[str, Any]]:
    return [item.model_dump(mode="json") for item in items]


def _report_skipped(run: SyncRun, resource: str, skipped: Iterable[SkippedRecord]) -> None:
    for record in skipped:
        run.report.skipped.append({"resource": resource, "id": record.id, "reason": record.reason})


class _OrderWatch:
    """Tracks whether the items read so far come newest `updated_at` first."""

    def __init__(self) -> None:
        self.ordered = True
        self._last: datetime | None = None

    def observe(self, stamps: Iterable[datetime]) -> None:
        for stamp in stamps:
            if self._last is not None and stamp > self._last:
                self.ordered = False
            self._last = stamp


@dataclass
class _Walk:
    """What a walk over one collection found.

    `seen`: every id the server listed (valid or skipped: a skipped record is not a
    deletion); `valid`: the ids of the records stored; `complete`: the walk provably saw
    the whole collection (see `_walk`); `stored`: records new or changed in the cache.
    """

    seen: set[str] = field(default_factory=set)
    valid: set[str] = field(default_factory=set)
    complete: bool = True
    stored: int = 0


async def _walk(
    run: SyncRun,
    resource: str,
    pages: PageWalk[Any],
    store_page: Callable[[list[Any]], IngestResult],
    *,
    early_stop: bool,
) -> _Walk:
    """Store every page (one transaction each) and say what was seen.

    "Whole collection" means the walk ran to its end, every record had an id, and the
    number of ids seen reached the server's last reported total: only then may a caller
    remove cached rows the walk did not see.
    """
    async with contextlib.aclosing(pages):
        return await _store_pages(run, resource, pages, store_page, early_stop=early_stop)


async def _store_pages(
    run: SyncRun,
    resource: str,
    pages: PageWalk[Any],
    store_page: Callable[[list[Any]], IngestResult],
    *,
    early_stop: bool,
) -> _Walk:
    walk = _Walk()
    total: int | None = None
    order = _OrderWatch()
    changed_in_a_row = 0
    pages.ahead = 0 if early_stop else PAGES_AHEAD
    async for page in pages:
        run.check_cancelled()
        items = list(page.items)
        order.observe(item.updated_at for item in items if getattr(item, "updated_at", None))
        result = store_page(items)
        if run.checkpoints is not None:
            run.checkpoints.nudge()
        walk.stored += len(result.new_ids) + len(result.changed_ids)
        walk.valid.update(item.id for item in items)
        walk.seen.update(item.id for item in items)
        for record in page.skipped:
            if record.id is None:
                walk.complete = False
            else:
                walk.seen.add(record.id)
        _report_skipped(run, resource, page.skipped)
        total = page.metadata.total_count
        run.progress(resource, len(walk.seen), total, pages=(pages.pages_read, pages.total_pages))
        if early_stop and order.ordered and result.all_unchanged and not page.skipped:
            walk.complete = False
            break
        if early_stop:
            changed_in_a_row = 0 if result.all_unchanged else changed_in_a_row + 1
            pages.ahead = min(PAGES_AHEAD, max(0, changed_in_a_row - 1))
    if total is None or len(walk.seen) < total:
        walk.complete = False
    return walk


async def _fetch_detail(
    run: SyncRun, resource: str, item_id: str, fetch: Callable[[], Awaitable[None]]
) -> None:
    """Fetch one record's detail; a record gone since the list was read (404) is left to
    the next reconcile, and one whose detail does not validate is reported and skipped,
    so one odd record never fails the whole sync."""
    try:
        await fetch()
    except NotFoundError:
        return
    except MalformedResponseError as error:
        run.report.skipped.append({"resource": resource, "id": item_id, "reason": error.reason})


def _full_due(run: SyncRun, resource: str, scope: str, full_every: timedelta) -> bool:
    """True when (resource, scope) never had a full walk, or its last one is too old."""
    last_full = sync_state.get_sync_state(run.db, resource, scope).last_full_at
    if last_full is None:
        return True
    return datetime.now(UTC) - datetime.fromisoformat(last_full) > full_every


async def pull_conversations(
    run: SyncRun, folder: str, *, full: bool, full_every: timedelta
) -> None:
    """Pull one folder of conversations (incrementally unless a full walk is due)."""
    full = full or _full_due(run, "conversations", folder, full_every)
    resource = f"conversations:{folder}"

    # The pages' search documents go into the index in batches of many pages (a small
    # index segment per page made merging them most of the ingest), and all of them when
    # the walk ends, whichever way it ends. Edits made between two pages are indexed at
    # once, as always.
    indexing = search.DeferredIndex(run.db)

    def store(items: list[Any]) -> IngestResult:
        with indexing.holding():
            result = ingest.upsert_conversations(run.db, _dump(items), folder)
        run.fresh_conversations.update(item.id for item in items)
        return result

    pages = _pages(lambda number: run.client.list_conversations(number, PAGE_SIZE, folder=folder))
    with indexing:
        walk = await _walk(run, resource, pages, store, early_stop=not full)
    if full and walk.complete:
        ingest.remove_missing(run.db, "conversation", walk.seen, scope=folder)
    sync_state.mark_pulled(run.db, "conversations", folder, full=full and walk.complete)
    run.report.count_pulled("conversations", walk.stored)


async def pull_inboxes(run: SyncRun, *, warmup_max_age: timedelta) -> None:
    """Pull the sending inboxes, then warmup stats of those new, changed or stale."""
    changed: set[str] = set()

    def store(items: list[Any]) -> IngestResult:
        result = ingest.upsert_inboxes(run.db, _dump(items))
        changed.update(result.new_ids, result.changed_ids)
        return result

    # Inboxes are few: always walk them whole (the list is also the warmup to-do list).
    walk = await _walk(
        run,
        "inboxes",
        _pages(lambda number: run.client.list_inboxes(number, PAGE_SIZE)),
        store,
        early_stop=False,
    )
    if walk.complete:
        ingest.remove_missing(run.db, "inbox", walk.seen)
    sync_state.mark_pulled(run.db, "inboxes", full=walk.complete)
    run.report.count_pulled("inboxes", walk.stored)
    due = sorted(
        inbox_id
        for inbox_id in walk.valid
        if inbox_id in changed
        or sync_state.get_sync_state(run.db, "warmup", inbox_id).is_stale(warmup_max_age)
    )
    await pull_warmup_stats(run, due)


async def pull_warmup_stats(run: SyncRun, inbox_ids: Iterable[str]) -> None:
    """Fetch warmup stats of the given inboxes (one request each, paced by the client)."""
    wanted = list(inbox_ids)

    async def fetch(inbox_id: str) -> None:
        stats = await run.client.get_warmup_stats(inbox_id)
        ingest.upsert_warmup_stats(run.db, inbox_id, stats.model_dump(mode="json"))
        sync_state.mark_pulled(run.db, "warmup", inbox_id)
        run.report.count_pulled("warmup", 1)

    for done, inbox_id in enumerate(wanted, start=1):
        run.check_cancelled()
        await _fetch_detail(run, "warmup", inbox_id, lambda inbox_id=inbox_id: fetch(inbox_id))
        run.progress("warmup", done, len(wanted))


async def pull_campaigns(run: SyncRun, *, detail_max_age: timedelta) -> None:
    """Pull the campaign list, then detail (daily + per-variant stats) and sequences of
    the campaigns that are new, changed, or whose detail is stale."""
    changed: set[str] = set()

    def store(items: list[Any]) -> IngestResult:
        result = ingest.upsert_campaigns(run.db, _dump(items))
        changed.update(result.new_ids, result.changed_ids)
        return result

    walk = await _walk(
        run,
        "campaigns",
        _pages(lambda number: run.client.list_campaigns(number, PAGE_SIZE)),
        store,
        early_stop=False,  # the list is short and its stats change without a new updated_at
    )
    if walk.complete:
        ingest.remove_missing(run.db, "campaign", walk.seen)
    sync_state.mark_pulled(run.db, "campaigns", full=walk.complete)
    run.report.count_pulled("campaigns", walk.stored)
    due = sorted(
        campaign_id
        for campaign_id in walk.valid
        if campaign_id in changed
        or sync_state.get_sync_state(run.db, "campaign_detail", campaign_id).is_stale(
            detail_max_age
        )
    )
    for done, campaign_id in enumerate(due, start=1):
        run.check_cancelled()
        await _fetch_detail(
            run,
            "campaign detail",
            campaign_id,
            lambda campaign_id=campaign_id: pull_campaign_detail(run, campaign_id),
        )
        run.progress("campaign details", done, len(due))


async def pull_campaign_detail(run: SyncRun, campaign_id: str) -> None:
    """Fetch one campaign (with its 30-day and per-variant stats) and its sequences."""
    campaign = await run.client.get_campaign(campaign_id)
    ingest.upsert_campaign_detail(run.db, campaign.model_dump(mode="json"))
    sequences = await run.client.list_sequences(campaign_id)
    ingest.upsert_sequences(run.db, campaign_id, _dump(sequences))
    sync_state.mark_pulled(run.db, "campaign_detail", campaign_id)


async def pull_leads(run: SyncRun, campaign_id: str) -> None:
    """Pull every lead of one campaign (on demand: campaigns can hold 100k leads)."""
    resource = f"leads:{campaign_id}"
    walk = await _walk(
        run,
        resource,
        _pages(lambda number: run.client.list_leads(campaign_id, number, PAGE_SIZE)),
        lambda items: ingest.upsert_leads(run.db, campaign_id, _dump(items)),
        early_stop=False,
    )
    if walk.complete:
        ingest.remove_missing(run.db, "lead", walk.seen, scope=campaign_id)
    sync_state.mark_pulled(run.db, "leads", campaign_id, full=walk.complete)
    run.report.count_pulled("leads", walk.stored)


async def pull_blocklist(run: SyncRun) -> None:
    """Pull the whole blocklist (on demand)."""
    walk = await _walk(
        run,
        "blocklist",
        _pages(lambda number: run.client.list_blocklist(number, PAGE_SIZE)),
        lambda items: ingest.upsert_blocklist(run.db, _dump(items)),
        early_stop=False,
    )
    if walk.complete:
        ingest.remove_missing(run.db, "blocklist", walk.seen)
    sync_state.mark_pulled(run.db, "blocklist", full=walk.complete)
    run.report.count_pulled("blocklist", walk.stored)
