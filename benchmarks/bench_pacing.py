"""Pacing and pipelining benchmark: first syncs against limited and unlimited servers.

    .venv/bin/python benchmarks/bench_pacing.py pacing [--size 10000] [--rate 5]
    .venv/bin/python benchmarks/bench_pacing.py pipelining [--size 100000]

`pacing` serves the simulator (`create_app(size, seed=7)`) on loopback from a thread of
this process, four times, and runs a first (full) sync of a fresh cache each time:
1. no server limit, the client unpaced (`start_rate=None`: what `requests_per_minute = 0`
   meant before pacing was learned) — the baseline;
2. no server limit, the client as configured by default;
3. the server allowing `--rate` requests/s and announcing it in `X-RateLimit-*`;
4. the same limit, silent: only 429 + `Retry-After`.
Each line gives requests, 429s, seconds, and the ratio to the baseline (1-2) or to the
ideal (3-4): the requests that had to succeed (429s not counted) divided by the rate.

`pipelining` starts `python -m outreach_tui simulator --size N` as a separate process (so
server and client do not share a GIL) and runs one first sync with the default client,
timing the share of the run the client's event loop spent waiting for the network (blocked
in `select` with nothing else to do). Run it from a checkout of each version to compare
(`PYTHONPATH=<checkout>`); it only uses `run_sync` and `ReachkitClient`.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from outreach_tui.api import ReachkitClient
from outreach_tui.store.connection import open_writer
from outreach_tui.sync.engine import SyncOptions, run_sync

KEY = "rk_bench_pacing_key"


class SelectTimer:
    """Adds up the time the event loop spends blocked in `select` (waiting for I/O)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.seconds = 0.0
        selector = loop._selector  # type: ignore[attr-defined]  # a benchmark may peek
        original = selector.select

        def select(timeout: float | None = None) -> Any:
            started = time.perf_counter()
            try:
                return original(timeout)
            finally:
                self.seconds += time.perf_counter() - started

        selector.select = select


async def _first_sync(base_url: str, workdir: Path, name: str, **client: Any) -> dict[str, Any]:
    path = workdir / f"{name}.db"
    db = open_writer(path)
    timer = SelectTimer(asyncio.get_running_loop())
    try:
        async with ReachkitClient(base_url=base_url, api_key=KEY, **client) as reachkit:
            started, cpu = time.perf_counter(), time.process_time()
            report = await run_sync(reachkit, db, SyncOptions(full=True))
            wall = time.perf_counter() - started
            cpu = time.process_time() - cpu
    finally:
        db.close()
    assert report.ok, report.to_json()
    summary = report.to_json()
    return {
        "wall": wall,
        "cpu": cpu,
        "waiting": timer.seconds,
        "requests": summary.get("requests"),
        "rate_limited": summary.get("rate_limited"),
        "rps": summary.get("requests_per_second"),
        "conversations": report.pulled.get("conversations", 0),
    }


def pacing(size: int, rate: int) -> None:
    from outreach_tui.simulator import create_app
    from outreach_tui.simulator.server import serve_in_thread

    workdir = Path(tempfile.mkdtemp(prefix="bench-pacing-"))
    app = create_app(api_keys=[KEY], size=size, seed=7)
    sim = app.state.simulator
    results: dict[str, dict[str, Any]] = {}

    async def run() -> None:
        with serve_in_thread(app) as base_url:
            scenarios: list[tuple[str, str | None, dict[str, Any]]] = [
                ("unlimited, client unpaced", None, {"start_rate": None}),
                ("unlimited, default client", None, {}),
                (f"{rate}/s announced, default client", f"{rate}/s", {}),
                (f"{rate}/s silent, default client", f"{rate}/s silent", {}),
            ]
            for title, limit, client in scenarios:
                sim.set_rate_limit(limit)
                await asyncio.sleep(1.1)  # a fresh window
                results[title] = await _first_sync(base_url, workdir, str(len(results)), **client)
                print(_line(title, results[title], rate if limit else None, results))

    asyncio.run(run())
    sim.close()


def _line(title: str, r: dict[str, Any], rate: int | None, results: dict[str, Any]) -> str:
    text = (
        f"{title:<34} {r['requests']:>5} requests {r['rate_limited']:>3} x 429"
        f" {r['wall']:>7.2f} s  learned {r['rps'] or 0:>6.2f}/s"
    )
    if rate is None:
        baseline = next(iter(results.values()))["wall"]
        return text + f"  {r['wall'] / baseline:.2f} x the unpaced sync"
    # the ideal: the requests that had to succeed, sent at exactly the server's rate
    ideal = (r["requests"] - r["rate_limited"]) / rate
    return text + f"  {r['wall'] / ideal:.2f} x ideal ({ideal:.1f} s)"


def pipelining(size: int) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="bench-pipelining-"))
    command = [sys.executable, "-m", "outreach_tui", "simulator", "--port", "0"]
    command += ["--size", str(size), "--seed", "7", "--api-key", KEY]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        base_url = ""
        for line in server.stdout:
            found = re.match(r"Base URL: (\S+)", line)
            if found:
                base_url = found.group(1)
                break
        options: dict[str, Any] = {"requests_per_minute": None}
        r = asyncio.run(_first_sync(base_url, workdir, "pipelining", **options))
    finally:
        server.terminate()
        server.wait(10)
    print(
        f"first sync of {r['conversations']:,} conversations: {r['wall']:.1f} s,"
        f" {r['conversations'] / r['wall']:,.0f} conversations/s;"
        f" waiting for the network {r['waiting']:.1f} s = {r['waiting'] / r['wall']:.0%}"
        f" of the run; client CPU {r['cpu']:.1f} s; requests {r['requests']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scenario", choices=["pacing", "pipelining"])
    parser.add_argument("--size", type=int, default=None)
    parser.add_argument("--rate", type=int, default=5)
    args = parser.parse_args()
    if args.scenario == "pacing":
        pacing(args.size or 10_000, args.rate)
    else:
        pipelining(args.size or 100_000)


if __name__ == "__main__":
    main()
