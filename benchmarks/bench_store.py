"""Store benchmark: ingest rate, FTS search latency, window queries, database size.

    .venv/bin/python benchmarks/bench_store.py [--ingest N] [--conversations N]
        [--db PATH] [--before SRC --before-db PATH] [--out DIR]

Synthetic API-shaped conversations (~3 messages each) are generated here (no simulator):
1. ingest N conversations (default 10,000) in pages of 100, one transaction per page;
   then the same pages again (the "nothing changed" incremental case);
2. grow the database to --conversations (default 100,000; `--search-size` is the old
   name), timing the ingest alone (the generation of the pages is not counted), and
   ingest 10,000 more into the grown cache (removed again after, so a kept cache stays
   the same size);
3. time 100 typed searches (words, 3-letter prefixes, word pairs, surnames) on a reader
   connection: median, p90 and max, and per kind of query;
4. time a keyset window at offset 0 and near the end through `ConversationList`
   (plus a plain SQL OFFSET for comparison), and the label counts;
5. print the database size and its bytes per conversation.

Pages are ingested as the sync does: WAL checkpoints on their own thread
(`store.checkpoints`). `--db PATH` keeps the cache there and reuses it on the next run
(it is grown only when smaller than --conversations): build a 1,000,000-conversation
cache once. `--before SRC --before-db PATH` also runs the same searches with the code of
another checkout (SRC, e.g. `git worktree add /tmp/before main`) on a cache it built
(`PYTHONPATH=SRC python benchmarks/bench_store.py --db PATH ...`), and prints the ratios.
`--searches-only` prints only the search figures (as JSON with `--json`). `--order newest`
ingests every block of 10,000 newest first (as a sync receives a folder) instead of
pages of conversations from all over the year.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from outreach_tui.store import search
from outreach_tui.store.checkpoints import BackgroundCheckpoints
from outreach_tui.store.connection import open_reader, open_writer, write_transaction
from outreach_tui.store.ingest import upsert_conversations
from outreach_tui.store.queries.conversations import (
    ConversationList,
    conversation_window,
    label_counts,
)
from outreach_tui.store.records import ConversationFilter
from outreach_tui.store.search import search_conversations

LABELS = ("interested", "not_interested", "meeting_requested", "question", "neutral", None)
_SYLLABLES = "ka lo mi ne su ra te vo bi da fe gu hi jo ku le ma no pi qu ri sa tu va we".split()  # noqa: SIM905


def _vocabulary(size: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    words: dict[str, None] = {}
    while len(words) < size:
        words["".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))] = None
    return list(words)


# Word frequencies follow Zipf's law, as in natural text: a few words are in every email,
# most are rare. The search queries below pick words a user would type (not the 100 most
# common ones), plus typed prefixes and sender names.
WORDS = _vocabulary(5000, seed=11)
_ZIPF = list(itertools.accumulate(1 / (rank + 1) ** 1.1 for rank in range(len(WORDS))))
FIRST = _vocabulary(300, seed=12)
LAST = _vocabulary(2000, seed=13)


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(WORDS, cum_weights=_ZIPF, k=n)).capitalize() + "."


def make_conversation(i: int, rng: random.Random) -> dict[str, Any]:
    """One API-shaped conversation: outgoing opener, incoming reply, outgoing follow-up."""
    first, last = rng.choice(FIRST), rng.choice(LAST)
    email = f"{first}.{last}{i}@{rng.choice(WORDS)}.test"
    subject = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} for {last.capitalize()}"
    day = 1 + i % 28
    inbox = f"inbox-{i % 20}"
    to = [{"email": email, "name": f"{first.capitalize()} {last.capitalize()}"}]
    me = f"rep{i % 20}@sender.test"

    def msg(direction: str, hour: int, text: str, read: bool = True) -> dict[str, Any]:
        return {
            "direction": direction,
            "inbox_id": inbox,
            "subject": subject if direction == "outgoing" and hour == 8 else f"Re: {subject}",
            "text_body": text,
            "html_body": f"<p>{text}</p>",
            "from_email": me if direction == "outgoing" else email,
            "to_recipients": to if direction == "outgoing" else [{"email": me, "name": ""}],
            "cc_recipients": [],
            "bcc_recipients": [],
            "email_date": f"2024-{1 + i % 12:02d}-{day:02d}T{hour:02d}:{i % 60:02d}:00Z",
            "is_read": read,
            "attachments": [],
        }

    return {
        "id": f"conv-{i:07d}",
        "label": rng.choice(LABELS),
        "is_positive": rng.random() < 0.3,
        "lead_id": f"lead-{i}",
        "messages": [
            msg("outgoing", 8, _sentence(rng, 40)),
            msg("incoming", 12, _sentence(rng, 25), read=rng.random() < 0.7),
            msg("outgoing", 16, _sentence(rng, 30)),
        ],
        "created_at": f"2024-{1 + i % 12:02d}-{day:02d}T08:00:00Z",
        "updated_at": f"2024-{1 + i % 12:02d}-{day:02d}T16:00:00Z",
    }


def _pages(
    start: int, stop: int, seed: int, *, newest_first: bool = False
) -> list[list[dict[str, Any]]]:
    """Pages of 100 of conversations `start`..`stop`. By default each page holds
    conversations from all over the year (their `last_activity` follows `i`'s month, day
    and minute); `newest_first` sorts them by `last_activity`, newest first, as the API
    serves a folder: a first sync's keys then go down page after page."""
    rng = random.Random(seed)
    items = [make_conversation(i, rng) for i in range(start, stop)]
    if newest_first:
        items.sort(key=lambda c: c["messages"][-1]["email_date"], reverse=True)
    return [items[k : k + 100] for k in range(0, len(items), 100)]


