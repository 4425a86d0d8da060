"""The warmup screens' pieces without an app: limit and reply-to checks, table layout,
badges; and hostile text from the cache reaching the table as inert characters."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.text import Text

from outreach_tui.core.warmup import HealthWarning, Severity
from outreach_tui.store.connection import open_writer
from outreach_tui.ui.warmup.screens.detail import check_reply_to, parse_limit
from outreach_tui.ui.warmup.screens.warmup import WarmupScreen
from outreach_tui.ui.warmup.widgets.badges import (
    health_text,
    ramp_up_bar,
    warning_lines,
    warning_marker,
)
from outreach_tui.ui.warmup.widgets.table import (
    Column,
    column_widths,
    layout_row,
    prepare_row,
    shown_columns,
)

from .conftest import make_app, wait_for


@pytest.mark.parametrize(
    ("field", "text", "expected"),
    [
        ("daily_campaign_limit", "1", 1),
        ("daily_campaign_limit", " 500 ", 500),
        ("daily_warmup_limit", "100", 100),
    ],
)
def test_limits_in_range_are_accepted(field: str, text: str, expected: int) -> None:
    assert parse_limit(field, text) == expected


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("daily_campaign_limit", "501", "from 1 to 500 (got 501)"),
        ("daily_campaign_limit", "0", "from 1 to 500 (got 0)"),
        ("daily_campaign_limit", "-3", "(got -3)"),
        ("daily_campaign_limit", "", "(got nothing)"),
        ("daily_warmup_limit", "101", "Daily warmup limit must be a whole number from 1 to 100"),
        ("daily_warmup_limit", "2.5", "(got 2.5)"),
    ],
)
def test_limits_out_of_range_are_refused_in_plain_words(
    field: str, text: str, message: str
) -> None:
    with pytest.raises(ValueError, match=r"nothing saved\.$") as refused:
        parse_limit(field, text)
    assert message in str(refused.value)


def test_reply_to_is_an_address_or_empty() -> None:
    assert check_reply_to("  team@acme.example ") == "team@acme.example"
    assert check_reply_to("") == ""
    for bad in ("team", "a b@c.example"):
        with pytest.raises(ValueError, match="empty to clear it"):
            check_reply_to(bad)


def test_table_layout_cuts_the_flexible_column_and_aligns_numbers() -> None:
    columns = (Column("Email", 0), Column("Sent", 5, "right"))
    assert column_widths(columns, 20) == [12, 5]  # 20 - 1 indent - 2 gap - 5
    row = prepare_row([Text("a-very-long-address@example.com"), Text("42")])
    line = "".join(segment.text for segment in layout_row(columns, row, 20))
    assert line == " a-very-long…     42"
    short = prepare_row([Text("a@b.example"), Text("7")])
    assert "".join(s.text for s in layout_row(columns, short, 20)) == " a@b.example       7"


def test_badges() -> None:
    assert health_text(95).style == "bold green"
    assert health_text(85).style == "bold yellow"
    assert health_text(40).style == "bold red"
    assert health_text(None).plain == "-"
    assert ramp_up_bar(50, width=4).plain == "██░░  50%"
    assert ramp_up_bar(None).plain == "-"
    error = HealthWarning("connection_error", Severity.ERROR, "a@b.example", "broken", "i1")
    notice = HealthWarning("connection_pending", Severity.NOTICE, "a@b.example", "later", "i1")
    campaign = HealthWarning(
        "campaign_unhealthy_inboxes", Severity.WARNING, "campaign X", "no healthy inbox", None, "c"
    )
    assert warning_marker([notice, error]).plain == "✖ 2"
    assert warning_marker([]).plain == ""
    lines = warning_lines([error, campaign], with_subject=False).plain.splitlines()
    assert lines == ["✖ broken", "⚠ campaign X: no healthy inbox"]


async def test_hostile_email_in_the_cache_is_shown_as_inert_text(synced_db: Path) -> None:
    hostile = "[red]evil[/red]\x1b[2J\x1b]8;;https://x.example\x07link\u202e@x.example"
    db = open_writer(synced_db)
    db.conn.execute("UPDATE inboxes SET email = ? WHERE connection_status = 'error'", [hostile])
    db.conn.commit()
    db.close()
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, WarmupScreen))
        screen = app.screen
        assert isinstance(screen, WarmupScreen)
        await wait_for(pilot, lambda: screen.overview is not None)
        table = screen.table
        rendered = ["".join(s.text for s in table.render_line(y)) for y in range(table.size.height)]
        shown = next(line for line in rendered if "evil" in line)
        assert "[red]evil[/red]" in shown  # brackets are characters, not markup
        for line in rendered:
            assert "\x1b" not in line and "\x07" not in line and "\u202e" not in line


def test_optional_columns_give_way_in_order_so_the_email_keeps_its_room() -> None:
    columns = [
        Column("Email", 0),
        Column("Provider", 9, drop=1),
        Column("Health", 6, "right"),
        Column("Ramp-up", 11, drop=2),
        Column("Warn", 4),
    ]
    # fixed cells: 1 indent + 9 + 6 + 11 + 4 + 4 gaps of 2 = 39; the email wants 24
    assert shown_columns(columns, 64) == [0, 1, 2, 3, 4]
    assert shown_columns(columns, 60) == [0, 2, 3, 4]  # Provider gives way first
    assert shown_columns(columns, 50) == [0, 2, 4]  # then Ramp-up
    assert shown_columns(columns, 30) == [0, 2, 4]  # Health and Warn always stay
    row = prepare_row([Text(t) for t in ("ann@example.com", "google", "97", "wk 3", "⚠ 2")])
    line = "".join(segment.text for segment in layout_row(columns, row, 38))
    assert "ann@example.com" in line and "⚠ 2" in line and "google" not in line
