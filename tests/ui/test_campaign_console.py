"""The campaign console through Pilot: the numbers equal the simulator's analytics, and
every control lands in the outbox and, after a sync, on the server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Checkbox, Input, SelectionList, TabbedContent, TextArea

from outreach_tui.core.figures import count, percent
from outreach_tui.store import outbox
from outreach_tui.store.connection import open_reader
from outreach_tui.store.outbox import OutboxItem
from outreach_tui.ui.app import OutreachApp
from outreach_tui.ui.campaigns.screens.blocklist import BlocklistScreen
from outreach_tui.ui.campaigns.screens.campaigns import CampaignsScreen
from outreach_tui.ui.campaigns.screens.detail import CampaignDetailScreen
from outreach_tui.ui.campaigns.screens.dialogs import (
    AddLeadScreen,
    DeleteCampaignScreen,
    TextPromptScreen,
)
from outreach_tui.ui.campaigns.widgets.ab import CampaignAbResults
from outreach_tui.ui.campaigns.widgets.headline import CampaignHeadline
from outreach_tui.ui.campaigns.widgets.lead_list import LeadList
from outreach_tui.ui.common.widgets.day_chart import DayChart

from .conftest import (
    API_KEY,
    client_factory_for,
    make_app,
    terminal_lines,
    wait_for,
    wait_for_text,
)

WEBINAR = "Webinar follow-up"  # a draft with an inbox and an enabled variant
LOGISTICS = "Logistics re-engagement"  # a draft without an inbox
FINTECH = "Fintech decision makers"  # paused, three inboxes


@pytest.fixture
async def server(simulator: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    """Raw HTTP to the simulator (what the server holds, in the API's own JSON)."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=simulator),
        base_url="http://127.0.0.1/api/v1",
        headers={"Authorization": f"Bearer {API_KEY}"},
    ) as client:
        yield client


async def _get(server: httpx.AsyncClient, path: str) -> Any:
    response = await server.get(path)
    response.raise_for_status()
    return response.json()["data"]


async def _campaign_id(server: httpx.AsyncClient, name: str) -> str:
    campaigns = await _get(server, "/campaigns?page_size=100")
    return next(c["id"] for c in campaigns if c["name"] == name)


def _items(db_path: Path, *states: str) -> list[OutboxItem]:
    db = open_reader(db_path)
    try:
        return outbox.list_items(db, states or (outbox.PENDING,))
    finally:
        db.close()


async def _open_list(pilot: Pilot[Any], app: OutreachApp) -> CampaignsScreen:
    await pilot.press("f3")
    await wait_for(pilot, lambda: isinstance(app.screen, CampaignsScreen) and app.screen.loaded)
    return cast_screen(app, CampaignsScreen)


def cast_screen(app: OutreachApp, kind: type[Any]) -> Any:
    assert isinstance(app.screen, kind)
    return app.screen


async def _open_detail(
    pilot: Pilot[Any], app: OutreachApp, campaign_id: str
) -> CampaignDetailScreen:
    listing = await _open_list(pilot, app)
    index = [c.id for c in listing.shown].index(campaign_id)
    listing.table.move_cursor(row=index)
    await pilot.press("enter")
    await wait_for(
        pilot,
        lambda: isinstance(app.screen, CampaignDetailScreen) and app.screen.snapshot is not None,
    )
    return cast_screen(app, CampaignDetailScreen)


async def _focus(pilot: Pilot[Any], widget: Widget) -> None:
    """Focus `widget` and wait until it has focus (keys go to it from then on)."""
    widget.focus()
    await wait_for(pilot, lambda: widget.has_focus)


async def _prompt(pilot: Pilot[Any], app: OutreachApp, key: str, text: str) -> None:
    """Press `key` (which opens a one-line dialog), fill it in, press enter."""
    before = app.screen
    await pilot.press(key)
    await wait_for(pilot, lambda: app.screen is not before)
    field = app.screen.query_one(Input)
    await _focus(pilot, field)
    field.value = text
    field.cursor_position = len(text)
    await pilot.press("enter")


async def _sync(pilot: Pilot[Any], app: OutreachApp) -> None:
    await pilot.press("ctrl+r")
    await wait_for(
        pilot, lambda: app.backend.sync.future is not None and app.backend.sync.future.done(), 30
    )
    await pilot.pause()