def fill_cache(db: Database, conversations: int) -> None:
    """Ingest `conversations` synthetic conversations into `db` (the primary folder),
    generated 10,000 at a time: the other benchmarks' workspace."""
    with search.deferred_indexing(db):
        for start in range(0, conversations, 10_000):
            for page in _pages(start, min(start + 10_000, conversations), seed=start):
                upsert_conversations(db, page, "primary")


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def _figures(samples: Sequence[float]) -> dict[str, float]:
    """median / p90 / max in ms of timings in seconds."""
    ordered = sorted(samples)
    return {
        "median": statistics.median(ordered) * 1000,
        "p90": ordered[int(len(ordered) * 0.9)] * 1000,
        "max": ordered[-1] * 1000,
    }


def _ingest(db: Database, pages: list[list[dict[str, Any]]], folder: Callable[[], str]) -> float:
    """Store `pages` as the sync does (checkpoints on their own thread, the search
    documents indexed in batches and all of them before it returns); seconds taken."""
    started = time.perf_counter()
    with BackgroundCheckpoints(db) as checkpoints, search.deferred_indexing(db):
        for page in pages:
            upsert_conversations(db, page, folder())
            checkpoints.nudge()
    return time.perf_counter() - started


def _remove(db: Database, ids: list[str]) -> None:
    """Delete conversations `ids` and their search documents."""
    with write_transaction(db):
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            seqs = [
                r[0]
                for r in db.conn.execute(
                    f"SELECT seq FROM conversations WHERE id IN ({marks})", chunk
                )
            ]
            search.unindex(db, seqs)
            db.conn.execute(f"DELETE FROM conversations WHERE id IN ({marks})", chunk)


def query_mix() -> dict[str, list[str]]:
    """The 100 typed searches, by kind: what users search for, not the words every
    email contains, plus typed prefixes and sender names (the same list every run)."""
    rng = random.Random(3)
    typed = WORDS[100:]
    return {
        "word": [rng.choice(typed) for _ in range(30)],
        "prefix": [rng.choice(typed)[:3] for _ in range(20)],
        "pair": [f"{rng.choice(typed)} {rng.choice(typed)}" for _ in range(30)],
        "surname": [rng.choice(LAST) for _ in range(20)],
    }


def time_searches(path: Path) -> dict[str, Any]:
    """Time the query mix on a reader of `path` (warm: one untimed pass first)."""
    reader = open_reader(path)
    mix = query_mix()
    result: dict[str, Any] = {}
    try:
        for order in ("recency", "rank"):
            for texts in mix.values():
                for text in texts:
                    search_conversations(reader, text, limit=50, order=order)  # type: ignore[arg-type]
            samples: dict[str, list[float]] = {}
            for kind, texts in mix.items():
                for text in texts:
                    t = time.perf_counter()
                    search_conversations(reader, text, limit=50, order=order)  # type: ignore[arg-type]
                    samples.setdefault(kind, []).append(time.perf_counter() - t)
            every = [x for kind in samples.values() for x in kind]
            result[order] = {
                "all": _figures(every),
                **{kind: _figures(values) for kind, values in samples.items()},
            }
        samples_window = []
        for texts in mix.values():
            for text in texts:
                flt = ConversationFilter(folder="primary", search=text)
                t = time.perf_counter()
                conversation_window(reader, flt, limit=50)
                samples_window.append(time.perf_counter() - t)
        result["window"] = _figures(samples_window)
    finally:
        reader.close()
    return result


