"""The status bar during a long first sync: the listing's page, the request rate, an ETA."""

from __future__ import annotations

from typing import Any

from outreach_tui.sync.progress import SyncProgress
from outreach_tui.ui.backend.messages import SyncProgressed
from outreach_tui.ui.backend.sync_control import SyncControl


class RecordingStatus:
    def __init__(self) -> None:
        self.updates: list[dict[str, Any]] = []

    def update(self, **changes: Any) -> None:
        self.updates.append(changes)


class Host:
    def __init__(self) -> None:
        self.status = RecordingStatus()


def test_a_long_listing_shows_its_page_rate_and_eta_in_the_status_bar() -> None:
    host = Host()
    control = SyncControl(host)  # type: ignore[arg-type]
    progress = SyncProgress(
        "conversations:primary",
        3400,
        7700,
        page=34,
        pages=77,
        requests_per_second=4.9,
        eta_seconds=12.2,
    )
    control.progressed(SyncProgressed(progress))
    assert host.status.updates[-1] == {
        "online": True,
        "syncing": "conversations:primary page 34/77, 4.9/s, ETA 12 s",
    }
    control.progressed(SyncProgressed(SyncProgress("warmup", 2, 6)))
    assert host.status.updates[-1]["syncing"] == "warmup 2/6"