async def _wait_pending(pilot: Pilot[Any], db_path: Path, count: int) -> list[OutboxItem]:
    await wait_for(pilot, lambda: len(_items(db_path)) == count)
    return _items(db_path)


def _app(synced_db: Path, simulator: Starlette) -> OutreachApp:
    return make_app(synced_db, client_factory_for(simulator))


async def test_numbers_on_screen_equal_the_simulator_analytics_for_every_campaign(
    synced_db: Path, simulator: Starlette, server: httpx.AsyncClient
) -> None:
    campaigns = await _get(server, "/campaigns?page_size=100")
    analytics = {c["id"]: await _get(server, f"/campaigns/{c['id']}/analytics") for c in campaigns}
    app = _app(synced_db, simulator)
    async with app.run_test(size=(120, 40)) as pilot:
        listing = await _open_list(pilot, app)
        assert {c.id for c in listing.shown} == set(analytics)
        for index, row in enumerate(listing.shown):
            expected = analytics[row.id]
            cells = [cell.plain for cell in listing.table.get_row_at(index)]
            assert cells[3:9] == [
                count(expected["leads_count"]),
                count(expected["sent"]),
                count(expected["contacted"]),
                percent(expected["reply_rate"]),
                percent(expected["positive_reply_rate"]),
                percent(expected["bounce_rate"]),
            ]
            assert f"{expected['progress']}%" in cells[2]
        for campaign_id, expected in analytics.items():
            app.push_screen(CampaignDetailScreen(app.backend, campaign_id))
            await wait_for(
                pilot,
                lambda: (
                    isinstance(app.screen, CampaignDetailScreen) and app.screen.snapshot is not None
                ),
            )
            screen = cast_screen(app, CampaignDetailScreen)
            headline = screen.query_one(CampaignHeadline).render().plain
            for label, value in (
                ("leads", count(expected["leads_count"])),
                ("sent", count(expected["sent"])),
                ("contacted", count(expected["contacted"])),
                ("replies", f"{count(expected['replies'])} ({percent(expected['reply_rate'])})"),
                (
                    "positive",
                    f"{count(expected['positive_replies'])}"
                    f" ({percent(expected['positive_reply_rate'])})",
                ),
                ("bounced", f"{count(expected['bounced'])} ({percent(expected['bounce_rate'])})"),
            ):
                assert f"{label} {value}" in headline
            chart = screen.query_one(DayChart)
            assert chart.days == [(d["date"], d["sent"], d["replies"]) for d in expected["daily"]]
            results = screen.query_one(CampaignAbResults).results
            assert [
                [
                    (
                        r.variant.id,
                        r.variant.sent,
                        r.variant.replies,
                        r.variant.reply_rate,
                        r.variant.positive_replies,
                        r.variant.positive_reply_rate,
                    )
                    for r in step.variants
                ]
                for step in results
            ] == [
                [
                    (
                        v["id"],
                        v["sent"],
                        v["replies"],
                        v["reply_rate"],
                        v["positive_replies"],
                        v["positive_reply_rate"],
                    )
                    for v in step["variants"]
                ]
                for step in expected["sequences"]
            ]
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, CampaignsScreen))