def _print_searches(figures: dict[str, Any], total: int, label: str = "") -> None:
    for order in ("recency", "rank"):
        f = figures[order]
        kinds = ", ".join(
            f"{kind} {f[kind]['median']:.1f}/{f[kind]['max']:.1f}"
            for kind in ("word", "prefix", "pair", "surname")
        )
        print(
            f"{label}search ({order}, first 50) at {total:,} conversations, 100 queries:"
            f" median {f['all']['median']:.1f} ms, p90 {f['all']['p90']:.1f} ms,"
            f" max {f['all']['max']:.1f} ms (median/max by kind: {kinds})"
        )
    w = figures["window"]
    print(
        f"{label}window with search (primary folder, first 50 rows): median"
        f" {w['median']:.1f} ms, p90 {w['p90']:.1f} ms, max {w['max']:.1f} ms"
    )


def _before_searches(source: Path, before_db: Path) -> dict[str, Any]:
    """The same searches run by the code in `source` on its own cache (a subprocess)."""
    env = {**os.environ, "PYTHONPATH": str(source)}
    out = subprocess.run(
        [sys.executable, __file__, "--db", str(before_db), "--searches-only", "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


def _database_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ingest", type=int, default=10_000)
    parser.add_argument(
        "--conversations", "--search-size", dest="conversations", type=int, default=100_000
    )
    parser.add_argument("--out", type=Path, default=None, help="keep the database in DIR")
    parser.add_argument("--db", type=Path, default=None, help="keep and reuse the cache here")
    parser.add_argument("--before", type=Path, default=None, help="checkout to compare with")
    parser.add_argument("--before-db", type=Path, default=None, help="its cache (same data)")
    parser.add_argument(
        "--order",
        choices=("spread", "newest"),
        default="spread",
        help="page order: conversations from all over the year in every page (the"
        " default), or each block of 10,000 newest first, as a sync receives a folder",
    )
    parser.add_argument("--searches-only", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    if args.searches_only:
        figures = time_searches(args.db)
        if args.json:
            print(json.dumps(figures))
        else:
            _print_searches(figures, _count(args.db))
        return

    workdir = args.out or Path(tempfile.mkdtemp(prefix="bench-store-"))
    fresh = workdir / "fresh.db"
    for old in workdir.glob("fresh.db*"):
        old.unlink()
    db = open_writer(fresh)
    newest = args.order == "newest"
    print(f"page order: {args.order}")
    pages = _pages(0, args.ingest, seed=1, newest_first=newest)
    messages = sum(len(c["messages"]) for p in pages for c in p)
    cpu = time.process_time()
    elapsed = _ingest(db, pages, lambda: "primary")
    cpu = time.process_time() - cpu
    print(
        f"ingest: {args.ingest} conversations ({messages} messages) in {len(pages)} pages:"
        f" {elapsed:.2f} s = {args.ingest / elapsed:,.0f} conversations/s"
        f" (CPU time {cpu:.2f} s = {args.ingest / cpu:,.0f}/s; the rest is I/O and waiting"
        " for a core)"
    )
    started = time.perf_counter()
    unchanged = sum(upsert_conversations(db, page, "primary").unchanged for page in pages)
    elapsed = time.perf_counter() - started
    print(
        f"re-ingest unchanged: {unchanged} conversations in {elapsed:.2f} s"
        f" = {unchanged / elapsed:,.0f} conversations/s (nothing written)"
    )
    db.close()

    path = args.db or fresh
    db = open_writer(path)
    done = db.conn.execute("SELECT COUNT(*) FROM conversations").fetchone()[0]
    folders = random.Random(5)
    growth, grown, block_rates = 0.0, 0, []
    while done < args.conversations:
        stop = min(done + 10_000, args.conversations)
        spent = _ingest(
            db,
            _pages(done, stop, seed=done, newest_first=newest),
            lambda: "primary" if folders.random() < 0.8 else "others",
        )
        growth += spent
        grown += stop - done
        block_rates.append((stop, (stop - done) / spent))
        if stop % 100_000 == 0 or stop == args.conversations:
            print(f"  grown to {stop:,}: {block_rates[-1][1]:,.0f} conversations/s", flush=True)
        done = stop
    if grown:
        print(
            f"growth to {done:,}: {grown:,} conversations ingested in {growth:.1f} s ="
            f" {grown / growth:,.0f} conversations/s (generating the pages not counted)"
        )
    extra = _pages(done, done + 10_000, seed=done, newest_first=newest)
    cpu = time.process_time()
    spent = _ingest(db, extra, lambda: "primary")
    cpu = time.process_time() - cpu
    print(
        f"ingest at {done:,}: 10,000 more conversations in {spent:.2f} s ="
        f" {10_000 / spent:,.0f} conversations/s (CPU time {10_000 / cpu:,.0f}/s)"
    )
    _remove(db, [c["id"] for page in extra for c in page])
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.execute("PRAGMA optimize")
    total = _count(path)

    figures = time_searches(path)
    _print_searches(figures, total)
    if args.before is not None and args.before_db is not None:
        before = _before_searches(args.before, args.before_db)
        _print_searches(before, _count(args.before_db), label="BEFORE ")
        for order in ("recency", "rank"):
            ratios = ", ".join(
                f"{k} {before[order]['all'][k] / figures[order]['all'][k]:.1f}x"
                for k in ("median", "p90", "max")
            )
            print(f"search ({order}) before / after: {ratios}")

    reader = open_reader(path)
    _lists(reader)
    reader.close()
    size = _database_bytes(path)
    free = db.conn.execute("PRAGMA freelist_count").fetchone()[0]
    page = db.conn.execute("PRAGMA page_size").fetchone()[0]
    used = size - free * page
    print(
        f"database size at {total:,} conversations: {size / 1e6:,.0f} MB on disk, of which"
        f" {free * page / 1e6:,.0f} MB free pages (the 10,000 removed);"
        f" {used / 1e6:,.0f} MB used = {used / total:,.0f} B per conversation"
    )
    db.close()
    if args.out is None:
        shutil.rmtree(workdir)


def _count(path: Path) -> int:
    reader = open_reader(path)
    try:
        return reader.conn.execute("SELECT COUNT(*) FROM conversations").fetchone()[0]
    finally:
        reader.close()


def _lists(reader: Database) -> None:
    """Windows and offsets without search (the inbox's listing)."""
    for flt in (ConversationFilter(), ConversationFilter(folder="primary", unread=True)):
        listing = ConversationList(reader, flt)
        t = time.perf_counter()
        size = len(listing)
        listing.rows(max(size - 100, 0), 50)  # the first far jump finds the boundary keys
        build = time.perf_counter() - t
        timings = {}
        for name, offset in (("offset 0", 0), ("near the end", max(size - 100, 0))):
            samples = []
            for _ in range(20):
                t = time.perf_counter()
                listing.rows(offset, 50)
                samples.append(time.perf_counter() - t)
            timings[name] = _median_ms(samples)
        plain = []
        for _ in range(5):
            t = time.perf_counter()
            reader.conn.execute(
                "SELECT id FROM conversations ORDER BY last_activity DESC, id DESC"
                " LIMIT 50 OFFSET ?",
                [max(size - 100, 0)],
            ).fetchall()
            plain.append(time.perf_counter() - t)
        print(
            f"ConversationList {flt}: {size:,} rows; boundary keys"
            f" {build * 1000:.1f} ms (count + first jump to the end);"
            f" rows(offset 0, 50) {timings['offset 0']:.2f} ms,"
            f" rows(near end, 50) {timings['near the end']:.2f} ms"
            f" (ratio {timings['near the end'] / timings['offset 0']:.2f});"
            f" plain SQL OFFSET near end {_median_ms(plain):.1f} ms"
        )
    samples = []
    first = conversation_window(reader, ConversationFilter(folder="primary"), limit=50)
    for _ in range(20):
        t = time.perf_counter()
        conversation_window(reader, ConversationFilter(folder="primary"), after=first[-1].cursor)
        samples.append(time.perf_counter() - t)
    print(f"keyset window (primary, next 50 rows): median {_median_ms(samples):.2f} ms")
    for flt in (
        ConversationFilter(label="meeting_requested"),
        ConversationFilter(label="referral"),  # no conversation has it: the worst case
    ):
        samples = []
        for _ in range(5):
            t = time.perf_counter()
            conversation_window(reader, flt, limit=50)
            samples.append(time.perf_counter() - t)
        print(f"window across both folders, {flt}: median {_median_ms(samples):.2f} ms")
    samples = []
    for _ in range(5):
        t = time.perf_counter()
        label_counts(reader, ConversationFilter(folder="primary"))
        samples.append(time.perf_counter() - t)
    print(f"label counts (primary folder): median {_median_ms(samples):.1f} ms")


if __name__ == "__main__":
    main()
