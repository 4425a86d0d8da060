"""The sequence editor driven with Pilot: what it shows, validation as you type, the
preview per lead, the unsaved-changes guard, and every action — each queues an outbox
item and, after a sync, the simulator holds the change.
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette

from outreach_tui.core.mergetags import missing_variables_report, validate
from outreach_tui.store import outbox
from outreach_tui.ui.campaigns.screens.campaigns import CampaignsScreen
from outreach_tui.ui.campaigns.screens.detail import CampaignDetailScreen
from outreach_tui.ui.common.screens.confirm import ConfirmDialog
from outreach_tui.ui.sequences.screens.dialogs import CampaignPicker, UnsavedDialog, ValueDialog
from outreach_tui.ui.sequences.screens.editor import SequenceScreen
from outreach_tui.ui.sequences.widgets.checks import position
from outreach_tui.ui.sequences.widgets.steps import STEP_PREFIX, VARIANT_PREFIX

from .conftest import client_factory_for, make_app, wait_for
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


def _prompt(screen: object, row_id: str) -> str:
    return str(screen.steps.get_option(row_id).prompt)  # type: ignore[attr-defined]


async def test_editor_shows_steps_variants_preview_per_lead_and_the_missing_report(
    synced_db: Path, simulator: Starlette
) -> None:
    campaign = campaign_where(synced_db, lambda c: bool(c.unsubscribe_option))
    app = make_app(synced_db, client_factory_for(simulator))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(app, pilot, campaign.id)  # leads pulled on demand
        server = server_campaign(simulator, campaign.id)
        assert screen.data is not None and screen.sample is not None
        assert [step.id for step in screen.data.steps] == [step.id for step in server.steps]
        # delays on every step but the last; each variant with its letter and state
        for number, step in enumerate(server.steps, start=1):
            prompt = _prompt(screen, STEP_PREFIX + step.id)
            assert prompt.startswith(f" Step {number}")
            if number < len(server.steps):
                assert f"then wait {step.delay_days} day" in prompt
            else:
                assert "last step" in prompt
            for variant in step.variants:
                row = _prompt(screen, VARIANT_PREFIX + variant.id)
                assert f"{variant.letter} {'●' if variant.enabled else '○'}" in row
        # a hostile campaign name is shown as its characters, never as markup
        head = text_of(screen, "#seq-head")
        assert campaign.name.split("\x1b")[0] in head and "\x1b" not in head
        assert f"{len(screen.sample.leads)} leads cached" in head

        # the preview fills the first lead in and shows the campaign's unsubscribe link
        leads = screen.sample.leads
        assert len(leads) == campaign.leads_count > 1

        def preview() -> str:
            return text_of(screen, "#preview-body")

        await wait_for(pilot, lambda: f"<{leads[0].email}>" in preview())
        assert "Lead 1 of" in preview()
        assert f"Unsubscribe <https://unsubscribe.invalid/{leads[0].id}>" in preview()
        await pilot.press("right")  # arrows through the leads
        await wait_for(pilot, lambda: f"<{leads[1].email}>" in preview())
        await pilot.press("alt+left")
        await wait_for(pilot, lambda: f"<{leads[0].email}>" in preview())

        # the last step's A reads {{company}} without a fallback: the report counts
        last = server.steps[-1].variants[0]
        await highlight(pilot, screen, VARIANT_PREFIX + last.id)
        expected = missing_variables_report(
            [last.subject or "", last.body_html or ""], [lead.values for lead in leads]
        )
        assert "company" in expected
        line = f"company: {expected['company']} lack it" if expected["company"] else "all have"
        await wait_for(pilot, lambda: line in text_of(screen, "#preview-report"))


async def test_typing_validates_with_the_error_position_and_saving_waits_for_a_fix(
    synced_db: Path, simulator: Starlette
) -> None:
    campaign = campaign_where(synced_db, lambda c: c.sequence_steps >= 3)
    app = make_app(synced_db, client_factory_for(simulator))
    async with app.run_test(size=(120, 40)) as pilot:
        screen, variant = await open_first_variant(app, pilot, campaign.id)
        await pilot.press("enter")  # to the subject
        await pilot.press("enter")  # a subject is one line: enter goes on to the body
        body = screen.editor.body_area
        assert body.has_focus
        body.move_cursor(body.document.end)
        await pilot.press(*" {{compnay}} <p>x</p> {{oops")
        text = body.text
        error = validate(text)
        assert error is not None
        line, column = position(text, error.offset)
        check = text_of(screen, "#body-check")
        assert f"at line {line}, column {column} (offset {error.offset})" in check
        assert "no lead has: compnay" in check
        assert "<p> (line" in check
        assert "*" in _prompt(screen, VARIANT_PREFIX + variant.id)  # unsaved mark
        await wait_for(
            pilot, lambda: "Nothing to preview until" in text_of(screen, "#preview-body")
        )

        await pilot.press("ctrl+s")
        assert "nothing saved" in app.status_info.message
        assert items(synced_db) == []
        # the cursor went to the offending {{
        assert body.cursor_location == body.document.get_location_from_index(error.offset)

        body.move_cursor(body.document.end)
        await pilot.press(*["backspace"] * len(" {{oops"))
        assert "✓ merge tags OK" in text_of(screen, "#body-check")
        await pilot.press("ctrl+s")  # <p> is outside the allowlist: asked first
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: len(items(synced_db, outbox.PENDING)) == 1)
        [item] = items(synced_db, outbox.PENDING)
        assert (item.resource_id, item.field, item.value) == (variant.id, "body_html", body.text)
        # The mark goes with the reload that follows the saved edit.
        await wait_for(pilot, lambda: "*" not in _prompt(screen, VARIANT_PREFIX + variant.id))
        await sync(app, pilot)
        server_variant = server_campaign(simulator, campaign.id).steps[0].variants[0]
        assert "{{compnay}} x" in (server_variant.body_html or "")
        assert "<p>" not in (server_variant.body_html or "")  # the server unwrapped it
        assert items(synced_db, outbox.PENDING, outbox.FAILED) == []


async def test_unsaved_changes_guard_stays_discards_or_saves_offline(synced_db: Path) -> None:
    campaign = campaign_where(synced_db, lambda c: c.sequence_steps >= 3)
    app = make_app(synced_db)  # no server: saving still works (queued in the outbox)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(app, pilot, campaign.id)
        step = screen.data.steps[0]  # type: ignore[union-attr]
        first, second = step.variants[0], step.variants[1]
        await highlight(pilot, screen, VARIANT_PREFIX + first.id)
        original = screen.editor.subject_area.text
        await pilot.press("enter", "end", *" - v2")
        await pilot.press("escape", "down")  # leave the variant with unsaved changes
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedDialog))
        await pilot.press("escape")  # stay
        assert screen.steps.current_id == VARIANT_PREFIX + first.id
        assert screen.editor.subject_area.text == original + " - v2"

        await pilot.press("down")
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedDialog))
        await pilot.press("d")  # discard, then move on
        await wait_for(pilot, lambda: screen.steps.current_id == VARIANT_PREFIX + second.id)
        assert screen.editor.subject_area.text == (second.subject or "")
        assert items(synced_db) == []

        await pilot.press("up", "enter", "end", *" - v3", "escape", "down")
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedDialog))
        await pilot.press("s")  # save, then move on
        await wait_for(pilot, lambda: screen.steps.current_id == VARIANT_PREFIX + second.id)
        [item] = items(synced_db, outbox.PENDING)
        assert (item.resource_id, item.field, item.value) == (
            first.id,
            "subject",
            original + " - v3",
        )
        await wait_for(pilot, lambda: app.status_info.pending == 1)

        # switching campaigns is guarded too
        await pilot.press("enter", "end", "!", "escape", "f4")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "CampaignPicker")
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedDialog))
        await pilot.press("escape")
        assert screen.campaign_id == campaign.id and screen.editor.subject_area.text.endswith("!")


async def test_steps_delay_add_and_delete_with_renumbering_reach_the_server(
    synced_db: Path, simulator: Starlette
) -> None:
    campaign = campaign_where(synced_db, lambda c: c.sequence_steps >= 3)
    app = make_app(synced_db, client_factory_for(simulator))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(app, pilot, campaign.id)
        steps = screen.data.steps  # type: ignore[union-attr]
        first, second, last = steps[0], steps[1], steps[-1]

        await highlight(pilot, screen, STEP_PREFIX + last.id)
        await pilot.press("w")  # the last step has no delay: refused, with the reason
        assert "last step" in app.status_info.message and "no delay" in app.status_info.message

        await highlight(pilot, screen, STEP_PREFIX + first.id)
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, ValueDialog))
        dialog = app.screen
        await pilot.press(*["backspace"] * 3, "x", "enter")
        assert app.screen is dialog and "whole number" in str(
            dialog.query_one("#value-problem").render()  # type: ignore[attr-defined]
        )
        await pilot.press("backspace", "5", "enter")
        await wait_for(pilot, lambda: "then wait 5 days" in _prompt(screen, STEP_PREFIX + first.id))

        await pilot.press("n")  # a new last step
        await wait_for(pilot, lambda: len(screen.data.steps) == len(steps) + 1)  # type: ignore[union-attr]
        new = screen.data.steps[-1]  # type: ignore[union-attr]
        assert new.is_local and "(new)" in _prompt(screen, STEP_PREFIX + new.id)
        await wait_for(pilot, lambda: screen.steps.current_id == STEP_PREFIX + new.id)

        await highlight(pilot, screen, STEP_PREFIX + second.id)
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: second.id not in {s.id for s in screen.data.steps})  # type: ignore[union-attr]
        # later steps renumber at once
        assert _prompt(screen, STEP_PREFIX + steps[2].id).startswith(" Step 2")
        assert [(i.resource, i.op) for i in items(synced_db, outbox.PENDING)] == [
            ("sequence", "update"),
            ("sequence", "create"),
            ("sequence", "delete"),
        ]
        await sync(app, pilot)
    server = server_campaign(simulator, campaign.id)
    kept = [s.id for s in steps if s.id != second.id]
    assert [s.id for s in server.steps][: len(kept)] == kept
    assert len(server.steps) == len(steps)  # one deleted, one added
    assert server.steps[0].delay_days == 5
    assert [v.letter for v in server.steps[-1].variants] == ["A"]  # created with the step


async def test_variants_add_enable_disable_delete_and_the_last_enabled_one_stays(
    synced_db: Path, simulator: Starlette
) -> None:
    # a last step whose B is disabled: its A is the only enabled variant
    campaign = campaign_where(
        synced_db, lambda c: c.sequence_steps >= 3 and c.name.startswith("Q3")
    )
    app = make_app(synced_db, client_factory_for(simulator))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(app, pilot, campaign.id)
        steps = screen.data.steps  # type: ignore[union-attr]
        only, disabled = steps[-1].variants
        assert only.enabled and not disabled.enabled

        await highlight(pilot, screen, VARIANT_PREFIX + only.id)
        await pilot.press("e")
        assert "stays enabled" in app.status_info.message
        assert "only enabled variant" in app.status_info.message
        await pilot.press("x")
        assert "cannot be deleted" in app.status_info.message
        assert items(synced_db) == []

        await highlight(pilot, screen, VARIANT_PREFIX + disabled.id)
        await pilot.press("e")
        await wait_for(pilot, lambda: len(items(synced_db, outbox.PENDING)) == 1)
        await highlight(pilot, screen, VARIANT_PREFIX + only.id)
        await wait_for(pilot, lambda: "●" in _prompt(screen, VARIANT_PREFIX + disabled.id))
        await pilot.press("e")  # now another one is enabled: A may go off
        await wait_for(pilot, lambda: len(items(synced_db, outbox.PENDING)) == 2)

        source, doomed = steps[0].variants[0], steps[0].variants[1]
        await highlight(pilot, screen, VARIANT_PREFIX + source.id)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ValueDialog))
        await pilot.press(*" (copy)", "enter")
        await wait_for(pilot, lambda: len(screen.data.steps[0].variants) == 3)  # type: ignore[union-attr]
        added = screen.data.steps[0].variants[-1]  # type: ignore[union-attr]
        assert added.is_local and added.subject == f"{source.subject} (copy)"
        assert added.body_html == source.body_html
        await wait_for(pilot, lambda: screen.steps.current_id == VARIANT_PREFIX + added.id)

        await highlight(pilot, screen, VARIANT_PREFIX + doomed.id)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: len(items(synced_db, outbox.PENDING)) == 4)
        await sync(app, pilot)
        assert items(synced_db, outbox.PENDING, outbox.FAILED) == []
    server = server_campaign(simulator, campaign.id)
    assert [(v.letter, v.enabled) for v in server.steps[-1].variants] == [("A", False), ("B", True)]
    first = server.steps[0].variants
    assert first[0].id == source.id and doomed.id not in [v.id for v in first]
    assert first[-1].subject == f"{source.subject} (copy)"


async def test_other_screens_open_a_campaign_directly_with_show_campaign(synced_db: Path) -> None:
    campaign = campaign_where(synced_db, lambda c: c.sequence_steps >= 3)
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.switch_mode("sequences")
        screen = app.screen
        assert isinstance(screen, SequenceScreen)
        screen.show_campaign(campaign.id)
        await wait_for(pilot, lambda: screen.data is not None)
        await pilot.pause(0.2)
        assert app.screen is screen  # no picker over it
        assert screen.data.campaign.id == campaign.id  # type: ignore[union-attr]
        assert "leads not pulled (p)" in text_of(screen, "#seq-head")  # no server here


async def test_quitting_with_unsaved_changes_asks_first_and_can_save(synced_db: Path) -> None:
    campaign = campaign_where(synced_db, lambda c: c.sequence_steps >= 1)
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        screen, variant = await open_first_variant(app, pilot, campaign.id)
        original = screen.editor.subject_area.text
        await pilot.press("enter", "end", *" - late")
        await pilot.press("f2", "ctrl+q")  # from another mode: the editor is shown again
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedDialog))
        assert app.current_mode == "sequences"
        await pilot.press("escape")  # keep editing: nothing lost, still running
        assert not app.backend.closing and screen.editor.subject_area.text == original + " - late"
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedDialog))
        await pilot.press("s")
        await wait_for(pilot, lambda: app.backend.closing)
    [item] = items(synced_db, outbox.PENDING)
    assert (item.resource_id, item.field, item.value) == (
        variant.id,
        "subject",
        original + " - late",
    )


async def test_quitting_twice_quits_without_saving(synced_db: Path) -> None:
    campaign = campaign_where(synced_db, lambda c: c.sequence_steps >= 1)
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_variant(app, pilot, campaign.id)
        await pilot.press("enter", "end", "!", "ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, UnsavedDialog))
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: app.backend.closing)
    assert items(synced_db) == []


async def test_a_reload_landing_right_after_a_move_keeps_the_new_highlight(
    synced_db: Path, simulator: Starlette
) -> None:
    """A reload that lands before the list's highlight message reached the screen keeps
    the row the user moved to (it used to snap back to the row the editors showed)."""
    campaign = campaign_where(synced_db, lambda c: c.sequence_steps >= 3)
    app = make_app(synced_db, client_factory_for(simulator))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_editor(app, pilot, campaign.id)
        assert screen.data is not None
        first, last = screen.data.steps[0], screen.data.steps[-1]
        await highlight(pilot, screen, STEP_PREFIX + first.id)
        steps = screen.steps
        steps.highlighted = list(steps.targets).index(VARIANT_PREFIX + last.variants[0].id)
        screen._apply((screen.campaign_id or "", screen.data, screen.sample))  # no await between
        await pilot.pause()
        assert steps.current_id == VARIANT_PREFIX + last.variants[0].id
        assert screen.editor.target is not None and screen.editor.target.variant == last.variants[0]
        assert screen.editor.subject_area.text == (last.variants[0].subject or "")


async def test_f4_opens_the_campaign_being_viewed_and_the_picker_lets_f_keys_through(
    synced_db: Path,
) -> None:
    campaign = campaign_where(synced_db, lambda c: c.sequence_steps >= 2)
    app = make_app(synced_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")  # no campaign in view: the picker
        await wait_for(pilot, lambda: isinstance(app.screen, CampaignPicker))
        await pilot.press("f3")  # not a dead end: F-keys leave it
        await wait_for(pilot, lambda: isinstance(app.screen, CampaignsScreen))
        listing = app.screen
        assert isinstance(listing, CampaignsScreen)
        await wait_for(pilot, lambda: listing.loaded)
        listing.table.move_cursor(row=[c.id for c in listing.shown].index(campaign.id))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CampaignDetailScreen))
        await pilot.press("f4")  # the campaign being viewed opens in the editor
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, SequenceScreen)
                and app.screen.data is not None
                and app.screen.data.campaign.id == campaign.id
            ),
        )
        await pilot.press("f2")
        await wait_for(pilot, lambda: app.current_mode == "inbox")


async def test_at_80_columns_the_editor_keeps_its_room_and_v_swaps_in_the_preview(
    synced_db: Path,
) -> None:
    campaign = campaign_where(synced_db, lambda c: c.sequence_steps >= 2)
    app = make_app(synced_db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_editor(app, pilot, campaign.id)
        await pilot.pause()
        assert screen.editor.size.width >= 40  # it was squeezed to ~3 columns
        assert not screen.preview.display or screen.preview.size.width == 0
        await pilot.press("escape", "v")
        await wait_for(pilot, lambda: screen.preview.size.width >= 40)
        assert screen.editor.size.width == 0
        await pilot.press("v")
        await wait_for(pilot, lambda: screen.editor.size.width >= 40)
        await pilot.resize_terminal(120, 40)
        await wait_for(pilot, lambda: screen.preview.size.width > 0)
        assert screen.editor.size.width > 0
        assert not screen.check_action("toggle_preview", ())  # wide: both are shown
