"""Snooze from the keyboard: `s` hides a conversation until a preset or a typed time,
the Snoozed tab lists it with its time, it comes back on top when its time comes (a
fake clock, the app's own timer), or earlier when a reply arrives; `z` undoes it, and
it survives a restart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from starlette.applications import Starlette
from textual.widgets import Input

import outreach_tui.ui.app as app_module
from outreach_tui.simulator.live import land_reply_in
from outreach_tui.store.connection import open_reader
from outreach_tui.store.queries.snoozes import snoozed_until
from outreach_tui.ui.app import OutreachApp
from outreach_tui.ui.inbox.screens.inbox import InboxScreen
from outreach_tui.ui.inbox.screens.snooze_picker import SnoozePicker
from outreach_tui.ui.inbox.screens.thread import ThreadScreen
from outreach_tui.ui.inbox.widgets.conversation_list import ConversationList

from .conftest import (
    API_KEY,
    FROZEN_NOW,
    client_factory_for,
    make_app,
    open_inbox,
    row_text,
    terminal_lines,
    wait_for,
    wait_for_screen,
    wait_for_text,
)

# A Friday morning (local time is UTC in these tests).
MORNING = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)


class Clock:
    """The app's clock, moved by the test."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def _snoozes(db_path: Path, ids: list[str]) -> dict[str, tuple[str, str]]:
    db = open_reader(db_path)
    try:
        return snoozed_until(db, ids)
    finally:
        db.close()


def _ids(conversations: ConversationList) -> list[str]:
    return [row.id for i in range(conversations.total) if (row := conversations.row_at(i))]


def _with_clock(db_path: Path, clock: Clock, **kwargs: object) -> OutreachApp:
    app = make_app(db_path, **kwargs)  # type: ignore[arg-type]
    app.backend.clock = clock
    return app


async def _snooze_first(pilot: object, conversations: ConversationList, *keys: str) -> str:
    row = conversations.current_row
    assert row is not None
    await pilot.press("s")  # type: ignore[attr-defined]
    await wait_for_screen(pilot, SnoozePicker)  # type: ignore[arg-type]
    await pilot.press(*keys)  # type: ignore[attr-defined]
    await wait_for_screen(pilot, InboxScreen)  # type: ignore[arg-type]
    await wait_for(pilot, lambda: conversations.loaded and row.id not in _ids(conversations))  # type: ignore[arg-type]
    return row.id