async def test_a_refused_launch_says_why_and_queues_nothing(
    synced_db: Path, simulator: Starlette, server: httpx.AsyncClient
) -> None:
    campaign_id = await _campaign_id(server, LOGISTICS)
    app = _app(synced_db, simulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_detail(pilot, app, campaign_id)
        await pilot.press("L")
        await pilot.pause()
        # Every problem at once: the server's rule first, then what would go out wrong.
        assert app.status_info.message == (
            "Cannot launch: the campaign needs an inbox; also: no leads yet: nothing would be"
            " sent; variant A of the first step has an empty subject."
        )
        assert _items(synced_db) == []
        await pilot.press("P")  # a draft cannot be paused either: the edits service says so
        await wait_for(pilot, lambda: "cannot be paused" in app.status_info.message)
        assert _items(synced_db) == []
    assert (await _get(server, f"/campaigns/{campaign_id}"))["status"] == "draft"


async def test_launch_pause_and_resume_reach_the_server(
    synced_db: Path, simulator: Starlette, server: httpx.AsyncClient
) -> None:
    campaign_id = await _campaign_id(server, WEBINAR)
    app = _app(synced_db, simulator)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_detail(pilot, app, campaign_id)
        await pilot.press("L")
        await wait_for_text(pilot, "Launch ", "Sending starts with the next sync.")
        assert _items(synced_db) == []  # nothing before the answer
        await pilot.press("y")
        [item] = await _wait_pending(pilot, synced_db, 1)
        assert (item.resource_id, item.field, item.value, item.base) == (
            campaign_id,
            "status",
            "active",
            "draft",
        )
        await wait_for(pilot, lambda: screen.snapshot.detail.campaign.status == "active")  # type: ignore[union-attr]
        await _sync(pilot, app)
        assert (await _get(server, f"/campaigns/{campaign_id}"))["status"] == "active"
        await pilot.press("P")
        await wait_for_text(pilot, "Pause ", "Sending stops")
        await pilot.press("n")  # cancelled: nothing queued
        await pilot.pause()
        assert _items(synced_db, outbox.PENDING) == []
        await pilot.press("P", "y")
        [item] = await _wait_pending(pilot, synced_db, 1)
        assert (item.field, item.value) == ("status", "paused")
        await _sync(pilot, app)
        assert (await _get(server, f"/campaigns/{campaign_id}"))["status"] == "paused"
        await wait_for(pilot, lambda: screen.snapshot.detail.campaign.status == "paused")  # type: ignore[union-attr]
        await pilot.press("L", "y")
        await _wait_pending(pilot, synced_db, 1)
        await _sync(pilot, app)
        assert (await _get(server, f"/campaigns/{campaign_id}"))["status"] == "active"


async def test_pausing_a_launch_not_yet_synced_withdraws_it(
    synced_db: Path, simulator: Starlette, server: httpx.AsyncClient
) -> None:
    campaign_id = await _campaign_id(server, WEBINAR)
    app = _app(synced_db, simulator)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_detail(pilot, app, campaign_id)
        await pilot.press("L", "y")
        await _wait_pending(pilot, synced_db, 1)
        await wait_for(pilot, lambda: screen.snapshot.detail.campaign.status == "active")  # type: ignore[union-attr]
        await pilot.press("P", "y")
        await _wait_pending(pilot, synced_db, 0)
        await wait_for(pilot, lambda: screen.snapshot.detail.campaign.status == "draft")  # type: ignore[union-attr]
    assert (await _get(server, f"/campaigns/{campaign_id}"))["status"] == "draft"


async def test_options_and_daily_limit_reach_the_server(
    synced_db: Path, simulator: Starlette, server: httpx.AsyncClient
) -> None:
    campaign_id = await _campaign_id(server, FINTECH)
    before = (await _get(server, f"/campaigns/{campaign_id}"))["options"]
    app = _app(synced_db, simulator)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_detail(pilot, app, campaign_id)
        await pilot.press("2")
        for option in ("text_only", "esp_matching"):
            await _focus(pilot, screen.query_one(f"#opt-{option}", Checkbox))
            await pilot.press("space")
        limit = screen.query_one("#daily-limit", Input)
        await _focus(pilot, limit)
        limit.clear()
        await pilot.press("7", "5", "enter")
        items = await _wait_pending(pilot, synced_db, 3)
        assert {(i.field, i.value) for i in items} == {
            ("text_only", not before["text_only"]),
            ("esp_matching", not before["esp_matching"]),
            ("daily_limit", 75),
        }
        await _sync(pilot, app)
        assert _items(synced_db) == []
    after = (await _get(server, f"/campaigns/{campaign_id}"))["options"]
    assert after["text_only"] is not before["text_only"]
    assert after["esp_matching"] is not before["esp_matching"]
    assert after["daily_limit"] == 75
    assert after["stop_on_reply"] == before["stop_on_reply"]


async def test_a_digit_typed_in_a_field_is_marked_unsaved_and_esc_leaves_the_field_first(
    synced_db: Path, simulator: Starlette, server: httpx.AsyncClient
) -> None:
    campaign_id = await _campaign_id(server, FINTECH)
    app = _app(synced_db, simulator)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_detail(pilot, app, campaign_id)
        await pilot.press("2")
        limit = screen.query_one("#daily-limit", Input)
        saved = limit.value
        await _focus(pilot, limit)
        await pilot.press("end", "3")  # meant as "Schedule tab": it types, and says so
        assert limit.value == saved + "3"
        await wait_for_text(pilot, "● unsaved: enter saves, esc leaves the field")
        await pilot.press("escape")  # out of the field, still on the screen
        await pilot.pause()
        assert app.screen is screen and not limit.has_focus
        await pilot.press("3")
        await wait_for(pilot, lambda: screen.query_one(TabbedContent).active == "schedule")
        await pilot.press("escape")  # the unsaved limit asks first
        await wait_for(pilot, lambda: "Press esc again to discard" in app.status_info.message)
        assert app.screen is screen
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CampaignsScreen))
    assert _items(synced_db) == []


