"""One sync run: recover, pull, push — the engine the TUI and `outreach-tui sync` share.

A run holds the cache's sync lock (`store.sync_lock`) from start to end: two runs of one
cache never claim, push or recover the same outbox items, and the recovery of items left
in flight only ever sees items of processes that died.

Order: items a crash left in flight are checked against the server first; then the pull
(so the conflict check of the push can use server values read moments ago); then the
push. A server that cannot be reached ends the run with `report.unreachable` set and
everything stored so far kept; nothing is lost and nothing is sent twice.

Pacing: the client learns how fast the server lets it go (`api.pace`); the run starts the
client from the pace stored for that server in the cache (`store.request_pace`) and stores
what it learned at the end, so the next sync of the profile starts there. The pull's
requests are background requests: the client lets any other request (the user's) go first.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlite_utils import Database

from outreach_tui.api import (
    LearnedPace,
    MalformedResponseError,
    NetworkError,
    RateLimitedError,
    ReachkitClient,
    ReachkitError,
    ServerError,
    background_requests,
)
from outreach_tui.store import request_pace, sync_state
from outreach_tui.store.checkpoints import BackgroundCheckpoints
from outreach_tui.store.connection import database_file
from outreach_tui.store.sync_lock import SyncLock
from outreach_tui.sync import pull, push
from outreach_tui.sync.progress import ProgressCallback, SyncCancelled, SyncReport, SyncRun


@dataclass(frozen=True)
class SyncOptions:
    """What a run does. `full` walks every collection to its end and removes deletions."""

    pull: bool = True
    push: bool = True
    full: bool = False
    full_every: timedelta = timedelta(hours=6)
    warmup_max_age: timedelta = timedelta(hours=6)
    detail_max_age: timedelta = timedelta(hours=1)


_UNREACHABLE = (NetworkError, ServerError, RateLimitedError, MalformedResponseError)


async def run_sync(
    client: ReachkitClient,
    db: Database,
    options: SyncOptions | None = None,
    *,
    on_progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
    wait: bool = False,
    on_wait: Callable[[int | None], None] | None = None,
    push_soon: asyncio.Event | None = None,
) -> SyncReport:
    """Run one sync against `client`, storing through the writer connection `db`.

    Never raises for server or network trouble: the report says what happened. When
    another sync of the same cache file runs, waits for it (`wait=True`, calling
    `on_wait(pid)` once) or raises `store.sync_lock.SyncBusy`. Setting `push_soon` (from
    the run's own loop) while the pull runs pushes the outbox at once, the pull going on
    beside it; its requests go before the pull's next pages.
    """
    options = options or SyncOptions()
    path = database_file(db)
    lock = SyncLock(path).hold(wait=wait, on_wait=on_wait, cancel=cancel) if path else None
    async with lock or contextlib.nullcontext():
        return await _run_locked(client, db, options, on_progress, cancel, push_soon)


async def _run_locked(
    client: ReachkitClient,
    db: Database,
    options: SyncOptions,
    on_progress: ProgressCallback | None,
    cancel: threading.Event | None,
    push_soon: asyncio.Event | None,
) -> SyncReport:
    pacer = client.pacer
    counts_before = pacer.counts()
    run = SyncRun(
        client=client,
        db=db,
        on_progress=on_progress,
        cancel=cancel,
        requests_before=counts_before.requests,
        push_soon=push_soon if options.push else None,
    )
    if pacer.learned() is None:  # a long-lived client (the TUI's) already knows better
        stored = request_pace.get_pace(db, client.base_url)
        if stored is not None:
            pacer.resume(LearnedPace(stored.requests_per_second, stored.announced))
    started = time.monotonic()
    await _run_steps(run, options)
    counts = pacer.counts()
    report = run.report
    report.requests = counts.requests - counts_before.requests
    report.rate_limited = counts.rate_limited - counts_before.rate_limited
    report.seconds = time.monotonic() - started
    learned = pacer.learned()
    if learned is not None:
        report.requests_per_second = round(learned.requests_per_second, 3)
        report.rate_announced = learned.announced
        request_pace.save_pace(
            db, client.base_url, learned.requests_per_second, announced=learned.announced
        )
    return report


async def _run_steps(run: SyncRun, options: SyncOptions) -> None:
    try:
        await push.recover_in_flight(run)
        if options.pull:
            async with _pushing_while_pulling(run):
                with BackgroundCheckpoints(run.db) as checkpoints, background_requests():
                    run.checkpoints = checkpoints
                    await _pull_all(run, options)
        if options.push:
            await push.push_outbox(run)
    except SyncCancelled:
        run.report.cancelled = True
    except _UNREACHABLE as error:
        run.report.unreachable = True
        run.report.errors.append(error.message)
    except ReachkitError as error:  # e.g. the key was refused: one line, the run ends
        run.report.errors.append(error.message)


@contextlib.asynccontextmanager
async def _pushing_while_pulling(run: SyncRun) -> AsyncIterator[None]:
    """While the block runs, push the outbox whenever `run.push_soon` is set.

    The lane finishes the push it is in before the block's end returns (a push is never
    cut in the middle by the pull ending); a failure in it is left for the push after
    the pull to meet and report.
    """
    if run.push_soon is None:
        yield
        return
    signal, stopping = run.push_soon, asyncio.Event()

    async def lane() -> None:
        while True:
            await signal.wait()
            if stopping.is_set():
                return
            signal.clear()
            with contextlib.suppress(ReachkitError, SyncCancelled):
                await push.push_outbox(run)

    task = asyncio.ensure_future(lane())
    try:
        yield
    finally:
        stopping.set()
        signal.set()
        await task


async def _pull_all(run: SyncRun, options: SyncOptions) -> None:
    steps = [
        ("inboxes", lambda: pull.pull_inboxes(run, warmup_max_age=options.warmup_max_age)),
        ("campaigns", lambda: pull.pull_campaigns(run, detail_max_age=options.detail_max_age)),
    ] + [
        (
            f"conversations:{folder}",
            lambda folder=folder: pull.pull_conversations(
                run, folder, full=options.full, full_every=options.full_every
            ),
        )
        for folder in pull.FOLDERS
    ]
    for name, step in steps:
        run.check_cancelled()
        try:
            await step()
        except _UNREACHABLE as error:
            resource, _, scope = name.partition(":")
            sync_state.mark_pull_failed(run.db, resource, error.message, scope)
            raise
