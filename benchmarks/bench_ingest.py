"""Ingest benchmark on a copy of a big cache: N more conversations, one run per call.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_ingest.py --cache /tmp/million/a.db \\
        --copy /tmp/million/run.db [--count 10000] [--order spread|newest]

Copies `--cache` to `--copy` (so that every run starts from the same cache: FTS5's
merges depend on the state of its segments), then stores `--count` conversations from
`bench_store`'s generator in pages of 100 as the sync does (WAL checkpoints on their own
thread, the search documents indexed in batches when the code has them), and prints the
rate (wall clock and CPU) and the bytes written (WAL, checkpoints). `--cache empty`
starts from an empty cache. `--order newest` sorts the conversations newest first, as
the API serves a folder; the default (`spread`) keeps the generator's pages, each holding
conversations from all over the year. Run it with another checkout's code
(`PYTHONPATH=/tmp/before`) to compare; alternate the two, the machine is shared.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import _pages

from outreach_tui.store import search
from outreach_tui.store.checkpoints import BackgroundCheckpoints
from outreach_tui.store.connection import open_writer
from outreach_tui.store.ingest import upsert_conversations


def _written_bytes() -> int:
    """Bytes this process has written (all threads: the checkpointer's too)."""
    with open("/proc/self/io") as io:
        fields = dict(line.split(": ") for line in io.read().splitlines())
    return int(fields["wchar"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", required=True, help="the cache to copy, or 'empty'")
    parser.add_argument("--copy", type=Path, required=True)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--order", choices=("spread", "newest"), default="spread")
    parser.add_argument("--label", default="")
    args = parser.parse_args()

    for suffix in ("", "-wal", "-shm"):
        Path(f"{args.copy}{suffix}").unlink(missing_ok=True)
    if args.cache != "empty":
        shutil.copyfile(args.cache, args.copy)
    db = open_writer(args.copy)
    done = db.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM conversations").fetchone()[0]
    pages = _pages(done, done + args.count, seed=done)
    if args.order == "newest":
        items = sorted(
            (c for page in pages for c in page),
            key=lambda c: c["messages"][-1]["email_date"],
            reverse=True,
        )
        pages = [items[k : k + 100] for k in range(0, len(items), 100)]
    # The code before batched indexing has no `deferred_indexing`: page by page.
    batches = getattr(search, "deferred_indexing", None)
    written = _written_bytes()
    cpu = time.process_time()
    started = time.perf_counter()
    with (
        BackgroundCheckpoints(db) as checkpoints,
        batches(db) if batches else contextlib.nullcontext(),
    ):
        for page in pages:
            upsert_conversations(db, page, "primary")
            checkpoints.nudge()
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu
    written = _written_bytes() - written
    db.close()
    print(
        f"{args.label} {args.order}: {args.count:,} conversations into {done:,} in"
        f" {wall:.2f} s = {args.count / wall:,.0f} conversations/s"
        f" (CPU {args.count / cpu:,.0f}/s), {written / 1e6:,.0f} MB written",
        flush=True,
    )


if __name__ == "__main__":
    main()
