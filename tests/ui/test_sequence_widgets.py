"""The sequence editor's widgets on their own, each hosted by a tiny `App` (no
OutreachApp, no cache): the variant editor's draft, dirty state and messages, and the
preview pane's leads."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from textual import on
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import Static

from outreach_tui.core.mergetags import lead_variables
from outreach_tui.store.connection import open_writer
from outreach_tui.store.queries.campaigns import SequenceRow, VariantRow
from outreach_tui.ui.sequences.data import LeadSample, PreviewLead, RowTarget
from outreach_tui.ui.sequences.widgets.preview_pane import Draft, PreviewPane
from outreach_tui.ui.sequences.widgets.variant_editor import VariantEditor

from .conftest import wait_for
from .fake_backend import FakeBackend


def _variant(variant_id: str, letter: str, subject: str, body: str) -> VariantRow:
    return VariantRow(
        variant_id, letter, subject, body, None, True, subject, body, None, False, 0, 0, 0.0, 0, 0.0
    )


A = _variant("v-a", "A", "Hi {{first_name}}", "Hello <b>there</b>")
B = _variant("v-b", "B", "Quick question", "Body B")
STEP = SequenceRow("s-1", 1, None, None, False, (A, B))


def _target(variant: VariantRow) -> RowTarget:
    return RowTarget(STEP, 1, variant)


class EditorApp(App[None]):
    """Hosts one VariantEditor and records the messages it posts."""

    def __init__(self) -> None:
        super().__init__()
        self.received: list[Message] = []

    def compose(self) -> ComposeResult:
        yield VariantEditor(id="editor")

    @on(VariantEditor.Changed)
    @on(VariantEditor.SaveRequested)
    def _record(self, message: Message) -> None:
        self.received.append(message)

    def of(self, kind: type[Message]) -> list[Message]:
        """The recorded messages of one kind."""
        return [m for m in self.received if isinstance(m, kind)]


async def test_typing_marks_the_draft_dirty_posts_changed_and_reverting_clears_it() -> None:
    app = EditorApp()
    async with app.run_test(size=(100, 30)) as pilot:
        editor = app.query_one(VariantEditor)
        assert editor.subject_area.read_only  # nothing to edit before a variant is shown
        assert editor.show(_target(A)) is True
        await pilot.pause()
        assert editor.texts == (A.subject, A.body_html)
        assert not editor.dirty and editor.dirty_variant is None
        assert not editor.subject_area.read_only
        assert "Step 1 · Variant A" in str(editor.query_one("#variant-head", Static).render())
        app.received.clear()

        editor.subject_area.focus()
        await pilot.press("end", "!")
        assert editor.subject_area.text == "Hi {{first_name}}!"
        assert editor.dirty and editor.dirty_variant == A.id
        assert editor.changes() == {"subject": "Hi {{first_name}}!"}
        await wait_for(pilot, lambda: bool(app.of(VariantEditor.Changed)))

        await pilot.press("backspace")  # back to the saved text: clean again
        assert not editor.dirty and editor.changes() == {}
        assert editor.would_drop_draft(_target(B)) is False


async def test_ctrl_s_posts_save_requested_with_the_texts_and_saved_moves_the_baseline() -> None:
    app = EditorApp()
    async with app.run_test(size=(100, 30)) as pilot:
        editor = app.query_one(VariantEditor)
        editor.show(_target(A))
        editor.subject_area.focus()
        await pilot.press("end", *" {{oops")
        check = str(editor.query_one("#subject-check", Static).render())
        assert "column 19" in check and "server would refuse" in check
        await pilot.press("enter")  # a subject is one line: enter goes on to the body
        assert editor.body_area.has_focus
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: bool(app.of(VariantEditor.SaveRequested)))
        [request] = app.of(VariantEditor.SaveRequested)
        assert isinstance(request, VariantEditor.SaveRequested)
        assert request.target == _target(A)
        assert (request.subject, request.body) == ("Hi {{first_name}} {{oops", A.body_html)
        assert editor.dirty  # asking is not saving

        editor.saved(B.id, editor.changes())  # another variant's save changes nothing here
        assert editor.dirty
        editor.saved(A.id, editor.changes())
        assert not editor.dirty and editor.baseline[0] == "Hi {{first_name}} {{oops"


async def test_a_draft_survives_a_reload_of_its_variant_and_moving_away_would_drop_it() -> None:
    app = EditorApp()
    async with app.run_test(size=(100, 30)) as pilot:
        editor = app.query_one(VariantEditor)
        editor.show(_target(A))
        editor.body_area.focus()
        await pilot.press("end", *" draft")
        changed_on_server = replace(A, body_html="Rewritten by a colleague")
        assert editor.show(_target(changed_on_server), reload=True) is False  # same variant
        assert editor.body_area.text == "Hello <b>there</b> draft"  # the draft is kept
        assert editor.would_drop_draft(_target(B)) and not editor.would_drop_draft(_target(A))

        editor.discard()
        assert editor.body_area.text == A.body_html and not editor.dirty
        editor.show(_target(changed_on_server), reload=True)  # no draft: follows the cache
        assert editor.body_area.text == "Rewritten by a colleague"

        assert editor.show(_target(B)) is True
        assert editor.texts == (B.subject, B.body_html)
        hostile = replace(B, id="v-c", subject="Hi \x1b[31mred\x1b[0m")
        editor.show(_target(hostile))
        assert editor.subject_area.text == "Hi red" and not editor.dirty
        assert "control characters removed" in str(
            editor.query_one("#variant-head", Static).render()
        )


class PreviewApp(App[None]):
    """Hosts one PreviewPane over an empty cache (a backend that records pulls)."""

    def __init__(self, db_path: Path) -> None:
        super().__init__()
        self.db_path = db_path

    def compose(self) -> ComposeResult:
        self.backend = FakeBackend(self, self.db_path, can_sync=True)
        yield PreviewPane(self.backend, id="pane")  # type: ignore[arg-type]


def _empty_cache(tmp_path: Path) -> Path:
    path = tmp_path / "cache.db"
    open_writer(path).close()  # creates the schema
    return path


def _lead(n: int, company: str | None) -> PreviewLead:
    values = lead_variables(
        email=f"p{n}@x.example",
        first_name=f"Ann{n}",
        variables={"company": company} if company else {},
    )
    return PreviewLead(f"lead-{n}", f"p{n}@x.example", f"Ann{n}", values)


async def test_preview_pane_renders_the_draft_per_lead_and_counts_missing_values(
    tmp_path: Path,
) -> None:
    app = PreviewApp(_empty_cache(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.query_one(PreviewPane)
        pane.reset("c-1")

        def body() -> str:
            return str(pane.query_one("#preview-body", Static).render())

        def report() -> str:
            return str(pane.query_one("#preview-report", Static).render())

        assert pane.step_lead(1) is False  # no leads yet
        pane.follow(Draft("Hi {{first_name}}", "For {{company}}", unsubscribe=False))
        await wait_for(pilot, lambda: "No lead to preview with" in body())
        await wait_for(pilot, lambda: "waiting for the leads" in report())

        leads = (_lead(1, "Acme"), _lead(2, None))
        pane.show_sample(LeadSample(leads, frozenset({"first_name", "company"}), pulled=True))
        pane.follow(Draft("Hi {{first_name}}", "For {{company}}", unsubscribe=False))
        await wait_for(pilot, lambda: "Subject: Hi Ann1" in body() and "Lead 1 of 2" in body())
        await wait_for(pilot, lambda: "company: 1 lack it" in report())
        assert pane.step_lead(1) is True
        await wait_for(pilot, lambda: "Subject: Hi Ann2" in body())
        assert pane.step_lead(1) and pane.lead_index == 0  # wraps around

        pane.maybe_pull_leads()  # these leads were pulled: nothing to ask
        assert app.backend.recorded.pulls == []

        pane.follow(None)  # no variant in the editors
        await wait_for(pilot, lambda: "Pick a variant" in body() and report() == "")


async def test_preview_pane_pulls_never_pulled_leads_once_and_says_so(tmp_path: Path) -> None:
    app = PreviewApp(_empty_cache(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        pane = app.query_one(PreviewPane)
        pane.reset("c-1")
        pane.show_sample(LeadSample((), None, pulled=False))
        pane.maybe_pull_leads()
        pane.maybe_pull_leads()  # asked once per campaign
        assert app.backend.recorded.pulls == ["leads:c-1"]
        pane.follow(Draft("Hi", "Body", unsubscribe=False))
        body = pane.query_one("#preview-body", Static)
        await wait_for(pilot, lambda: "the leads are being pulled" in str(body.render()))
