"""The five places that show inbox warnings agree on the seeded workspace.

The warmup header and the status bar count the inboxes that need attention (a warning or
an error among their warnings; a notice alone is not enough); the Warn column marks each
inbox with its worst severity and the number of its warnings; `inboxes list` lists those
warnings and `inboxes check` names each of them too (notices marked), exiting 3 when an
inbox needs attention. They all come from `core.warmup.workspace_warnings`, so the figures
below agree by construction: the test reads each one where the user sees it.

The seeded workspace has what used to make them disagree: an inbox with a notice beside
a warning (`connection_pending` and `low_health`) and a campaign warning, which the old
status bar counted once per campaign and the Warn column once per attached inbox.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from outreach_tui import cli
from outreach_tui.ui.common.widgets.status_bar import StatusBar
from outreach_tui.ui.warmup.screens.warmup import WarmupScreen

from .conftest import make_app, settle, wait_for

ATTENTION_SEVERITIES = {"warning", "error"}
SEVERITY_ORDER = ["notice", "warning", "error"]
MARKS = {"": "", "notice": "•", "warning": "⚠", "error": "✖"}
FIGURE = re.compile(r"⚠ (\d+) ")
WARN_CELL = re.compile(r"([✖⚠•]) (\d+)\s*$")


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    capsys.readouterr()
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out


def _figure(text: str) -> int:
    found = FIGURE.search(text)
    assert found is not None, f"no ⚠ figure in {text!r}"
    return int(found.group(1))


async def _ui_figures(db_path: Path) -> tuple[str, str, dict[str, tuple[str, int]]]:
    """The warmup header, the status bar and the Warn column (inbox id -> mark, count),
    as rendered by the real app."""
    app = make_app(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, WarmupScreen))
        screen = app.screen
        assert isinstance(screen, WarmupScreen)
        bar = screen.query_one(StatusBar)
        await wait_for(pilot, lambda: screen.overview is not None)
        await wait_for(pilot, lambda: "⚠" in str(bar.render()))
        await settle(pilot)
        header = str(screen.query_one("#warmup-bar", Static).render())
        status = str(bar.render())
        table = screen.table
        assert table.row_count == len(table.keys) < table.size.height  # every row on screen
        column: dict[str, tuple[str, int]] = {}
        for index, key in enumerate(table.keys):
            cell = WARN_CELL.search(table.render_line(index + 1).text)
            column[key] = ("", 0) if cell is None else (cell.group(1), int(cell.group(2)))
    return header, status, column


async def test_header_status_bar_warn_column_list_and_check_agree(
    synced_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(synced_db)
    code, out = _run(capsys, "--db", db, "inboxes", "list", "--json")
    assert code == 0
    listed: list[dict[str, Any]] = json.loads(out)
    code, table_out = _run(capsys, "--db", db, "inboxes", "list")
    assert code == 0
    check_code, check_out = _run(capsys, "--db", db, "inboxes", "check")
    header, status, warn_column = await _ui_figures(synced_db)

    attention = {
        inbox["email"]
        for inbox in listed
        if any(w["severity"] in ATTENTION_SEVERITIES for w in inbox["warnings"])
    }
    # the workspace has what used to make the figures disagree
    codes = [w["code"] for inbox in listed for w in inbox["warnings"]]
    assert "campaign_unhealthy_inboxes" in codes and "connection_pending" in codes
    assert 0 < len(attention) < len(listed)

    # the header and the status bar: the same count, of inboxes, said the same way
    assert _figure(header) == _figure(status) == len(attention)
    assert f"⚠ {len(attention)} inboxes need attention" in header
    assert f"⚠ {len(attention)} inboxes need attention" in status

    # the Warn column: each inbox's worst mark and number of warnings, as `inboxes list`
    by_id = {inbox["id"]: inbox for inbox in listed}
    assert set(warn_column) == set(by_id)
    for inbox_id, (mark, count) in warn_column.items():
        severities = [w["severity"] for w in by_id[inbox_id]["warnings"]]
        worst = max(severities, key=SEVERITY_ORDER.index, default="")
        assert (mark, count) == (MARKS[worst], len(severities)), by_id[inbox_id]["email"]
    marked = {by_id[i]["email"] for i, (mark, _) in warn_column.items() if mark in ("⚠", "✖")}
    assert marked == attention

    # `inboxes list` (the table) shows the same codes as its JSON
    for inbox in listed:
        line = next(line for line in table_out.splitlines() if line.startswith(inbox["email"]))
        assert line.rstrip().endswith(", ".join(w["code"] for w in inbox["warnings"]))

    # `inboxes check`: one line per inbox with a warning, naming every one of them
    lines = dict(line.split(": ", 1) for line in check_out.splitlines())
    assert set(lines) == {inbox["email"] for inbox in listed if inbox["warnings"]}
    for inbox in listed:
        if not inbox["warnings"]:
            continue
        reasons = lines[inbox["email"]].split("; ")
        assert len(reasons) == len(inbox["warnings"]), inbox["email"]
        for reason, warning in zip(reasons, inbox["warnings"], strict=True):
            assert reason.removesuffix(" (notice)") in warning["message"]
            assert reason.endswith(" (notice)") == (warning["severity"] == "notice")
    assert check_code == (3 if attention else 0)

    # and the sums: every warning the Warn column counts is one `list` and `check` show
    total = sum(count for _, count in warn_column.values())
    assert total == len(codes) == sum(len(line.split("; ")) for line in lines.values())