async def test_schedule_edits_are_snapped_to_the_grid_and_reach_the_server(
    synced_db: Path, simulator: Starlette, server: httpx.AsyncClient
) -> None:
    campaign_id = await _campaign_id(server, FINTECH)
    app = _app(synced_db, simulator)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_detail(pilot, app, campaign_id)
        await pilot.press("3")
        start = screen.query_one("#monday-start", Input)
        await _focus(pilot, start)
        # A one-line field keeps no border when focused (a border showed only its top line).
        assert start.styles.border_top[0] in ("", "none") and start.size.height == 1
        await pilot.press(*"9:23")
        await pilot.pause()
        hint = screen.query_one("#hint-monday-start")
        assert "stored as 09:30" in str(hint.render())
        end = screen.query_one("#default-end", Input)
        await _focus(pilot, end)
        end.clear()
        await pilot.press(*"18:44")
        await _focus(pilot, screen.query_one("#saturday-enabled", Checkbox))
        await pilot.press("space")
        await pilot.press("ctrl+s")
        [item] = await _wait_pending(pilot, synced_db, 1)
        assert item.field == "schedule"
        assert item.value["days"]["monday"]["start"] == "09:30"
        assert item.value["default_window"]["end"] == "18:30"
        saturday = item.value["days"]["saturday"]["enabled"]
        await _sync(pilot, app)
    schedule = (await _get(server, f"/campaigns/{campaign_id}"))["schedule"]
    assert schedule["days"]["monday"]["start"] == "09:30"
    assert schedule["default_window"]["end"] == "18:30"
    assert schedule["days"]["saturday"]["enabled"] is saturday


async def test_a_window_ending_before_it_starts_is_not_saved(
    synced_db: Path, simulator: Starlette, server: httpx.AsyncClient
) -> None:
    campaign_id = await _campaign_id(server, FINTECH)
    app = _app(synced_db, simulator)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_detail(pilot, app, campaign_id)
        await pilot.press("3")
        screen.query_one("#tuesday-enabled", Checkbox).value = True
        await _focus(pilot, screen.query_one("#tuesday-end", Input))
        await pilot.press(*"06:00")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.status_info.message.startswith("Schedule not saved: Tuesday: the window ends")
        assert _items(synced_db) == []


async def test_inboxes_attach_by_multi_select_then_the_launch_is_allowed(
    synced_db: Path, simulator: Starlette, server: httpx.AsyncClient
) -> None:
    campaign_id = await _campaign_id(server, LOGISTICS)
    inboxes = await _get(server, "/inboxes?page_size=100")
    app = _app(synced_db, simulator)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_detail(pilot, app, campaign_id)
        await pilot.press("4")
        choices = screen.query_one("#inbox-choices", SelectionList)
        await _focus(pilot, choices)
        await pilot.press("space", "down", "space")
        await pilot.press("ctrl+s")
        [item] = await _wait_pending(pilot, synced_db, 1)
        chosen = sorted(i["id"] for i in sorted(inboxes, key=lambda i: i["email"])[:2])
        assert item.op == "attach_inboxes" and sorted(item.value["inbox_ids"]) == chosen
        await wait_for(pilot, lambda: screen.snapshot.blockers == ())  # type: ignore[union-attr]
        await pilot.press("L", "y")  # allowed now: the attach counts locally before the sync
        await _wait_pending(pilot, synced_db, 2)
        await _sync(pilot, app)
        campaign = await _get(server, f"/campaigns/{campaign_id}")
        assert sorted(i["id"] for i in campaign["inboxes"]) == chosen
        assert campaign["status"] == "active"
        # and detach one again
        await pilot.press("4")
        await _focus(pilot, choices)
        await pilot.press("home", "space", "ctrl+s")
        [item] = await _wait_pending(pilot, synced_db, 1)
        assert item.op == "detach_inboxes" and item.value["inbox_ids"] == [chosen_first(inboxes)]
        await _sync(pilot, app)
    campaign = await _get(server, f"/campaigns/{campaign_id}")
    assert [i["id"] for i in campaign["inboxes"]] == [
        c for c in chosen if c != chosen_first(inboxes)
    ]


