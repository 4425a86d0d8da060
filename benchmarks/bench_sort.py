"""Inbox sorting benchmark: windows sorted by sender, label or subject, with and without
the column's index (`store.sort_index`), its build time, and what the indexes cost ingest.

    .venv/bin/python benchmarks/bench_sort.py [--conversations N] [--runs R]

Builds a cache of N synthetic conversations (bench_store's generator, default 100,000),
then for each sort column, on a reader connection: the first window (50 rows), the next
one, a far offset (the middle of the list) and a row's position, medians of R runs,
first without the index, then after building it. Last, the same 2,000 changed
conversations ingested with and without the three indexes (one run, ratio).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench_store import _pages, fill_cache  # the store benchmark's workspace
from sqlite_utils import Database

from outreach_tui.store.connection import open_reader, open_writer
from outreach_tui.store.ingest import upsert_conversations
from outreach_tui.store.queries.conversations import (
    conversation_position,
    conversation_window,
    conversations_at,
    cursor_of,
)
from outreach_tui.store.records import SORT_COLUMNS, ConversationFilter
from outreach_tui.store.sort_index import ensure_sort_index

SORTED = [sort for sort in SORT_COLUMNS if sort != "date"]


def _median_ms(run: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def _windows(reader: Database, sort: str, total: int, runs: int) -> dict[str, float]:
    flt = ConversationFilter(sort=sort)
    first = conversation_window(reader, flt, limit=50)
    after = cursor_of(first[-1], flt)
    return {
        "first": _median_ms(lambda: conversation_window(reader, flt, limit=50), runs),
        "next": _median_ms(lambda: conversation_window(reader, flt, after=after, limit=50), runs),
        "offset": _median_ms(
            lambda: conversations_at(reader, flt, offset=total // 2, limit=50), runs
        ),
        "position": _median_ms(lambda: conversation_position(reader, first[-1].id, flt), runs),
    }


def _line(label: str, figures: dict[str, float]) -> str:
    return f"  {label:<10}" + "".join(f"  {k} {v:8.1f} ms" for k, v in figures.items())


def _ingest_seconds(path: Path, pages: list[list[dict[str, object]]]) -> float:
    db = open_writer(path)
    try:
        started = time.perf_counter()
        for page in pages:
            upsert_conversations(db, page, "primary")
        return time.perf_counter() - started
    finally:
        db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    path = Path(tempfile.mkdtemp(prefix="bench-sort-")) / "sort.db"
    writer = open_writer(path)
    fill_cache(writer, args.conversations)
    print(f"{args.conversations:,} conversations, medians of {args.runs} runs")
    reader = open_reader(path)
    date = _windows(reader, "date", args.conversations, args.runs)
    print(_line("date", date))
    for sort in SORTED:
        before = _windows(reader, sort, args.conversations, args.runs)
        started = time.perf_counter()
        ensure_sort_index(writer, sort)
        built = time.perf_counter() - started
        after = _windows(reader, sort, args.conversations, args.runs)
        print(f"{sort}: index built in {built:.2f} s")
        print(_line("no index", before))
        print(_line("indexed", after))
    reader.close()
    writer.close()
    # Ingest with the three indexes vs none: the same changed conversations each time.
    changed = _pages(0, 2_000, seed=999)
    with_indexes = _ingest_seconds(path, changed)
    writer = open_writer(path)
    for sort in SORTED:
        writer.conn.execute(f"DROP INDEX conversations_sort_{sort}")
    writer.close()
    without = _ingest_seconds(path, _pages(0, 2_000, seed=998))
    print(
        f"ingest of 2,000 changed conversations: {without:.2f} s without the sort indexes,"
        f" {with_indexes:.2f} s with all three ({with_indexes / without:.2f}x)"
    )


if __name__ == "__main__":
    main()
