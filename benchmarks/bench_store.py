"""Store benchmark: ingest rate, FTS search latency, window queries, database size.

    .venv/bin/python benchmarks/bench_store.py [--ingest N] [--search-size N] [--out DIR]

Synthetic API-shaped conversations (~3 messages each) are generated here (no simulator):
1. ingest N conversations (default 10,000) in pages of 100, one transaction per page;
   then the same pages again (the "nothing changed" incremental case);
2. grow the database to --search-size conversations (default 100,000) and time FTS
   searches (median of many words and prefixes) on a reader connection;
3. time a keyset window at offset 0 and near the end through `ConversationList`
   (plus a plain SQL OFFSET for comparison), and the label counts;
4. print the database size.
"""

from __future__ import annotations

import argparse
import itertools
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from outreach_tui.store.connection import open_reader, open_writer
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


def _pages(start: int, stop: int, seed: int) -> list[list[dict[str, Any]]]:
    rng = random.Random(seed)
    items = [make_conversation(i, rng) for i in range(start, stop)]
    return [items[k : k + 100] for k in range(0, len(items), 100)]


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ingest", type=int, default=10_000)
    parser.add_argument("--search-size", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=None, help="keep the database here")
    args = parser.parse_args()
    workdir = args.out or Path(tempfile.mkdtemp(prefix="bench-store-"))
    path = workdir / "bench.db"
    if path.exists():
        path.unlink()
    db = open_writer(path)

    pages = _pages(0, args.ingest, seed=1)
    messages = sum(len(c["messages"]) for p in pages for c in p)
    started, cpu = time.perf_counter(), time.process_time()
    for page in pages:
        upsert_conversations(db, page, "primary")
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
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

    done = args.ingest
    while done < args.search_size:
        stop = min(done + 10_000, args.search_size)
        for page in _pages(done, stop, seed=done):
            upsert_conversations(db, page, "primary" if random.random() < 0.8 else "others")
        done = stop
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.execute("PRAGMA optimize")
    reader = open_reader(path)
    total = reader.conn.execute("SELECT COUNT(*) FROM conversations").fetchone()[0]

    rng = random.Random(3)
    typed = WORDS[100:]  # what users search for: not the words every email contains
    queries = [rng.choice(typed) for _ in range(30)]
    queries += [rng.choice(typed)[:3] for _ in range(20)]  # prefixes, as typed
    queries += [f"{rng.choice(typed)} {rng.choice(typed)}" for _ in range(30)]
    queries += [rng.choice(LAST) for _ in range(20)]
    for order in ("recency", "rank"):
        samples = []
        for text in queries:
            t = time.perf_counter()
            search_conversations(reader, text, limit=50, order=order)  # type: ignore[arg-type]
            samples.append(time.perf_counter() - t)
        p90 = sorted(samples)[int(len(samples) * 0.9)] * 1000
        print(
            f"search ({order}, first 50) at {total:,} conversations: median"
            f" {_median_ms(samples):.1f} ms, p90 {p90:.1f} ms over {len(queries)} queries"
        )
    samples = []
    for text in queries:
        t = time.perf_counter()
        conversation_window(reader, ConversationFilter(folder="primary", search=text), limit=50)
        samples.append(time.perf_counter() - t)
    p90 = sorted(samples)[int(len(samples) * 0.9)] * 1000
    print(
        f"window with search (primary folder, first 50 rows): median {_median_ms(samples):.1f}"
        f" ms, p90 {p90:.1f} ms"
    )

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

    size = sum(p.stat().st_size for p in workdir.glob("bench.db*"))
    print(
        f"database size at {total:,} conversations: {size / 1e6:.0f} MB"
        f" ({size / total:,.0f} B each)"
    )
    reader.close()
    db.close()
    if args.out is None:
        shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
