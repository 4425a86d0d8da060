"""TUI benchmark: the inbox at 100 and 100,000 conversations, in-process and in tmux.

    .venv/bin/python benchmarks/bench_tui.py [--conversations 100000] [--small 100]
        [--runs 5] [--cache PATH] [--no-datatable] [--no-tmux] [--tmux-synthetic]

In-process (synthetic caches from bench_store's generator, built once into .bench/tui/),
each launch in a fresh subprocess, the app headless at 120x40 (`App.run_test`):
1. launch -> first rows painted: from `OutreachApp(...)` to the first conversation row
   rendered by the compositor, at --small and --size conversations (median of --runs);
2. key press handled and repainted at --size: from the key being sent to the new cursor
   row rendered (j, page down across pages, u with its write and reload), keys 40 ms
   apart like a held key's repeat, plus G (a far jump read on a worker) and a folder
   switch (a recount);
3. RSS after those keys; the longest UI-thread stall (an event-loop lag probe) and the
   longest single call of the list's and inbox's own UI-thread code;
4. search as you type: `/`, a common 3-letter prefix (matching most conversations), a
   pause (its search runs), then more letters; the UI thread's longest stall meanwhile
   and the time from the last key to the result's first row (debounce included);
5. the same launch with Textual's DataTable holding every row, for comparison.

`--conversations` (`--size` is the old name) is the large cache's size; `--cache PATH`
copies an existing cache of that size (e.g. the one `bench_store.py --db` built) instead
of building one. The keys write to the copy (u marks rows read), never to PATH.

From outside (tmux 120x40): `outreach-tui simulator --size N` is synced into a profile with
`outreach-tui sync` (once, kept in .bench/tui/home-N), then `python -m outreach_tui` is
started in a fresh tmux server until its first rows show in `capture-pane`;
`--tmux-synthetic` opens the synthetic caches instead (`--db`; syncing 1,000,000
conversations from a simulator is too heavy for a small machine).
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import functools
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = ROOT / ".bench" / "tui"
API_KEY = "bench-key"
SIZE = (120, 40)
KEY_INTERVAL = 0.04  # seconds between two timed key presses (a key's auto-repeat rate)


# --- caches ---------------------------------------------------------------------------


def synthetic_cache(count: int, source: Path | None = None) -> Path:
    """A cache of `count` synthetic conversations (built once, or copied once from
    `source`, then reused)."""
    path = BENCH_DIR / f"synthetic-{count}.db"
    if path.exists():
        return path
    if source is not None:
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        print(f"copying {source} ({source.stat().st_size / 1e9:.1f} GB)…", flush=True)
        partial = path.with_suffix(".partial")
        shutil.copyfile(source, partial)
        partial.rename(path)
        return path
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_store import _pages  # type: ignore[import-not-found]

    from outreach_tui.store import search
    from outreach_tui.store.connection import open_writer
    from outreach_tui.store.ingest import upsert_conversations

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in BENCH_DIR.glob(partial.name + "*"):
        leftover.unlink()
    print(f"building a synthetic cache of {count:,} conversations…", flush=True)
    db = open_writer(partial)
    with search.deferred_indexing(db):
        for start in range(0, count, 10_000):
            for page in _pages(start, min(start + 10_000, count), seed=start):
                upsert_conversations(db, page, "primary")
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    partial.rename(path)
    return path


def synced_home(count: int) -> Path:
    """An OUTREACH_TUI_HOME whose default profile was synced with `outreach-tui sync` from
    `outreach-tui simulator --size count` (built once, then reused)."""
    home = BENCH_DIR / f"home-{count}"
    if (home / "synced").exists():
        return home
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    # No local request budget: the simulator has no rate limit, the run is what is timed.
    (home / "config.toml").write_text("[sync]\nrequests_per_minute = 0\n", encoding="utf-8")
    print(f"syncing a {count:,}-conversation simulator with outreach-tui sync…", flush=True)
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "outreach_tui", "simulator", "--port", "0", "--size", str(count),
         "--seed", "7", "--api-key", API_KEY],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        base_url = ""
        while not base_url:
            line = server.stdout.readline()
            if not line:
                raise SystemExit("the simulator exited early")
            base_url = line.removeprefix("Base URL: ").strip() if "Base URL" in line else ""
        env = {**os.environ, "OUTREACH_TUI_HOME": str(home), "REACHKIT_API_KEY": API_KEY,
               "REACHKIT_BASE_URL": base_url}  # fmt: skip
        subprocess.run([sys.executable, "-m", "outreach_tui", "sync"], env=env, check=True)
    finally:
        server.terminate()
        server.wait()
    (home / "synced").write_text(f"{time.perf_counter() - started:.1f}\n", encoding="utf-8")
    return home


# --- in-process measurements (run in a child process) ----------------------------------


class Probe:
    """Timestamps of painted rows, the longest calls of our UI-thread code, loop lag."""

    def __init__(self) -> None:
        self.paints: list[tuple[float, int, Any]] = []
        self.stamps: list[float] = []  # the paints' times, for bisect
        self.longest: dict[str, float] = {}
        self.max_lag = 0.0

    def wrap(self, owner: type, name: str) -> None:
        """Time every call of `owner.name` (our code that runs on the UI thread)."""
        original = getattr(owner, name)
        label = f"{owner.__name__}.{name}"

        @functools.wraps(original)  # Textual counts a watcher's parameters
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent = time.perf_counter() - started
                if spent > self.longest.get(label, 0.0):
                    self.longest[label] = spent

        setattr(owner, name, timed)

    async def lag(self) -> None:
        """Sleep 1 ms at a time; anything longer is time the UI thread was busy."""
        while True:
            started = time.perf_counter()
            await asyncio.sleep(0.001)
            self.max_lag = max(self.max_lag, time.perf_counter() - started - 0.001)

    def painted_after(
        self, since: float, match: Callable[[int, Any], bool] | None = None
    ) -> float | None:
        """When the first row (matching `match(index, row)`) was rendered after `since`."""
        for stamp, index, row in self.paints[bisect.bisect_left(self.stamps, since) :]:
            if match is None or match(index, row):
                return stamp
        return None


async def _until(check: Callable[[], Any], seconds: float = 60, what: str = "the app") -> Any:
    deadline = time.perf_counter() + seconds
    while (value := check()) is None:
        if time.perf_counter() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        # Not pilot.pause: it waits for every widget's queue and forces a repaint.
        await asyncio.sleep(0.0005)
    return value


async def measure_inbox(db_path: Path, keys: bool) -> dict[str, Any]:
    """Launch the real app on `db_path`; with `keys`, then time key presses."""
    from outreach_tui.config import Config, app_paths
    from outreach_tui.ui.app import Launch, OutreachApp
    from outreach_tui.ui.common.cache_view import CacheView
    from outreach_tui.ui.common.palette import LegibleText
    from outreach_tui.ui.common.widgets.paged_list import PagedList
    from outreach_tui.ui.inbox.screens.inbox import InboxScreen
    from outreach_tui.ui.inbox.widgets.conversation_list import ConversationList

    probe = Probe()
    render_row = ConversationList.render_row

    def recorded(self: Any, row: Any, index: int, width: int, style: Any) -> Any:
        stamp = time.perf_counter()
        probe.paints.append((stamp, index, row))
        probe.stamps.append(stamp)
        return render_row(self, row, index, width, style)

    ConversationList.render_row = recorded  # type: ignore[method-assign]
    for name in ("render_line", "row_at", "_neighbour_page", "watch_cursor", "_apply_snapshot",
                 "_apply_page", "move_cursor", "_fetch_page", "_load"):  # fmt: skip
        probe.wrap(PagedList, name)
    for name in ("on_paged_list_loaded", "set_names"):
        probe.wrap(ConversationList, name)
    for name in ("_update_filter_bar", "_apply_names", "_after_decision"):
        probe.wrap(InboxScreen, name)
    for name in ("_refresh_status", "_show_status", "_edit_landed"):
        probe.wrap(OutreachApp, name)
    probe.wrap(CacheView, "reload")  # every view's reaction to a change of the cache
    probe.wrap(LegibleText, "apply")  # the contrast filter runs on every drawn line
    launch = Launch(profile="bench", db_path=db_path, config=Config(), paths=app_paths(),
                    client_factory=None, sync_on_start=False, sync_interval_seconds=0)  # fmt: skip
    result: dict[str, Any] = {}
    started = time.perf_counter()
    app = OutreachApp(launch)
    async with app.run_test(size=SIZE) as pilot:
        first = await _until(lambda: probe.painted_after(started))
        result["launch_ms"] = (first - started) * 1000
        if not keys:
            return result
        conversations = app.screen.query_one(ConversationList)
        result["total"] = conversations.total
        others = count_in_folder(db_path, "others")
        await pilot.pause(0.3)
        result["launch_longest_ms"] = {k: v * 1000 for k, v in probe.longest.items()}
        probe.longest.clear()  # from here on: the steady state while keys are pressed

        async def press(key: str, match: Callable[[int, Any], bool]) -> float:
            """Milliseconds from sending `key` to a rendered row that `match`es."""
            # Keys 40 ms apart, as a held key repeats: back to back, each would also wait
            # for Textual's next frame (60 fps), which a person never types fast enough for.
            await asyncio.sleep(KEY_INTERVAL)
            sent = time.perf_counter()
            # simulate_key sends the key at once (pilot.press would then wait for an idle
            # process, which the lag probe never is).
            app.simulate_key(key)
            stamp = await _until(lambda: probe.painted_after(sent, match), 10, f"key {key}")
            return (stamp - sent) * 1000

        def at_cursor(index: int, row: Any) -> bool:
            return index == conversations.cursor

        async def toggle_read() -> float:
            """u: milliseconds until the row shows its new read state (the cursor moves on)."""
            index, row = conversations.cursor, conversations.current_row
            was_read = row.is_read if row is not None else None
            return await press("u", lambda i, r: i == index and r.is_read != was_read)

        async def session() -> dict[str, Any]:
            times: dict[str, Any] = {}
            app.simulate_key("g")
            await pilot.pause(0.3)
            times["j_ms"] = [await press("j", at_cursor) for _ in range(150)]
            times["pagedown_ms"] = [await press("pagedown", at_cursor) for _ in range(20)]
            times["u_ms"] = [await toggle_read() for _ in range(10)]
            await pilot.pause(1.0)  # the edits' reloads land
            times["G_ms"] = await press("G", at_cursor)
            times["g_ms"] = await press("g", at_cursor)
            app.simulate_key("f")  # primary -> others
            await _until(lambda: conversations.filter.folder == "others" or None)
            await _until(lambda: (conversations.total == others) or None, what="others")
            times["folder_ms"] = await press("f", at_cursor)  # -> all folders: recount, rows
            await pilot.pause(0.5)
            app.simulate_key("f")  # -> snoozed
            await _until(lambda: conversations.filter.snoozed or None)
            app.simulate_key("f")  # back to primary
            await _until(lambda: (conversations.filter.folder == "primary") or None)
            await pilot.pause(0.5)
            return times

        # Timed without the lag probe (its 1 ms wake-ups would slow what it measures),
        # then the same session again with it.
        result.update(await session())
        lag = asyncio.get_running_loop().create_task(probe.lag())
        await session()
        lag.cancel()
        result["max_lag_ms"] = probe.max_lag * 1000
        result["longest_ms"] = {k: v * 1000 for k, v in probe.longest.items()}
        result["rss_mb"] = _rss_mb()
        result.update(await type_search(app, probe, conversations))
    return result


async def type_search(app: Any, probe: Probe, conversations: Any) -> dict[str, Any]:
    """Search as a person types it; the UI thread's longest stall meanwhile."""
    loads: list[tuple[float, str | None]] = []  # (when, search text) of each landed load
    apply_snapshot = conversations._apply_snapshot

    def applied(snapshot: Any) -> None:
        apply_snapshot(snapshot)
        loads.append((time.perf_counter(), conversations.filter.search))

    conversations._apply_snapshot = applied
    probe.max_lag = 0.0
    lag = asyncio.get_running_loop().create_task(probe.lag())
    app.simulate_key("slash")
    await asyncio.sleep(0.2)
    for char in "riv":  # a 3-letter prefix of most conversations of the generator
        app.simulate_key(char)
        await asyncio.sleep(0.12)
    await asyncio.sleep(0.5)  # past the debounce: that search runs (and is replaced below)
    sent = time.perf_counter()
    for char in "saka":  # (a simulated space does not type one into the Input)
        app.simulate_key(char)
        sent = time.perf_counter()
        await asyncio.sleep(0.12)
    landed = await _until(lambda: next((t for t, text in loads if text == "rivsaka"), None),
                          60, "the search")  # fmt: skip
    await asyncio.sleep(0.1)  # its rows are painted
    lag.cancel()
    return {
        "search_ms": (landed - sent) * 1000,
        "search_total": conversations.total,
        "search_max_lag_ms": probe.max_lag * 1000,
    }


