"""The virtual lead list at 50,000 leads: counts, far jumps, keyset neighbours, filters."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App, ComposeResult

from outreach_tui.store.connection import open_reader, open_writer, write_transaction
from outreach_tui.store.ingest import upsert_campaigns
from outreach_tui.store.queries import leads as lead_queries
from outreach_tui.store.queries.leads import LeadFilter
from outreach_tui.ui.campaigns.widgets.lead_list import LeadList
from tests.ui.conftest import wait_for
from tests.ui.fake_backend import FakeBackend

LEADS = 50_000
CAMPAIGN = "camp-big"
STATUSES = ("uncontacted", "contacted", "replied")
PROVIDERS = ("google", "microsoft", None)


def _lead(n: int) -> tuple[object, ...]:
    # created_at steps one second per lead, so lead 0 is the oldest (shown last).
    minutes, seconds = divmod(n, 60)
    hours, minutes = divmod(minutes, 60)
    stamp = f"2026-01-{1 + hours // 24:02d}T{hours % 24:02d}:{minutes:02d}:{seconds:02d}Z"
    return (
        f"lead-{n:06d}",
        CAMPAIGN,
        f"person{n}@example.com",
        f"First{n}",
        "Last",
        STATUSES[n % 3],
        int(n % 50 == 0),
        int(n % 70 == 0),
        PROVIDERS[n % 3],
        '{"company": "Acme"}',
        stamp,
    )


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("leads") / "cache.db"
    db = open_writer(path)
    try:
        upsert_campaigns(db, [{"id": CAMPAIGN, "name": "Big", "status": "active"}])
        with write_transaction(db):
            db.conn.executemany(
                "INSERT INTO leads (id, campaign_id, email, first_name, last_name, status,"
                " is_bounced, is_unsubscribed, provider, variables, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (_lead(n) for n in range(LEADS)),
            )
    finally:
        db.close()
    return path


class LeadsApp(App[None]):
    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path

    def compose(self) -> ComposeResult:
        self.backend = FakeBackend(self, self.db_path)
        yield LeadList(self.backend, CAMPAIGN)  # type: ignore[arg-type]


def test_queries_count_filter_and_page_by_keyset_both_ways(big_db: Path) -> None:
    db = open_reader(big_db)
    try:
        assert lead_queries.count_leads(db, CAMPAIGN) == LEADS
        replied = LeadFilter(status="replied")
        assert lead_queries.count_leads(db, CAMPAIGN, replied) == len(
            [n for n in range(LEADS) if n % 3 == 2]
        )
        bounced_google = LeadFilter(bounced=True, provider="google")
        assert lead_queries.count_leads(db, CAMPAIGN, bounced_google) == len(
            [n for n in range(LEADS) if n % 50 == 0 and n % 3 == 0]
        )
        unknown = LeadFilter(provider=lead_queries.LEAD_PROVIDER_UNKNOWN)
        assert lead_queries.count_leads(db, CAMPAIGN, unknown) == len(
            [n for n in range(LEADS) if n % 3 == 2]
        )
        search = LeadFilter(search="person4999")
        assert {r.id for r in lead_queries.leads_at(db, CAMPAIGN, search, offset=0, limit=50)} == {
            f"lead-{n:06d}" for n in [4999, *range(49990, 50000)]
        }
        page = lead_queries.leads_at(db, CAMPAIGN, None, offset=30_000, limit=50)
        assert page[0].id == f"lead-{LEADS - 1 - 30_000:06d}"  # newest first
        after = lead_queries.leads_page(
            db, CAMPAIGN, None, after=(page[-1].created_at or "", page[-1].id), limit=50
        )
        assert after == lead_queries.leads_at(db, CAMPAIGN, None, offset=30_050, limit=50)
        before = lead_queries.leads_page(
            db, CAMPAIGN, None, before=(page[0].created_at or "", page[0].id), limit=50
        )
        assert before == lead_queries.leads_at(db, CAMPAIGN, None, offset=29_950, limit=50)
        assert lead_queries.lead_position(db, CAMPAIGN, "lead-000000") == LEADS - 1
        assert lead_queries.lead_position(db, CAMPAIGN, "lead-000000", replied) is None
    finally:
        db.close()


async def test_lead_list_pages_fifty_thousand_leads_on_demand(big_db: Path) -> None:
    app = LeadsApp(big_db)
    async with app.run_test(size=(120, 30)) as pilot:
        leads = app.query_one(LeadList)
        await wait_for(pilot, lambda: leads.loaded)
        assert leads.total == LEADS
        # Only the pages around the cursor were read, not 50,000 rows.
        assert len(leads.loaded_rows()) <= 2 * LeadList.PAGE_SIZE
        assert leads.current_row is not None and leads.current_row.id == "lead-049999"
        leads.focus()
        await pilot.press("end")  # a far jump: read on a worker
        await wait_for(pilot, lambda: leads.current_row is not None)
        assert leads.cursor == LEADS - 1
        assert leads.current_row is not None and leads.current_row.id == "lead-000000"
        for _ in range(3):  # walking up reads neighbour pages by keyset
            await pilot.press("pageup")
        await wait_for(pilot, lambda: leads.current_row is not None)
        expected = LEADS - 1 - leads.cursor
        assert leads.current_row is not None and leads.current_row.id == f"lead-{expected:06d}"
        assert len(leads.loaded_rows()) <= LeadList.MAX_PAGES * LeadList.PAGE_SIZE
        leads.set_params(LeadFilter(status="replied", bounced=True))
        await wait_for(pilot, lambda: leads.loaded and leads.total < LEADS)
        assert leads.total == len([n for n in range(LEADS) if n % 3 == 2 and n % 50 == 0])
        assert leads.current_row is not None
        assert leads.current_row.status == "replied" and leads.current_row.is_bounced
        await pilot.pause()
        rendered = leads.render_line(0).text
        assert "person" in rendered and "replied" in rendered and "bounced" in rendered


async def test_the_cursor_style_follows_focus(big_db: Path) -> None:
    app = LeadsApp(big_db)
    async with app.run_test(size=(120, 30)) as pilot:
        leads = app.query_one(LeadList)
        await wait_for(pilot, lambda: leads.loaded)
        leads.blur()
        await pilot.pause()
        unfocused = next(iter(leads.render_line(0))).style
        leads.focus()
        await wait_for(pilot, lambda: leads.has_focus)
        await pilot.pause()
        focused = next(iter(leads.render_line(0))).style
        assert unfocused is not None and focused is not None
        assert unfocused.bgcolor != focused.bgcolor  # $accent 40% vs 70%
