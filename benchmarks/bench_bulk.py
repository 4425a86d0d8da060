"""Bulk triage benchmark ("all matching", `X` in the inbox): label and mark read every
conversation of a filter, then undo, at N conversations; time and peak memory.

    .venv/bin/python benchmarks/bench_bulk.py [--conversations N]

Builds a cache of N synthetic conversations (bench_store's generator, default 50,000),
then on the writer connection: label all (one queued change each), undo the batch, mark
all read, undo. Peak RSS is the process's high-water mark (`ru_maxrss`) after each step:
the goal is to stay under 200 MB whatever N.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from bench_store import fill_cache  # the store benchmark's workspace

from outreach_tui.store.connection import open_writer
from outreach_tui.store.edits.bulk import label_matching, read_matching, undo_batch
from outreach_tui.store.records import ConversationFilter


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", type=int, default=50_000)
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp(prefix="bench-bulk-")) / "bulk.db"
    db = open_writer(path)
    fill_cache(db, args.conversations)
    print(f"{args.conversations:,} conversations; peak RSS after building: {_peak_mb():.0f} MB")
    everything = ConversationFilter()
    for name, run in (
        ("label all as interested", lambda: label_matching(db, everything, "interested")),
        ("mark all read", lambda: read_matching(db, everything, True)),
    ):
        started = time.perf_counter()
        batch, changed = run()
        took = time.perf_counter() - started
        what = "label" if name.startswith("label") else "read"
        started = time.perf_counter()
        undo_batch(db, batch, what)
        undone = time.perf_counter() - started
        print(
            f"{name}: {changed:,} changed in {took:.1f} s ({changed / took:,.0f}/s),"
            f" undo {undone:.1f} s; peak RSS {_peak_mb():.0f} MB"
        )
    db.close()


if __name__ == "__main__":
    main()