def count_in_folder(db_path: Path, folder: str) -> int:
    """Conversations of `folder` in the cache (bench_store's caches put 20% in others)."""
    from outreach_tui.store.connection import open_reader
    from outreach_tui.store.queries.conversations import count_conversations
    from outreach_tui.store.records import ConversationFilter

    reader = open_reader(db_path)
    try:
        return count_conversations(reader, ConversationFilter(folder=folder))
    finally:
        reader.close()


async def measure_datatable(db_path: Path) -> dict[str, Any]:
    """The same launch with every row added to Textual's DataTable."""
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    from outreach_tui.store.connection import open_reader
    from outreach_tui.store.queries.conversations import conversation_window
    from outreach_tui.store.records import ConversationFilter

    painted: list[float] = []
    render_line = DataTable.render_line

    def recorded(self: Any, y: int) -> Any:
        if self.row_count and not painted:
            painted.append(time.perf_counter())
        return render_line(self, y)

    DataTable.render_line = recorded  # type: ignore[method-assign]

    class TableApp(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable(cursor_type="row")

        def on_mount(self) -> None:
            db = open_reader(db_path)
            rows = conversation_window(db, ConversationFilter(), limit=10_000_000)
            db.close()
            table = self.query_one(DataTable)
            table.add_columns("", "Sender", "Subject", "Label", "When")
            table.add_rows(
                ("●" if not r.is_read else "", r.sender_name, r.subject, r.label or "—",
                 r.last_activity[:10]) for r in rows
            )  # fmt: skip

    started = time.perf_counter()
    app = TableApp()
    async with app.run_test(size=SIZE):
        await _until(lambda: painted[0] if painted else None, seconds=600)
        result = {"launch_ms": (painted[0] - started) * 1000, "rss_mb": _rss_mb()}
    return result


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_child(kind: str, db_path: Path, keys: bool = False) -> dict[str, Any]:
    """One measurement in a fresh process (no warm caches from an earlier launch)."""
    env = {**os.environ, "OUTREACH_TUI_HOME": str(BENCH_DIR / "child-home")}
    args = [sys.executable, __file__, "--child", kind, "--db", str(db_path)]
    for _attempt in range(3):
        done = subprocess.run(args + (["--keys"] if keys else []), env=env,
                              capture_output=True, text=True)  # fmt: skip
        if done.returncode == 0:
            return json.loads(done.stdout.strip().splitlines()[-1])
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        print(f"  (a {kind} run failed, run again: {last})", flush=True)
    raise SystemExit(f"the {kind} measurement failed three times")


# --- from outside: tmux --------------------------------------------------------------------


def tmux_launch_ms(home: Path, db: Path | None = None) -> float:
    """Start `python -m outreach_tui` on `home` in a fresh tmux server; milliseconds until
    its first conversation row shows in the pane. With `db`, on that cache file instead
    of the profile's (a key and a server that refuses connections: the app starts as it
    does online, its first sync fails in the background)."""
    socket = str(BENCH_DIR / "tmux.sock")
    tmux = ["tmux", "-S", socket, "-f", os.devnull]
    command = f"{sys.executable} -m outreach_tui"
    env = ["-e", f"OUTREACH_TUI_HOME={home}", "-e", "TERM=xterm-256color"]
    if db is not None:
        command += f" --db {db} --base-url http://127.0.0.1:9"
        env += ["-e", f"REACHKIT_API_KEY={API_KEY}"]
    started = time.perf_counter()
    subprocess.run([*tmux, "new-session", "-d", "-x", "120", "-y", "40", *env, command],
                   check=True)  # fmt: skip
    try:
        while True:
            pane = subprocess.run([*tmux, "capture-pane", "-p"], capture_output=True, text=True)
            lines = pane.stdout.splitlines()
            # Line 1 is the filter bar (its count once loaded), 2 the column titles, 3 the
            # first conversation once it is painted.
            if len(lines) > 2 and "conversations" in lines[0] and lines[2].strip():
                return (time.perf_counter() - started) * 1000
            if time.perf_counter() - started > 60:
                raise SystemExit(f"the TUI did not show its rows:\n{pane.stdout}")
            time.sleep(0.005)
    finally:
        subprocess.run([*tmux, "send-keys", "C-q"], capture_output=True)
        time.sleep(0.5)
        subprocess.run([*tmux, "kill-server"], capture_output=True)
        Path(socket).unlink(missing_ok=True)


# --- report ----------------------------------------------------------------------------


def _runs(samples: list[float]) -> str:
    return ", ".join(f"{s:.0f}" for s in samples)


def _p(samples: list[float], q: float) -> float:
    return sorted(samples)[min(int(len(samples) * q), len(samples) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", "--size", dest="size", type=int, default=100_000)
    parser.add_argument("--cache", type=Path, default=None, help="copy this large cache")
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-datatable", action="store_true")
    parser.add_argument("--no-tmux", action="store_true")
    parser.add_argument(
        "--tmux-synthetic",
        action="store_true",
        help="in tmux, open the synthetic caches (--db) instead of syncing a simulator",
    )
    parser.add_argument("--child", choices=("inbox", "datatable"), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--keys", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "inbox":
        print(json.dumps(asyncio.run(measure_inbox(args.db, args.keys))))
        return
    if args.child == "datatable":
        print(json.dumps(asyncio.run(measure_datatable(args.db))))
        return

    small, large = synthetic_cache(args.small), synthetic_cache(args.size, args.cache)
    launches = {
        n: [run_child("inbox", db)["launch_ms"] for _ in range(args.runs)]
        for n, db in ((args.small, small), (args.size, large))
    }
    for n, samples in launches.items():
        print(f"launch -> first rows painted, {n:,} conversations: median"
              f" {statistics.median(samples):.0f} ms (runs: {_runs(samples)})")  # fmt: skip
    ratio = statistics.median(launches[args.size]) / statistics.median(launches[args.small])
    print(f"  ratio {args.size:,} / {args.small:,}: {ratio:.2f} (goal <= 1.5)")

    keys = run_child("inbox", large, keys=True)
    for name in ("j", "pagedown", "u"):
        samples = keys[f"{name}_ms"]
        print(f"key {name} -> new cursor row repainted at {keys['total']:,}: median"
              f" {statistics.median(samples):.1f} ms, p95 {_p(samples, 0.95):.1f} ms,"
              f" max {max(samples):.1f} ms ({len(samples)} presses)")  # fmt: skip
    print(f"G (far jump, worker read) {keys['G_ms']:.0f} ms; g {keys['g_ms']:.0f} ms;"
          f" folder switch to all (recount) -> rows {keys['folder_ms']:.0f} ms")  # fmt: skip
    print(f"RSS after the keys: {keys['rss_mb']:.0f} MB (goal < 200 MB)")
    print(f"search typed ('riv', pause, 'saka'): last key -> the result (count and first page) of"
          f" {keys['search_total']:,} matches {keys['search_ms']:.0f} ms (0.25 s debounce"
          " included); longest UI-thread stall meanwhile"
          f" {keys['search_max_lag_ms']:.1f} ms")  # fmt: skip
    print(f"longest UI-thread stall (loop lag probe): {keys['max_lag_ms']:.1f} ms")
    longest = sorted(keys["longest_ms"].items(), key=lambda item: -item[1])
    print("longest single call of our UI-thread code: "
          + ", ".join(f"{name} {ms:.2f} ms" for name, ms in longest[:6]))  # fmt: skip

    if not args.no_datatable:
        for n, db in ((args.small, small), (args.size, large)):
            table = run_child("datatable", db)
            print(f"DataTable with every row, {n:,} conversations: launch -> first rows"
                  f" {table['launch_ms']:,.0f} ms, RSS {table['rss_mb']:.0f} MB")  # fmt: skip

    if not args.no_tmux and shutil.which("tmux"):
        outside = {}
        for n, db in ((args.small, small), (args.size, large)):
            if args.tmux_synthetic:
                home, copy = BENCH_DIR / "home-synthetic", BENCH_DIR / f"tmux-{n}.db"
                home.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(db, copy)  # the app writes (a migration, read state)
                tmux_launch_ms(home, copy)  # not timed: a migration runs once
                outside[n] = [tmux_launch_ms(home, copy) for _ in range(args.runs)]
                copy.unlink()
            else:
                outside[n] = [tmux_launch_ms(synced_home(n)) for _ in range(args.runs)]
            kind = "synthetic" if args.tmux_synthetic else "synced"
            print(f"tmux, `python -m outreach_tui` on a {kind} cache of {n:,}: median"
                  f" {statistics.median(outside[n]):.0f} ms to the first rows"
                  f" (runs: {_runs(outside[n])})")  # fmt: skip
        ratio = statistics.median(outside[args.size]) / statistics.median(outside[args.small])
        print(f"  ratio {args.size:,} / {args.small:,}: {ratio:.2f} (goal <= 1.5)")


if __name__ == "__main__":
    main()