def chosen_first(inboxes: list[dict[str, Any]]) -> str:
    """The first inbox of the list (by email)."""
    return str(sorted(inboxes, key=lambda i: i["email"])[0]["id"])


async def test_create_and_delete_a_campaign(
    synced_db: Path, simulator: Starlette, server: httpx.AsyncClient
) -> None:
    app = _app(synced_db, simulator)
    async with app.run_test(size=(120, 40)) as pilot:
        listing = await _open_list(pilot, app)
        await pilot.press("f")  # "active" only: hides drafts, and creating lifts it
        await _prompt(pilot, app, "c", "Q1 pilots")
        [item] = await _wait_pending(pilot, synced_db, 1)
        assert (item.resource, item.op, item.value) == ("campaign", "create", {"name": "Q1 pilots"})
        # The new draft opens to be set up, and stays open across the sync creating it.
        await wait_for(pilot, lambda: isinstance(app.screen, CampaignDetailScreen))
        detail = app.screen
        assert isinstance(detail, CampaignDetailScreen)
        assert detail.campaign_id == item.resource_id
        await _sync(pilot, app)
        await wait_for(pilot, lambda: not detail.campaign_id.startswith("local-"))
        assert app.screen is detail and detail.snapshot.detail.campaign.name == "Q1 pilots"  # type: ignore[union-attr]
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is listing)
        assert listing.current_campaign.name == "Q1 pilots"  # type: ignore[union-attr]
        names = [c["name"] for c in await _get(server, "/campaigns?page_size=100")]
        assert "Q1 pilots" in names
        await wait_for(
            pilot,
            lambda: any(
                c.name == "Q1 pilots" and not c.id.startswith("local-") for c in listing.shown
            ),
        )
        index = [c.name for c in listing.shown].index("Q1 pilots")
        listing.table.move_cursor(row=index)
        await _prompt(pilot, app, "D", "Q1 pilot")  # not the name: refused in the dialog
        await pilot.pause()
        assert _items(synced_db) == [] and isinstance(app.screen, DeleteCampaignScreen)
        await pilot.press("s", "enter")
        [item] = await _wait_pending(pilot, synced_db, 1)
        assert (item.resource, item.op) == ("campaign", "delete")
        await wait_for(pilot, lambda: all(c.name != "Q1 pilots" for c in listing.shown))
        await _sync(pilot, app)
    names = [c["name"] for c in await _get(server, "/campaigns?page_size=100")]
    assert "Q1 pilots" not in names


async def test_leads_add_with_variables_refuse_a_duplicate_and_delete(
    synced_db: Path, simulator: Starlette, server: httpx.AsyncClient
) -> None:
    campaign_id = await _campaign_id(server, FINTECH)
    app = _app(synced_db, simulator)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_detail(pilot, app, campaign_id)
        await pilot.press("5")
        leads = screen.query_one(LeadList)
        await wait_for(pilot, lambda: leads.loaded and leads.total > 0, 20)  # auto-pulled
        assert leads.current_row is not None
        existing = leads.current_row.email
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, AddLeadScreen))
        await _focus(pilot, app.screen.query_one("#lead-email", Input))
        await pilot.press(*"new.person@acme.test")  # typed: the dialog's own keys work
        app.screen.query_one("#lead-first", Input).value = "Nia"
        app.screen.query_one("#lead-last", Input).value = "Okafor"
        app.screen.query_one("#lead-variables", TextArea).text = "company=Acme\nrole=VP Sales"
        await pilot.press("ctrl+s")
        [item] = await _wait_pending(pilot, synced_db, 1)
        assert item.resource == "lead" and item.op == "create"
        assert item.value == {
            "email": "new.person@acme.test",
            "first_name": "Nia",
            "last_name": "Okafor",
            "variables": {"company": "Acme", "role": "VP Sales"},
        }
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, AddLeadScreen))
        app.screen.query_one("#lead-email", Input).value = existing
        await pilot.press("ctrl+s")  # if_exists "fail": refused locally
        await wait_for(pilot, lambda: "already a lead" in app.status_info.message)
        assert len(_items(synced_db)) == 1
        await _sync(pilot, app)
        found = await _get(server, f"/campaigns/{campaign_id}/leads?search=new.person")
        assert [(lead["email"], lead["variables"]) for lead in found] == [
            ("new.person@acme.test", {"company": "Acme", "role": "VP Sales"})
        ]
        await _focus(pilot, leads)
        await pilot.press("slash")
        screen.query_one("#lead-search", Input).value = "new.person"
        await wait_for(pilot, lambda: leads.total == 1 and leads.current_row is not None)
        await pilot.press("enter", "d")
        [item] = await _wait_pending(pilot, synced_db, 1)
        assert (item.resource, item.op, item.resource_id) == ("lead", "delete", found[0]["id"])
        await _sync(pilot, app)
    assert await _get(server, f"/campaigns/{campaign_id}/leads?search=new.person") == []


