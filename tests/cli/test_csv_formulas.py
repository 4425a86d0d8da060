"""CSV exports never carry a spreadsheet formula (OWASP "CSV injection").

Names and other text come from the server; opened in Excel or LibreOffice, a cell such as
`=HYPERLINK(...)` or `+1+cmd|...` would run. Every cell starting with = + - @ TAB or CR
that is not a plain number gets a leading "'", including cells whose formula only shows
once control characters are stripped ("\\t=1+1").
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from outreach_tui.commands.output import csv_cell
from outreach_tui.simulator import create_app
from tests.cli.conftest import Outcome, synced_cache
from tests.sync.conftest import KEY

Run = Callable[..., Outcome]

HYPERLINK = '=HYPERLINK("http://x","y")'
FORMULAS = (HYPERLINK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Written independently of output.py: a cell may start with "-" only as a plain number.
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?", re.ASCII)


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        # plain numbers, typed or as text, are data and stay as they are
        (-12, "-12"),
        (-3.5, "-3.5"),
        ("-12", "-12"),
        ("-3.5", "-3.5"),
        (0, "0"),
        (1e-05, "1e-05"),
        (None, ""),
        (True, "True"),
        # formulas get a leading quote
        ("-2+3", "'-2+3"),
        ("=1+1", "'=1+1"),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        (HYPERLINK, "'" + HYPERLINK),
        ("-", "'-"),
        ("- 5", "'- 5"),
        ("-1)", "'-1)"),
        (float("-inf"), "'-inf"),
        # a formula that stripping controls, escapes, bidi or whitespace would reveal
        ("\t=1+1", "'=1+1"),
        ("\r=1", "'=1"),
        ("\r\n=1", "'=1"),
        ("  =1+1", "'=1+1"),
        ("\x1b[0m=1+1", "'=1+1"),
        ("\u202e=1+1", "'=1+1"),
        ("\x00@SUM(A1)", "'@SUM(A1)"),
        ("\u2028-2+3", "'-2+3"),
        # a leading tab is itself a trigger, even when what follows is harmless
        ("\tnotes", "'notes"),
        # ordinary text is untouched
        ("Q3 outreach", "Q3 outreach"),
        ("a=b", "a=b"),
        ("ops@example.com", "ops@example.com"),
        ("2024-05-01", "2024-05-01"),
        ("'quoted", "'quoted"),
    ],
)
def test_csv_cell_rule(value: Any, cell: str) -> None:
    assert csv_cell(value) == cell


def _assert_no_formula(out: str) -> list[list[str]]:
    """Parse the CSV and check every cell; returns the rows."""
    rows = list(csv.reader(io.StringIO(out)))
    assert rows
    for row in rows:
        for value in row:
            assert not value.startswith(FORMULA_START) or PLAIN_NUMBER.fullmatch(value), value
    return rows


@pytest.fixture
async def hostile_db(tmp_path: Path) -> str:
    """A synced cache of a workspace whose campaign and inbox text fields are formulas."""
    app = create_app(api_keys=[KEY], size=30, seed=21)
    workspace = app.state.simulator.workspace(KEY)
    for n, campaign in enumerate(workspace.campaigns.values()):
        campaign.name = FORMULAS[n % len(FORMULAS)]
        campaign.schedule["timezone"] = "@SUM(A1)"
        campaign.schedule["default_window"] = {"start": "=1+1", "end": "-2+3"}
    for n, inbox in enumerate(workspace.inboxes.values()):
        # the domain is what follows the "@": a formula as well
        inbox.email = f"{FORMULAS[n % len(FORMULAS)]}@-2+3"
        inbox.first_name, inbox.last_name = HYPERLINK, "+1"
        inbox.signature = "@SUM(A1)"
    return await synced_cache(app, tmp_path / "hostile.db")


def test_campaigns_list_csv_has_no_formula(run_main: Run, hostile_db: str) -> None:
    outcome = run_main(["--db", hostile_db, "campaigns", "list", "--csv"])
    assert outcome.code == 0, outcome.err
    rows = _assert_no_formula(outcome.out)
    header = rows[0]
    names = {row[header.index("name")] for row in rows[1:]}
    assert "'" + HYPERLINK in names and "'-2+3" in names and "'=1+1" in names  # "\t=1+1"
    assert {row[header.index("schedule.timezone")] for row in rows[1:]} == {"'@SUM(A1)"}


def test_campaigns_show_csv_has_no_formula(run_main: Run, hostile_db: str) -> None:
    # The daily series is typed (dates, integers) on the way in; a cache written otherwise
    # (an older client, a hand edit) must still not turn into formulas on the way out.
    with sqlite3.connect(hostile_db) as conn:
        campaign_id = conn.execute("SELECT id FROM campaigns ORDER BY id LIMIT 1").fetchone()[0]
        conn.executemany(
            "INSERT INTO campaign_daily (campaign_id, date, sent, replies) VALUES (?, ?, ?, ?)",
            [
                (campaign_id, HYPERLINK, -5, "-2+3"),
                (campaign_id, "\t=1+1", "@SUM(A1)", -3.5),
            ],
        )
    conn.close()
    outcome = run_main(["--db", hostile_db, "campaigns", "show", campaign_id, "--csv"])
    assert outcome.code == 0, outcome.err
    rows = _assert_no_formula(outcome.out)
    assert rows[0] == ["date", "sent", "replies"]
    assert ["'" + HYPERLINK, "-5", "'-2+3"] in rows
    assert ["'=1+1", "'@SUM(A1)", "-3.5"] in rows


def test_inboxes_list_csv_has_no_formula(run_main: Run, hostile_db: str) -> None:
    outcome = run_main(["--db", hostile_db, "inboxes", "list", "--csv"])
    assert outcome.code == 0, outcome.err
    rows = _assert_no_formula(outcome.out)
    header = rows[0]
    emails = {row[header.index("email")] for row in rows[1:]}
    assert f"'{HYPERLINK}@-2+3" in emails and "'=1+1@-2+3" in emails
    assert {row[header.index("domain")] for row in rows[1:]} == {"'-2+3"}
