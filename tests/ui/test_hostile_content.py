"""The simulator's hostile seeds render inert in the list and the threads: no ESC or other
C0/C1 control in any rendered line, markup shown as the characters it is (and never run:
`[@click=app.quit]` does not quit), bidi overrides removed and flagged, the deceptive link
flagged with its real target, the `../../.bashrc` attachment saved under a clean name
inside the chosen folder, the 1 MB body cut for display."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from textual.widgets import Input, OptionList

from outreach_tui.simulator.seeding.hostile import TRAVERSAL_CONTENT, TRAVERSAL_FILENAME
from outreach_tui.ui.inbox.screens.filters import FilterScreen
from outreach_tui.ui.inbox.screens.inbox import InboxScreen
from outreach_tui.ui.inbox.screens.thread import ThreadScreen
from outreach_tui.ui.inbox.widgets.message_view import CUT_NOTE

from .conftest import (
    assert_no_controls,
    client_factory_for,
    make_app,
    open_inbox,
    row_text,
    screen_text,
    wait_for,
    wait_for_screen,
    wait_for_text,
)

HUGE_BODY_ROW = 18


async def _next_thread(pilot: object, *texts: str) -> str:
    await pilot.press("j")  # type: ignore[attr-defined]
    return await wait_for_text(pilot, *texts)  # type: ignore[arg-type]


async def test_hostile_seeds_render_inert_in_the_list_and_the_threads(
    synced_db: Path, simulator: Starlette, tmp_path: Path
) -> None:
    app = make_app(synced_db, client_factory_for(simulator))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        conversations = await open_inbox(pilot)
        await pilot.pause()
        assert_no_controls(app)
        assert row_text(conversations, 0)[4:].startswith("Billing Dept")
        assert "URGENT: invoice overdue" in row_text(conversations, 0)
        assert "[@click=app.quit]Suppo" in row_text(conversations, 1)
        assert "[bold red]Action required[/] [link=https://" in row_text(conversations, 1)
        assert "⚠ Accounts fdp.exe nit" in row_text(conversations, 3)  # bidi flagged
        # Clicking the "[@click=app.quit]" text runs nothing: it is text.
        await pilot.click(conversations, offset=(6, 1))
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, InboxScreen)

        # Thread 1: terminal escapes (CSI, OSC 8, OSC title, BEL, C1).
        conversations.move_cursor(0)
        await pilot.press("enter")
        await wait_for_screen(pilot, ThreadScreen)
        text = await wait_for_text(pilot, "URGENT: invoice overdue", "Your account is suspended.")
        assert_no_controls(app)
        assert "pwned terminal title" not in text  # the OSC title sequence is gone
        assert "Pay the invoice" in text and "red via C1" in text

        # Thread 2: Rich/Textual markup, shown literally.
        text = await _next_thread(
            pilot,
            "[bold red]Action required[/] [link=https://evil.example]verify your account[/link]",
            "[bold red]Your mailbox is full[/]",
            "[@click=app.quit]this[/]",
        )
        assert_no_controls(app)

        # Thread 3: the deceptive link, listed with its real target and flagged.
        await _next_thread(
            pilot,
            "https://bank.example → https://evil.example/login",
            "⚠ the text shows a different address",
        )
        assert_no_controls(app)

        # Thread 4: a right-to-left override in the sender's name.
        text = await _next_thread(
            pilot, "from Accounts fdp.exe nitraM", "⚠ hidden text-direction characters removed"
        )
        assert "\u202e" not in text
        assert_no_controls(app)

        # Thread 5: the attachment named ../../.bashrc, saved into a folder we choose.
        await _next_thread(pilot, f"📎 {TRAVERSAL_FILENAME}")
        assert_no_controls(app)
        folder = tmp_path / "downloads"
        folder.mkdir()
        await pilot.press("s")
        await wait_for(pilot, lambda: bool(app.screen.query("#attachment-picker")))
        picker = app.screen.query_one("#attachment-picker", OptionList)
        await wait_for(pilot, lambda: picker.has_focus)
        await pilot.press("enter")
        destination = app.screen.query_one("#attachment-folder", Input)
        await wait_for(pilot, lambda: destination.has_focus)
        destination.value = str(folder)
        await pilot.press("enter")
        # "Saved" is said once the file is complete (it is written to a .part file first).
        await wait_for_text(pilot, "Saved", "downloads/bashrc")
        [saved] = list(folder.iterdir())
        assert saved.parent == folder and saved.name == "bashrc"
        assert saved.read_bytes() == TRAVERSAL_CONTENT
        assert not (tmp_path / ".bashrc").exists()

        # The 1 MB body: cut for display, the view says so.
        await pilot.press("escape")
        await wait_for_screen(pilot, InboxScreen)
        conversations.move_cursor(HUGE_BODY_ROW)
        await pilot.press("enter")
        await wait_for_screen(pilot, ThreadScreen)
        await wait_for_text(pilot, "Full export of the mailing list", "row 000000: lorem ipsum")
        assert CUT_NOTE.strip("*") in screen_text(app)

        # The hostile campaign name in the filter dialog: literal, no escape sequence.
        await pilot.press("escape")
        await wait_for_screen(pilot, InboxScreen)
        await pilot.press("v")
        await wait_for_screen(pilot, FilterScreen)
        await wait_for_text(pilot, "[bold red]Q4 blast[/] NOW")
        assert_no_controls(app)
