"""Benchmark of the Reachkit simulator: start-up time, peak memory, page latencies.

Starts `python -m outreach_tui simulator` as a subprocess (default --size 100000), times
how long it takes until its base URL is printed and the first request is answered, reads
its peak RSS from /proc, then measures the latency of list pages over loopback HTTP.

Goals (issue 3): start < 15 s and < 1 GB at --size 100000; a 100-conversation page < 50 ms.

    .venv/bin/python benchmarks/bench_simulator.py [--size 100000] [--requests 60]
"""

from __future__ import annotations

import argparse
import random
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

KEY = "bench-key"


def peak_rss_mb(pid: int) -> float:
    """Peak resident set size of a process (VmHWM), in MB; 0 when /proc is unavailable."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def start_simulator(size: int) -> tuple[subprocess.Popen[str], str, float]:
    """Start the simulator; returns the process, its base URL and the start-up seconds."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "outreach_tui", "simulator", "--port", "0", "--size", str(size),
         "--seed", "7", "--api-key", KEY],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )  # fmt: skip
    assert process.stdout is not None
    base_url = ""
    while not base_url:
        line = process.stdout.readline()
        if not line:
            raise SystemExit(
                f"the simulator exited early: {process.stderr.read() if process.stderr else ''}"
            )
        if line.startswith("Base URL: "):
            base_url = line.removeprefix("Base URL: ").strip()
    with httpx.Client(base_url=base_url, headers={"X-API-Key": KEY}) as client:
        client.get("/api/v1/inboxes").raise_for_status()
    return process, base_url, time.perf_counter() - started


def measure(
    client: httpx.Client, count: int, make_path: Callable[[int], str]
) -> tuple[float, float]:
    """Median and p95 latency in milliseconds of `count` requests."""
    timings = []
    for number in range(count):
        began = time.perf_counter()
        response = client.get(make_path(number))
        response.raise_for_status()
        timings.append((time.perf_counter() - began) * 1000)
    timings.sort()
    return statistics.median(timings), timings[min(len(timings) - 1, int(len(timings) * 0.95))]


def main() -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=60, help="requests per page kind")
    args = parser.parse_args()

    process, base_url, startup = start_simulator(args.size)
    try:
        rss_after_start = peak_rss_mb(process.pid)
        rng = random.Random(1)
        with httpx.Client(base_url=base_url, headers={"X-API-Key": KEY}, timeout=60) as client:
            campaigns = client.get("/api/v1/campaigns", params={"page_size": 100}).json()["data"]
            biggest = max(campaigns, key=lambda c: c["stats"]["leads_count"])
            pages = max(1, args.size // 100)
            kinds: list[tuple[str, Callable[[int], str]]] = [
                (
                    "conversations, page 1 of 100",
                    lambda n: "/api/v1/unibox/conversations?page_size=100",
                ),
                (
                    "conversations, random page of 100",
                    lambda n: (
                        f"/api/v1/unibox/conversations?page_size=100&page={rng.randint(1, pages)}"
                    ),
                ),
                (
                    "conversations, folder=others, 100",
                    lambda n: (
                        f"/api/v1/unibox/conversations?page_size=100&folder=others&page={n + 1}"
                    ),
                ),
                (
                    "conversations, default page (20)",
                    lambda n: f"/api/v1/unibox/conversations?page={n + 1}",
                ),
                ("campaigns list", lambda n: "/api/v1/campaigns?page_size=100"),
                (
                    f"leads, 100 of {biggest['stats']['leads_count']}",
                    lambda n: f"/api/v1/campaigns/{biggest['id']}/leads?page_size=100&page={n + 1}",
                ),
                ("campaign analytics", lambda n: f"/api/v1/campaigns/{biggest['id']}/analytics"),
                ("inboxes list", lambda n: "/api/v1/inboxes"),
            ]
            results = [(name, *measure(client, args.requests, path)) for name, path in kinds]
            search_median, search_p95 = measure(
                client, 5, lambda n: "/api/v1/unibox/conversations?page_size=100&search=acme"
            )
        rss_peak = peak_rss_mb(process.pid)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()

    print(f"Simulator benchmark, --size {args.size} ({args.requests} requests per page kind)")
    print(f"  start-up until the first answer: {startup:6.2f} s   (goal < 15 s)")
    print(f"  peak RSS after start-up:         {rss_after_start:6.0f} MB  (goal < 1024 MB)")
    print(f"  peak RSS after the requests:     {rss_peak:6.0f} MB")
    print(f"  {'page kind':<40} {'median ms':>10} {'p95 ms':>8}")
    for name, median, p95 in results:
        print(f"  {name:<40} {median:10.1f} {p95:8.1f}")
    print(f"  {'conversations, search (5 requests)':<40} {search_median:10.1f} {search_p95:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
