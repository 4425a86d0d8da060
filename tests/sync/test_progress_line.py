"""The progress line of a long listing: items, page n of N, the request rate, an ETA."""

from __future__ import annotations

from typing import Any

import pytest

from outreach_tui.sync import progress as progress_module
from outreach_tui.sync.progress import SyncProgress, SyncRun


class Clock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


class CountingPacer:
    def __init__(self) -> None:
        self.requests = 0

    def counts(self) -> Any:
        return type("Counts", (), {"requests": self.requests, "rate_limited": 0})()


class FakeClient:
    def __init__(self) -> None:
        self.pacer = CountingPacer()


def test_a_listing_line_has_pages_rate_and_eta() -> None:
    line = SyncProgress(
        "conversations:primary",
        3400,
        7700,
        page=34,
        pages=77,
        requests_per_second=4.94,
        eta_seconds=86.4,
    ).describe()
    assert line == "conversations:primary 3400/7700, page 34/77, 4.9 req/s, ETA 1 min 26 s"
    short = SyncProgress(
        "conversations:primary",
        3400,
        7700,
        page=34,
        pages=77,
        requests_per_second=4.94,
        eta_seconds=86.4,
    ).describe(short=True)
    assert short == "conversations:primary page 34/77, 4.9/s, ETA 1 min 26 s"
    assert len(short) <= 60  # what the status bar shows of it


def test_a_one_page_listing_or_a_step_keeps_the_plain_line() -> None:
    assert SyncProgress("inboxes", 6, 6, page=1, pages=1).describe() == "inboxes 6/6"
    assert SyncProgress("warmup", 2, 6).describe() == "warmup 2/6"


def test_the_run_measures_rate_and_eta_from_its_own_pages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = Clock()
    monkeypatch.setattr(progress_module.time, "monotonic", clock)
    events: list[SyncProgress] = []
    client = FakeClient()
    run = SyncRun(client=client, db=None, on_progress=events.append)  # type: ignore[arg-type]
    clock.now += 1.0
    client.pacer.requests = 5
    run.progress("conversations:primary", 100, 1000, pages=(1, 10))
    for page in range(2, 5):
        clock.now += 0.5
        client.pacer.requests += 1
        run.progress("conversations:primary", page * 100, 1000, pages=(page, 10))
    last = events[-1]
    assert (last.page, last.pages) == (4, 10)
    # 8 requests in 2.5 s; pages 2-4 took 0.5 s each, 6 pages to go
    assert last.requests_per_second == pytest.approx(8 / 2.5)
    assert last.eta_seconds == pytest.approx(3.0)
    assert events[0].eta_seconds is None