async def test_a_snooze_hides_it_lists_it_and_brings_it_back_on_top_at_its_time(
    synced_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(app_module, "SNOOZE_CHECK_SECONDS", 0.05)
    clock = Clock(MORNING)
    app = _with_clock(synced_db, clock)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        conversations = await open_inbox(pilot)
        await pilot.press("j", "j")
        snoozed = await _snooze_first(pilot, conversations, "enter")  # "Later today"
        assert _snoozes(synced_db, [snoozed]) == {
            snoozed: ("2026-11-20T18:00:00.000000Z", "2026-11-20T10:00:00.000000Z")
        }
        await wait_for_text(pilot, "Snoozed until today 18:00", " Snoozed 1 ")
        # The Snoozed tab: f cycles Primary → Others → All → Snoozed.
        screen = app.screen
        assert isinstance(screen, InboxScreen)
        await pilot.press("f", "f", "f")
        await wait_for(pilot, lambda: screen.filter.snoozed and conversations.loaded)
        await wait_for(pilot, lambda: _ids(conversations) == [snoozed])
        assert "until today 18:00 ·" in row_text(conversations, 0)
        await pilot.press("f")  # back to Primary
        await wait_for(pilot, lambda: screen.filter.folder == "primary" and conversations.loaded)
        clock.now = dt.datetime(2026, 11, 20, 17, 59, tzinfo=dt.UTC)
        await pilot.pause(0.3)
        assert snoozed not in _ids(conversations)
        clock.now = dt.datetime(2026, 11, 20, 18, 0, 1, tzinfo=dt.UTC)
        await wait_for(pilot, lambda: _ids(conversations)[:1] == [snoozed])
        await wait_for_text(pilot, "A snoozed conversation is back on top of the inbox.")
        assert _snoozes(synced_db, [snoozed]) == {}
        assert " Snoozed " in terminal_lines(app)[0] and " Snoozed 1 " not in terminal_lines(app)[0]


async def test_a_typed_time_is_read_as_typed_and_a_bad_one_says_why(synced_db: Path) -> None:
    app = _with_clock(synced_db, Clock(MORNING))
    async with app.run_test(size=(80, 24)) as pilot:
        conversations = await open_inbox(pilot)
        row = conversations.current_row
        assert row is not None
        await pilot.press("s")
        await wait_for_screen(pilot, SnoozePicker)
        await pilot.press(*"someday", "enter")
        await wait_for_text(pilot, "'someday' is not a time I know")
        assert isinstance(app.screen, SnoozePicker)  # still open: nothing was chosen
        app.screen.query_one(Input).value = ""
        await pilot.press(*"mon 14:00")
        await wait_for_text(pilot, "→ Mon 23 Nov 14:00")
        await pilot.press("enter")
        await wait_for_screen(pilot, InboxScreen)
        await wait_for(pilot, lambda: bool(_snoozes(synced_db, [row.id])))
        assert _snoozes(synced_db, [row.id])[row.id][0] == "2026-11-23T14:00:00.000000Z"


async def test_z_undoes_a_snooze_and_a_snooze_survives_a_restart(synced_db: Path) -> None:
    clock = Clock(MORNING)
    app = _with_clock(synced_db, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        first = await _snooze_first(pilot, conversations, "down", "enter")  # tomorrow 9:00
        second = await _snooze_first(pilot, conversations, "down", "down", "enter")  # Monday
        await pilot.press("z")
        await wait_for(pilot, lambda: second in _ids(conversations))
        assert list(_snoozes(synced_db, [first, second])) == [first]
    # A new process on the same cache: still snoozed, the time not come yet.
    app = _with_clock(synced_db, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        assert first not in _ids(conversations) and second in _ids(conversations)
        await wait_for_text(pilot, " Snoozed 1 ")
    # Started after its time: it is back on top at once.
    clock.now = dt.datetime(2026, 11, 21, 9, 30, tzinfo=dt.UTC)
    app = _with_clock(synced_db, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        await wait_for(pilot, lambda: _ids(conversations)[:1] == [first])


async def test_a_new_reply_brings_it_back_early(synced_db: Path, simulator: Starlette) -> None:
    # Snoozed an hour before the (frozen) time the reply lands.
    clock = Clock(FROZEN_NOW - dt.timedelta(hours=1))
    app = _with_clock(synced_db, clock, client_factory=client_factory_for(simulator))
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        await pilot.press("j", "j", "j")
        snoozed = await _snooze_first(pilot, conversations, "down", "down", "enter")
        sim = simulator.state.simulator
        with sim.lock:
            land_reply_in(sim.workspace(API_KEY), snoozed)
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: _ids(conversations)[:1] == [snoozed], seconds=20)
        assert _snoozes(synced_db, [snoozed]) == {}


async def test_the_picker_offers_to_wake_a_snoozed_one_and_the_thread_snoozes_too(
    synced_db: Path,
) -> None:
    app = _with_clock(synced_db, Clock(MORNING))
    async with app.run_test(size=(120, 40)) as pilot:
        conversations = await open_inbox(pilot)
        row = conversations.current_row
        assert row is not None
        await pilot.press("enter")
        await wait_for_screen(pilot, ThreadScreen)
        await pilot.press("S")
        await wait_for_screen(pilot, SnoozePicker)
        await pilot.press("enter")
        await wait_for_screen(pilot, InboxScreen)  # back to the list, the row gone
        await wait_for(pilot, lambda: row.id not in _ids(conversations))
        screen = app.screen
        assert isinstance(screen, InboxScreen)
        await pilot.press("f", "f", "f")
        await wait_for(pilot, lambda: screen.filter.snoozed and _ids(conversations) == [row.id])
        await pilot.press("s")
        await wait_for_screen(pilot, SnoozePicker)
        await wait_for_text(pilot, "Unsnooze: back to the inbox now")
        await pilot.press("up", "enter")  # the last choice
        await wait_for(pilot, lambda: conversations.loaded and _ids(conversations) == [])
        assert _snoozes(synced_db, [row.id]) == {}


async def test_help_says_snoozes_are_local_and_survive_restarts(synced_db: Path) -> None:
    app = make_app(synced_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_inbox(pilot)
        await pilot.press("question_mark")
        text = " ".join(
            line.strip(" │") for line in (await wait_for_text(pilot, "Snooze")).splitlines()
        )
        for said in ("s snoozes", "cache only", "survive restarts", "is:snoozed"):
            assert said in text, said
