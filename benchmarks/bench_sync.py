"""Sync benchmark: a first sync of 10,000 conversations from the loopback simulator.

    .venv/bin/python benchmarks/bench_sync.py [--size 10000] [--seed 7] [--out DIR]

Prints:
1. requests made by the first (full) sync, per collection, against the minimum
   (ceil(N / 100) pages per folder, one page each for inboxes and campaigns, one warmup
   request per inbox and two detail requests per campaign);
2. the ingest rate: conversations stored per second of time spent inside store calls
   (the engine's own work, network wait excluded), beside the wall-clock rate;
3. an incremental sync with nothing changed: requests per collection (goal: 1 each);
4. a full sync with nothing changed (the periodic reconcile);
5. FTS search on the synced cache (the 100,000-conversation figure is the store
   benchmark's, see BENCHMARKS.md "Store"), and the database size.

The client runs unpaced (`requests_per_minute=None, start_rate=None`): this measures the
engine, not the pacing. `--pacing` runs the pacing scenarios of `bench_pacing.py` instead
(first syncs against an unlimited server, and one limited to `--rate` requests/s, announced
or silent); `--pipelining` its 100,000-conversation pipelined first sync.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from outreach_tui.api import ReachkitClient
from outreach_tui.simulator import create_app
from outreach_tui.simulator.server import serve_in_thread
from outreach_tui.store import ingest, sync_state
from outreach_tui.store.connection import open_reader, open_writer
from outreach_tui.store.search import search_conversations
from outreach_tui.sync import pull
from outreach_tui.sync.engine import SyncOptions, run_sync
from outreach_tui.sync.progress import SyncReport

KEY = "rk_bench_sync_key"


class StoreTimer:
    """Wraps the store calls the engine makes and adds up the time spent inside them."""

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()

    def wrap(self, module: Any, name: str) -> None:
        original: Callable[..., Any] = getattr(module, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[name] += time.perf_counter() - started

        setattr(module, name, timed)

    def reset(self) -> None:
        self.seconds.clear()

    @property
    def total(self) -> float:
        return sum(self.seconds.values())


def _collections(requests: list[Any]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for record in requests:
        path = record.path.removeprefix("/api/v1")
        if path.startswith("/unibox/conversations"):
            folder = "others" if "folder=others" in record.query else "primary"
            name = f"conversations:{folder}"
        elif path == "/inboxes":
            name = "inboxes (list)"
        elif path.endswith("/warmup/stats"):
            name = "warmup stats"
        elif path == "/campaigns":
            name = "campaigns (list)"
        elif path.endswith("/sequences"):
            name = "campaign sequences"
        else:
            name = "campaign detail"
        counts[name] += 1
    return counts


async def _timed_sync(
    client: ReachkitClient, db: Any, options: SyncOptions, timer: StoreTimer
) -> tuple[SyncReport, float, float]:
    timer.reset()
    started, cpu = time.perf_counter(), time.process_time()
    report = await run_sync(client, db, options)
    return report, time.perf_counter() - started, time.process_time() - cpu


def _print_requests(title: str, counts: Counter[str], minimum: dict[str, int]) -> None:
    print(f"{title}: {sum(counts.values())} requests (minimum {sum(minimum.values())})")
    for name in sorted(set(counts) | set(minimum)):
        print(f"  {name:<22} {counts.get(name, 0):>5}   minimum {minimum.get(name, 0):>5}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=None, help="keep the database here")
    parser.add_argument("--pacing", action="store_true", help="the pacing scenarios instead")
    parser.add_argument("--pipelining", action="store_true", help="the pipelining run instead")
    parser.add_argument("--rate", type=int, default=5, help="the limit of --pacing, per second")
    args = parser.parse_args()
    if args.pacing or args.pipelining:
        import bench_pacing  # the sibling script (this folder is on sys.path)

        if args.pacing:
            bench_pacing.pacing(args.size, args.rate)
        else:
            bench_pacing.pipelining(args.size)
        return
    workdir = args.out or Path(tempfile.mkdtemp(prefix="bench-sync-"))
    path = workdir / "cache.db"
    for leftover in workdir.glob("cache.db*"):
        leftover.unlink()

    timer = StoreTimer()
    for name in (
        "upsert_conversations",
        "upsert_inboxes",
        "upsert_warmup_stats",
        "upsert_campaigns",
        "upsert_campaign_detail",
        "upsert_sequences",
        "remove_missing",
    ):
        timer.wrap(ingest, name)
    timer.wrap(sync_state, "mark_pulled")
    timer.wrap(pull, "_dump")  # models -> API JSON for the store: the engine's own work

    started = time.perf_counter()
    app = create_app(api_keys=[KEY], size=args.size, seed=args.seed)
    sim = app.state.simulator
    workspace = sim.workspace(KEY)
    print(f"simulator: {args.size:,} conversations seeded in {time.perf_counter() - started:.1f} s")
    folders = Counter(c.folder for c in workspace.conversations.values())
    minimum = {f"conversations:{f}": math.ceil(n / 100) for f, n in folders.items()}
    minimum |= {
        "inboxes (list)": math.ceil(len(workspace.inboxes) / 100),
        "warmup stats": len(workspace.inboxes),
        "campaigns (list)": math.ceil(len(workspace.campaigns) / 100),
        "campaign detail": len(workspace.campaigns),
        "campaign sequences": len(workspace.campaigns),
    }

    async def run() -> None:
        db = open_writer(path)
        with serve_in_thread(app) as base_url:
            async with ReachkitClient(
                base_url=base_url, api_key=KEY, requests_per_minute=None, start_rate=None
            ) as client:
                mark = len(sim.requests)
                report, wall, cpu = await _timed_sync(client, db, SyncOptions(full=True), timer)
                assert report.ok, report.to_json()
                stored = report.pulled.get("conversations", 0)
                messages = db.conn.execute("SELECT COUNT(*) FROM messages").fetchone()[0]
                print(
                    f"\nfirst sync: {stored:,} conversations, {messages:,} messages in"
                    f" {wall:.1f} s wall ({stored / wall:,.0f} conversations/s end to end,"
                    f" {cpu:.1f} s CPU of this process incl. the simulator thread)"
                )
                _print_requests("requests", _collections(sim.requests[mark:]), minimum)
                conversations_store = timer.seconds["upsert_conversations"]
                with_dump = conversations_store + timer.seconds["_dump"]
                print(
                    f"ingest: {conversations_store:.2f} s inside upsert_conversations"
                    f" = {stored / conversations_store:,.0f} conversations/s"
                    f" ({messages / conversations_store:,.0f} messages/s);"
                    f" with the engine's model dump {with_dump:.2f} s"
                    f" = {stored / with_dump:,.0f} conversations/s;"
                    f" all store calls + dumps {timer.total:.2f} s = {timer.total / wall:.0%}"
                    " of the run; the rest is request, answer (simulator in this process)"
                    " and parse"
                )

                for title, options in (
                    ("incremental sync, nothing changed", SyncOptions()),
                    ("full sync, nothing changed", SyncOptions(full=True)),
                ):
                    mark = len(sim.requests)
                    report, wall, _ = await _timed_sync(client, db, options, timer)
                    assert report.ok, report.to_json()
                    counts = _collections(sim.requests[mark:])
                    per_collection = dict(sorted(counts.items()))
                    print(
                        f"\n{title}: {sum(counts.values())} requests in {wall:.2f} s"
                        f" (store {timer.total:.2f} s); per collection: {per_collection}"
                    )
        db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()

    asyncio.run(run())

    reader = open_reader(path)
    subjects = [r[0] for r in reader.conn.execute("SELECT subject FROM conversations LIMIT 2000")]
    words = sorted({w.strip(".,:;!?").lower() for s in subjects for w in s.split() if len(w) > 3})
    rng = random.Random(3)
    queries = rng.sample(words, min(60, len(words)))
    queries += [w[:3] for w in rng.sample(words, min(20, len(words)))]
    samples = []
    for text in queries:
        t = time.perf_counter()
        search_conversations(reader, text, limit=50)
        samples.append(time.perf_counter() - t)
    reader.close()
    print(
        f"\nsearch on the synced cache ({args.size:,} conversations, simulator text, first 50):"
        f" median {statistics.median(samples) * 1000:.1f} ms,"
        f" p90 {sorted(samples)[int(len(samples) * 0.9)] * 1000:.1f} ms over {len(queries)}"
        " queries (100,000-conversation figure: benchmarks/bench_store.py)"
    )
    size = sum(p.stat().st_size for p in workdir.glob("cache.db*"))
    print(f"database size: {size / 1e6:.1f} MB ({size / args.size:,.0f} bytes per conversation)")
    sim.close()


if __name__ == "__main__":
    main()