async def test_blocklist_check_add_and_remove(
    synced_db: Path, simulator: Starlette, server: httpx.AsyncClient
) -> None:
    app = _app(synced_db, simulator)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_list(pilot, app)
        await pilot.press("B")
        await wait_for(pilot, lambda: isinstance(app.screen, BlocklistScreen))
        blocklist: BlocklistScreen = app.screen  # type: ignore[assignment]
        await _prompt(pilot, app, "a", "spam.trap@bad.test")
        [item] = await _wait_pending(pilot, synced_db, 1)
        assert (item.resource, item.op, item.value) == (
            "blocklist",
            "create",
            {"email": "spam.trap@bad.test"},
        )
        await wait_for(pilot, lambda: "spam.trap@bad.test" in [r.email for r in blocklist.rows])
        # Refused values keep the dialog open, the text in it and the reason under it.
        for refused, reason in (
            ("not an address", "not an email address: 'not an address'"),
            ("Spam.Trap@bad.test", "Spam.Trap@bad.test is already on the blocklist"),
        ):
            await _prompt(pilot, app, "a", refused)
            await wait_for_text(pilot, reason)
            assert isinstance(app.screen, TextPromptScreen)
            assert app.screen.query_one(Input).value == refused
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is blocklist)
        assert len(_items(synced_db)) == 1
        await _prompt(pilot, app, "c", "SPAM.trap@bad.test")

        def answer() -> str:
            return str(blocklist.query_one("#blocklist-answer").render())

        await wait_for(pilot, lambda: "blocked here, not on the server yet" in answer())
        await _sync(pilot, app)
        assert (await _get(server, "/blocklist/check?email=spam.trap@bad.test"))["blocked"]
        await _prompt(pilot, app, "c", "spam.trap@bad.test")
        await wait_for(pilot, lambda: "blocked (server)" in answer())
        # The entry's server id arrives with the reload after the sync.
        await wait_for(
            pilot,
            lambda: any(
                r.email == "spam.trap@bad.test" and not r.id.startswith("local-")
                for r in blocklist.rows
            ),
        )
        index = [r.email for r in blocklist.rows].index("spam.trap@bad.test")
        blocklist.table.move_cursor(row=index)
        await pilot.press("d")
        [item] = await _wait_pending(pilot, synced_db, 1)
        assert (item.resource, item.op) == ("blocklist", "delete")
        await _sync(pilot, app)
    assert not (await _get(server, "/blocklist/check?email=spam.trap@bad.test"))["blocked"]


@pytest.mark.parametrize(
    ("size", "hidden"),
    [((120, 40), set()), ((80, 24), {"Progress", "Contacted", "Updated", "Inb."})],
)
async def test_the_list_keeps_its_rates_when_narrow(
    synced_db: Path, simulator: Starlette, size: tuple[int, int], hidden: set[str]
) -> None:
    app = _app(synced_db, simulator)
    async with app.run_test(size=size) as pilot:
        listing = await _open_list(pilot, app)
        titles = {str(column.label).rstrip(" ▲▼") for column in listing.table.columns.values()}
        assert {"Name", "Status", "Reply", "Positive", "Bounce"} <= titles
        assert not titles & hidden
        # Every shown column fits: nothing scrolls off to the right.
        assert listing.table.virtual_size.width <= size[0]
        header = terminal_lines(app)[listing.table.region.y]
        assert "Bounce" in header
