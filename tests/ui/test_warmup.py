"""The warmup screens driven with Pilot: every control queues an outbox item, and after a
sync the simulator holds the new value; a limit out of range is refused in plain words.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Static, TextArea

from outreach_tui.store import outbox
from outreach_tui.store.connection import open_reader, open_writer
from outreach_tui.store.queries.mailboxes import health_overview
from outreach_tui.ui.app import OutreachApp
from outreach_tui.ui.campaigns.screens.detail import CampaignDetailScreen
from outreach_tui.ui.warmup.screens.detail import WarmupDetailScreen
from outreach_tui.ui.warmup.screens.warmup import FILTERS, WarmupScreen

from .conftest import API_KEY, client_factory_for, make_app, wait_for


def _pending(db_path: Path) -> list[tuple[str, str | None, Any]]:
    db = open_reader(db_path)
    try:
        return [(i.resource_id, i.field, i.value) for i in outbox.list_items(db, (outbox.PENDING,))]
    finally:
        db.close()


def _server_inbox(simulator: Starlette, inbox_id: str) -> Any:
    return simulator.state.simulator.workspace(API_KEY).inboxes[inbox_id]


async def _open_list(app: OutreachApp, pilot: Pilot[Any]) -> WarmupScreen:
    await pilot.press("f5")
    await wait_for(pilot, lambda: isinstance(app.screen, WarmupScreen))
    screen = app.screen
    assert isinstance(screen, WarmupScreen)
    await wait_for(pilot, lambda: screen.overview is not None)
    return screen


async def _open_detail(
    app: OutreachApp, pilot: Pilot[Any], status: str = "connected"
) -> WarmupDetailScreen:
    """Open the first inbox of the list with that connection status."""
    screen = await _open_list(app, pilot)
    index = next(i for i, r in enumerate(screen.shown) if r.inbox.connection_status == status)
    screen.table.move_cursor(index)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, WarmupDetailScreen))
    detail = app.screen
    assert isinstance(detail, WarmupDetailScreen)
    await wait_for(pilot, lambda: detail.row is not None)
    return detail


async def _sync(app: OutreachApp, pilot: Pilot[Any]) -> None:
    app.action_sync_now()
    await wait_for(pilot, lambda: not app.syncing and app.status_info.pending == 0, 20)


async def _type(pilot: Pilot[Any], widget: Input, text: str) -> None:
    widget.focus()
    widget.value = ""
    if text:
        await pilot.press(*text)


async def test_list_shows_every_inbox_its_warnings_and_the_status_bar_count(
    synced_db: Path,
) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_list(app, pilot)
        overview = screen.overview
        assert overview is not None
        table = screen.table
        assert table.row_count == len(overview.inboxes) == 6
        assert overview.attention_count > 0
        await wait_for(
            pilot, lambda: app.status_info.inboxes_needing_attention == overview.attention_count
        )
        # worst health first
        scores = [r.inbox.health_score for r in screen.shown]
        assert scores == sorted(scores, key=lambda s: (s is None, s or 0))
        # the highlighted inbox's warnings are under the table
        first = screen.shown[0]
        panel = str(screen.query_one("#warmup-warnings", Static).render())
        assert first.inbox.email in panel
        assert all(w.reason in panel for w in first.warnings)
        # filter by problem: any problem, then connection problems only
        await pilot.press("p")
        assert [r.inbox.id for r in screen.shown] == [
            r.inbox.id
            for r in sorted(overview.inboxes, key=lambda r: r.inbox.health_score or 0)
            if r.warnings
        ]
        await pilot.press("p")
        assert FILTERS[screen.filter_index].name == "connection"
        assert {r.inbox.connection_status for r in screen.shown} == {"error", "pending"}
        await pilot.press("a")
        assert len(screen.shown) == 6
        # sort by urgency puts the connection error first
        await pilot.press("s")
        assert screen.shown[0].inbox.connection_status == "error"


async def test_warming_and_active_toggles_reach_the_server(
    synced_db: Path, simulator: Starlette
) -> None:
    app = make_app(synced_db, client_factory_for(simulator))
    async with app.run_test(size=(120, 40)) as pilot:
        detail = await _open_detail(app, pilot)
        inbox = detail.row.inbox  # type: ignore[union-attr]
        assert inbox.is_warming and inbox.is_active
        await pilot.press("w")
        await wait_for(pilot, lambda: app.status_info.pending == 1)
        await pilot.press("a")
        await wait_for(pilot, lambda: app.status_info.pending == 2)
        assert sorted(_pending(synced_db)) == [
            (inbox.id, "is_active", False),
            (inbox.id, "is_warming", False),
        ]
        # the local change shows at once, marked pending
        await wait_for(pilot, lambda: detail.row.inbox.local_state == "pending")  # type: ignore[union-attr]
        await _sync(app, pilot)
    server = _server_inbox(simulator, inbox.id)
    assert (server.is_warming, server.is_active) == (False, False)


async def test_limits_names_reply_to_and_signature_reach_the_server(
    synced_db: Path, simulator: Starlette
) -> None:
    app = make_app(synced_db, client_factory_for(simulator))
    async with app.run_test(size=(120, 40)) as pilot:
        detail = await _open_detail(app, pilot)
        inbox_id = detail.inbox_id
        await _type(pilot, detail.query_one("#daily_campaign_limit", Input), "250")
        await _type(pilot, detail.query_one("#daily_warmup_limit", Input), "55")
        await _type(pilot, detail.query_one("#first_name", Input), "Zoe")
        await _type(pilot, detail.query_one("#last_name", Input), "Quinn")
        await _type(pilot, detail.query_one("#reply_to", Input), "team@acme.example")
        signature = detail.query_one("#signature", TextArea)
        signature.focus()
        signature.clear()
        await pilot.press(*"Zoe Q")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.status_info.pending == 6)
        assert sorted(_pending(synced_db)) == [
            (inbox_id, "daily_campaign_limit", 250),
            (inbox_id, "daily_warmup_limit", 55),
            (inbox_id, "first_name", "Zoe"),
            (inbox_id, "last_name", "Quinn"),
            (inbox_id, "reply_to", "team@acme.example"),
            (inbox_id, "signature", "Zoe Q"),
        ]
        await _sync(app, pilot)
    server = _server_inbox(simulator, inbox_id)
    assert (server.daily_campaign_limit, server.daily_warmup_limit) == (250, 55)
    assert (server.first_name, server.last_name) == ("Zoe", "Quinn")
    assert (server.reply_to, server.signature) == ("team@acme.example", "Zoe Q")


async def test_empty_reply_to_clears_it_on_the_server(
    synced_db: Path, simulator: Starlette
) -> None:
    app = make_app(synced_db, client_factory_for(simulator))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_list(app, pilot)
        with_reply_to = next(i for i, r in enumerate(screen.shown) if r.inbox.reply_to)
        screen.table.move_cursor(with_reply_to)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WarmupDetailScreen))
        detail = app.screen
        assert isinstance(detail, WarmupDetailScreen)
        await wait_for(pilot, lambda: detail.row is not None)
        field = detail.query_one("#reply_to", Input)
        assert field.value
        await _type(pilot, field, "")
        await pilot.press("enter")  # enter in a field saves too
        await wait_for(pilot, lambda: app.status_info.pending == 1)
        assert _pending(synced_db) == [(detail.inbox_id, "reply_to", "")]
        await _sync(app, pilot)
    assert _server_inbox(simulator, detail.inbox_id).reply_to == ""


async def test_out_of_range_limits_are_refused_with_a_plain_message(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        detail = await _open_detail(app, pilot)
        campaign_limit = detail.query_one("#daily_campaign_limit", Input)
        await _type(pilot, campaign_limit, "600")
        await _type(pilot, detail.query_one("#first_name", Input), "Changed")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "campaign limit" in app.status_info.message)
        assert app.status_info.message == (
            "Daily campaign limit must be a whole number from 1 to 500 (got 600); nothing saved."
        )
        await _type(pilot, campaign_limit, "0")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "(got 0)" in app.status_info.message)
        await _type(pilot, campaign_limit, str(detail.row.inbox.daily_campaign_limit))  # type: ignore[union-attr]
        await _type(pilot, detail.query_one("#daily_warmup_limit", Input), "101")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "from 1 to 100" in app.status_info.message)
        await _type(pilot, detail.query_one("#daily_warmup_limit", Input), "")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "(got nothing)" in app.status_info.message)
        await pilot.pause(0.1)
        # nothing was queued, not even the valid first name next to the bad limit
        assert _pending(synced_db) == []
        assert app.status_info.pending == 0


async def test_stale_stats_are_refreshed_once_when_the_detail_opens(
    synced_db: Path, simulator: Starlette
) -> None:
    db = open_writer(synced_db)
    db.conn.execute("UPDATE warmup_stats SET pulled_at = '2026-01-01T00:00:00.000000Z'")
    db.conn.commit()
    db.close()
    app = make_app(synced_db, client_factory_for(simulator))
    async with app.run_test(size=(120, 40)) as pilot:
        detail = await _open_detail(app, pilot)
        inbox_id = detail.inbox_id

        def pulled_at(which: str) -> str | None:
            reader = open_reader(synced_db)
            try:
                row = health_overview(reader).get(which)
            finally:
                reader.close()
            assert row is not None and row.stats is not None
            return row.stats.pulled_at

        await wait_for(pilot, lambda: pulled_at(inbox_id) != "2026-01-01T00:00:00.000000Z")
        others = [r.inbox.id for r in detail.app.screen_stack[-2].shown if r.inbox.id != inbox_id]  # type: ignore[attr-defined]
        assert all(pulled_at(other) == "2026-01-01T00:00:00.000000Z" for other in others)


async def test_a_campaign_using_the_inbox_opens_in_the_campaign_console(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_list(app, pilot)
        busiest = max(range(len(screen.shown)), key=lambda i: len(screen.shown[i].campaigns))
        screen.table.move_cursor(busiest)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WarmupDetailScreen))
        detail = app.screen
        assert isinstance(detail, WarmupDetailScreen)
        await wait_for(pilot, lambda: detail.row is not None)
        campaigns = detail.row.campaigns  # type: ignore[union-attr]
        assert len(campaigns) >= 2
        await pilot.press("c", "down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CampaignDetailScreen))
        assert app.screen.campaign_id == campaigns[1].campaign_id  # type: ignore[attr-defined]
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is detail)


async def test_a_toggle_flipped_twice_cancels_out(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        detail = await _open_detail(app, pilot)
        await pilot.press("w", "w", "a")
        expected = [(detail.inbox_id, "is_active", False)]
        await wait_for(pilot, lambda: _pending(synced_db) == expected)
        await wait_for(pilot, lambda: detail.row.inbox.is_active is False)  # type: ignore[union-attr]
        assert detail.row.inbox.is_warming is True  # type: ignore[union-attr]
        assert detail.query_one("#warming", Checkbox).value is True


async def test_escape_asks_before_dropping_unsaved_settings(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        detail = await _open_detail(app, pilot)
        await pilot.press("escape")  # nothing typed: back at once
        await wait_for(pilot, lambda: isinstance(app.screen, WarmupScreen))
        detail = await _open_detail(app, pilot)
        await _type(pilot, detail.query_one("#first_name", Input), "Changed")
        await pilot.press("escape")
        await wait_for(pilot, lambda: "Press esc again to discard" in app.status_info.message)
        assert app.screen is detail
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, WarmupScreen))
        await pilot.pause(0.1)
    assert _pending(synced_db) == []
