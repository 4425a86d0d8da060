"""The sequence editor when the server disagrees: a 422 on a variant edit shows on the
variant with the local text kept (outbox item `failed`), and a server change to a variant
edited offline opens keep mine / take theirs with a diff (outbox item `conflict`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette

from outreach_tui.simulator.routes import sequence_routes
from outreach_tui.store import outbox
from outreach_tui.ui.sequences.screens.conflict import ConflictDialog
from outreach_tui.ui.sequences.widgets.steps import VARIANT_PREFIX

from .conftest import API_KEY, client_factory_for, make_app, wait_for
from .test_sequence_support import (
    campaign_where,
    highlight,
    items,
    open_editor,
    open_first_variant,
    server_campaign,
    sync,
    text_of,
)


def _refuse_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server refuses any template holding FORBIDDEN (a rule the client cannot know)."""
    real = sequence_routes.merge_tag_error_offset

    def offset(text: str) -> int | None:
        return text.index("FORBIDDEN") if "FORBIDDEN" in text else real(text)

    monkeypatch.setattr(sequence_routes, "merge_tag_error_offset", offset)


async def test_a_422_shows_on_the_variant_with_the_edit_kept_and_a_fix_goes_through(
    synced_db: Path, simulator: Starlette, monkeypatch: pytest.MonkeyPatch
) -> None:
    _refuse_forbidden(monkeypatch)
    campaign = campaign_where(synced_db, lambda c: c.sequence_steps >= 3)
    app = make_app(synced_db, client_factory_for(simulator))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(app, pilot, campaign.id)
        variant = screen.data.steps[1].variants[0]  # type: ignore[union-attr]
        before = server_campaign(simulator, campaign.id).steps[1].variants[0].subject
        await highlight(pilot, screen, VARIANT_PREFIX + variant.id)
        await pilot.press("enter", "end", *" FORBIDDEN deal", "ctrl+s")
        await wait_for(pilot, lambda: len(items(synced_db, outbox.PENDING)) == 1)
        mine = screen.editor.subject_area.text
        await sync(app, pilot)

        [failed] = items(synced_db, outbox.FAILED)
        assert (failed.resource_id, failed.field, failed.value) == (variant.id, "subject", mine)
        assert "invalid merge tag" in (failed.last_error or "")
        await wait_for(pilot, lambda: "refused the subject" in text_of(screen, "#variant-problem"))
        problem = text_of(screen, "#variant-problem")
        assert "invalid merge tag at offset" in problem and "your text is kept" in problem
        assert screen.editor.subject_area.text == mine  # the edit is still shown
        assert _mark(screen, variant.id) == "!"
        assert server_campaign(simulator, campaign.id).steps[1].variants[0].subject == before

        # fixing the text and saving again sends it (the failed item takes the new value)
        screen.editor.subject_area.focus()
        await pilot.press("end", *["backspace"] * len(" FORBIDDEN deal"), *" deal", "ctrl+s")
        await wait_for(pilot, lambda: len(items(synced_db, outbox.PENDING)) == 1)
        assert items(synced_db, outbox.FAILED) == []
        await sync(app, pilot)
        await wait_for(pilot, lambda: text_of(screen, "#variant-problem") == "")
    assert server_campaign(simulator, campaign.id).steps[1].variants[0].subject == f"{before} deal"


def _mark(screen: Any, variant_id: str) -> str:
    return str(screen.steps.get_option(VARIANT_PREFIX + variant_id).prompt)[0]


async def _conflict(
    synced_db: Path, simulator: Starlette, app: Any, pilot: Any
) -> tuple[Any, Any, str, str]:
    """Edit a body here (queued, not pushed), change it on the server, sync: conflict."""
    campaign = campaign_where(synced_db, lambda c: c.sequence_steps >= 3)
    screen, variant = await open_first_variant(app, pilot, campaign.id)
    body = screen.editor.body_area
    body.focus()
    body.move_cursor(body.document.end)
    await pilot.press("enter", *"Mine: see you {{first_name|there}}", "ctrl+s")
    await wait_for(pilot, lambda: len(items(synced_db, outbox.PENDING)) == 1)
    mine = body.text
    theirs = "<b>Theirs</b>: a colleague rewrote this."
    server_campaign(simulator, campaign.id).steps[0].variants[0].set_body(theirs)
    await sync(app, pilot)
    [item] = items(synced_db, outbox.CONFLICT)
    assert (item.field, item.value, item.theirs) == ("body_html", mine, theirs)
    # the dialog opens by itself, with both versions as a diff
    await wait_for(pilot, lambda: isinstance(app.screen, ConflictDialog))
    await wait_for(pilot, lambda: bool(app.screen.query("#conflict-diff")))
    diff = str(app.screen.query_one("#conflict-diff").render())
    assert f"-{theirs}" in diff and "+Mine: see you {{first_name|there}}" in diff
    return screen, variant, mine, theirs


async def test_conflict_keep_mine_sends_my_version(synced_db: Path, simulator: Starlette) -> None:
    app = make_app(synced_db, client_factory_for(simulator))
    async with app.run_test(size=(120, 40)) as pilot:
        screen, variant, mine, _theirs = await _conflict(synced_db, simulator, app, pilot)
        await pilot.press("m")
        await wait_for(pilot, lambda: len(items(synced_db, outbox.PENDING)) == 1)
        assert screen.editor.body_area.text == mine
        await sync(app, pilot)
        assert items(synced_db, outbox.CONFLICT, outbox.PENDING) == []
    server = server_campaign(simulator, screen.campaign_id).steps[0].variants[0]
    assert server.id == variant.id and "Mine: see you {{first_name|there}}" in (
        server.body_html or ""
    )


async def test_conflict_take_theirs_replaces_my_text(synced_db: Path, simulator: Starlette) -> None:
    app = make_app(synced_db, client_factory_for(simulator))
    async with app.run_test(size=(120, 40)) as pilot:
        screen, variant, _mine, theirs = await _conflict(synced_db, simulator, app, pilot)
        await pilot.press("escape")  # decide later: the variant says how to come back
        assert "c compares" in text_of(screen, "#variant-problem")
        assert _mark(screen, variant.id) == "?"
        assert screen.editor.body_area.has_focus
        await pilot.press("escape", "c")  # from the editor back to the steps, then compare
        await wait_for(pilot, lambda: isinstance(app.screen, ConflictDialog))
        await pilot.press("t")
        await wait_for(pilot, lambda: screen.editor.body_area.text == theirs)
        assert items(synced_db, outbox.CONFLICT, outbox.PENDING) == []
        assert text_of(screen, "#variant-problem") == ""
    assert server_campaign(simulator, screen.campaign_id).steps[0].variants[0].body_html == theirs


async def test_control_characters_in_a_server_template_never_reach_the_terminal(
    synced_db: Path, simulator: Starlette
) -> None:
    campaign = campaign_where(synced_db, lambda c: c.sequence_steps >= 3)
    server = server_campaign(simulator, campaign.id)
    server.steps[0].variants[0].set_body("Hi \x1b[31mred\x1b[0m \u202e{{first_name|x}}")
    server.updated_at = simulator.state.simulator.workspace(API_KEY).now()  # pulled again
    app = make_app(synced_db, client_factory_for(simulator))
    async with app.run_test(size=(120, 40)) as pilot:
        await sync(app, pilot)
        screen = await open_editor(app, pilot, campaign.id)
        assert screen.editor.body_area.text == "Hi red {{first_name|x}}"
        assert "control characters removed" in text_of(screen, "#variant-head")
        assert not screen.dirty  # nothing is sent unless the user edits it
        assert items(synced_db) == []
