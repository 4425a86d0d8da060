"""The variant editor: one variant's subject and body, their checks as you type, what the
server said about the variant, and whether the text differs from the saved one.

It owns the draft: `show` puts a variant in (keeping a draft of the same variant), the
saved text is the `baseline`, and `dirty` says whether the editors differ from it. It does
not save: ctrl+s posts `SaveRequested` and the screen queues the edit (then `saved`
moves the baseline). Every change of the text posts `Changed` (for the preview and the
steps list's unsaved mark). Template text comes from strangers: `editable_text` removes
terminal controls before it reaches the TextArea.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from outreach_tui.core import mergetags
from outreach_tui.store.outbox import OutboxItem
from outreach_tui.ui.sequences.data import RowTarget
from outreach_tui.ui.sequences.widgets.checks import check_line, editable_text, problem_line
from outreach_tui.ui.sequences.widgets.template_area import TemplateArea


def _editable(text: str) -> str:
    return editable_text(text)[0]


class VariantEditor(Vertical):
    """Subject and body of the variant being edited, with their checks and dirty state."""

    BINDINGS = [Binding("ctrl+s", "save", "Save", id="sequences.save")]

    DEFAULT_CSS = """
    VariantEditor { width: 1fr; padding: 0 1; }
    VariantEditor .heading { text-style: bold; height: 1; }
    VariantEditor #variant-head { height: 1; text-style: bold; }
    VariantEditor #subject { height: 3; }
    VariantEditor #body { height: 1fr; min-height: 5; }
    VariantEditor .check { height: auto; max-height: 3; }
    VariantEditor #variant-problem { height: auto; max-height: 4; }
    """

    class Changed(Message):
        """The subject or the body changed (typed, or loaded from the cache)."""

        def __init__(self, editor: VariantEditor) -> None:
            super().__init__()
            self.editor = editor

        @property
        def control(self) -> VariantEditor:
            """The editor whose text changed."""
            return self.editor

    class SaveRequested(Message):
        """Ctrl+s: the user asked to save `target`'s subject and body as they are now."""

        def __init__(
            self, editor: VariantEditor, target: RowTarget | None, subject: str, body: str
        ) -> None:
            super().__init__()
            self.editor = editor
            self.target = target
            self.subject = subject
            self.body = body

        @property
        def control(self) -> VariantEditor:
            """The editor asking."""
            return self.editor

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.target: RowTarget | None = None  # whose text is in the editors
        self.baseline: tuple[str, str] = ("", "")  # the variant's saved subject and body
        self.cleaned = False  # the variant's text held control characters (removed)
        self.problems: tuple[OutboxItem, ...] = ()  # the server's verdicts on the variant

    def compose(self) -> ComposeResult:
        yield Static(Text(), id="variant-head")
        yield Static(Text("Subject"), classes="heading")
        yield TemplateArea(single_line=True, id="subject")
        yield Static(Text(), classes="check", id="subject-check")
        yield Static(Text("Body (HTML: <b> <i> <u> <a> <img>)"), classes="heading")
        yield TemplateArea(html=True, id="body")
        yield Static(Text(), classes="check", id="body-check")
        yield Static(Text(), id="variant-problem")

    def on_mount(self) -> None:
        self._set_editable(False)

    @property
    def subject_area(self) -> TemplateArea:
        """The subject's editor."""
        return self.query_one("#subject", TemplateArea)

    @property
    def body_area(self) -> TemplateArea:
        """The body's editor."""
        return self.query_one("#body", TemplateArea)

    @property
    def texts(self) -> tuple[str, str]:
        """The subject and body as the editors hold them now."""
        return self.subject_area.text, self.body_area.text

    @property
    def dirty(self) -> bool:
        """True when the editors hold changes that are not saved."""
        if self.target is None or self.target.variant is None:
            return False
        return self.texts != self.baseline

    @property
    def dirty_variant(self) -> str | None:
        """The id of the variant with unsaved changes, if any."""
        if self.dirty and self.target is not None and self.target.variant is not None:
            return self.target.variant.id
        return None

    @property
    def known_variables(self) -> frozenset[str] | None:
        """The variable names the campaign's leads have (None: not known yet)."""
        return self.subject_area.known_variables

    @known_variables.setter
    def known_variables(self, known: frozenset[str] | None) -> None:
        self.subject_area.known_variables = known
        self.body_area.known_variables = known

    # --- what is in the editors ---------------------------------------------------------

    def show(
        self,
        target: RowTarget | None,
        problems: Sequence[OutboxItem] = (),
        *,
        reload: bool = False,
    ) -> bool:
        """Put `target`'s variant in the editors; True when it is another variant than
        before. The same variant keeps its draft; without one it follows the cache
        (`reload`: a sync, take theirs), and the cursor only jumps when the text changed."""
        previous, self.target = self.target, target
        self.problems = tuple(problems)
        variant = target.variant if target is not None else None
        same = (
            previous is not None
            and previous.variant is not None
            and variant is not None
            and previous.variant.id == variant.id
        )
        if variant is None:
            self.load("", "")
            self._set_editable(False)
        else:
            saved = (variant.subject or "", variant.body_html or "")
            if not same or (
                reload and not self.dirty and tuple(map(_editable, saved)) != self.baseline
            ):
                self.load(*saved)
            self._set_editable(True)
        self._show_head()
        self.show_checks()
        return not same

    def would_drop_draft(self, target: RowTarget | None) -> bool:
        """True when showing `target` would leave unsaved changes of another variant."""
        editing = self.target
        if not self.dirty or editing is None or editing.variant is None:
            return False
        return target is None or target.variant is None or target.variant.id != editing.variant.id

    def load(self, subject: str, body: str) -> None:
        """Replace both texts; they become the saved text the draft is compared with."""
        subject, subject_cleaned = editable_text(subject)
        body, body_cleaned = editable_text(body)
        self.cleaned = subject_cleaned or body_cleaned
        self.subject_area.load_text(subject)
        self.body_area.load_text(body)
        # Read back: the editor may normalize line endings, which is no change of the user's.
        self.baseline = self.texts

    def discard(self) -> None:
        """Drop the draft: back to the saved text."""
        if self.dirty:
            self.load(*self.baseline)

    def changes(self) -> dict[str, str]:
        """The fields that differ from the saved text, as `edits.update_variant` takes them.
        A subject is one line: pasted line breaks become spaces (offsets unchanged)."""
        subject, body = self.texts
        subject = subject.replace("\r\n", " ").replace("\n", " ")
        changes: dict[str, str] = {}
        if subject != self.baseline[0]:
            changes["subject"] = subject
        if body != self.baseline[1]:
            changes["body_html"] = body
        return changes

    def saved(self, variant_id: str, changes: dict[str, str]) -> None:
        """`changes` of `variant_id` landed: they are the saved text now (if it is still
        the variant in the editors)."""
        target = self.target
        if target is not None and target.variant is not None and target.variant.id == variant_id:
            self.baseline = (
                changes.get("subject", self.baseline[0]),
                changes.get("body_html", self.baseline[1]),
            )

    def focus_error(self) -> None:
        """Put the cursor on the first invalid merge tag (subject first)."""
        for area in (self.subject_area, self.body_area):
            error = mergetags.validate(area.text)
            if error is not None:
                area.focus()
                area.move_cursor(area.document.get_location_from_index(error.offset))
                return

    def _set_editable(self, editable: bool) -> None:
        for area in (self.subject_area, self.body_area):
            area.read_only = not editable

    # --- what the editor says -----------------------------------------------------------

    def show_checks(self) -> None:
        """Validation under each editor and the server's verdict on the variant."""
        has_variant = self.target is not None and self.target.variant is not None
        for area, check_id in (
            (self.subject_area, "#subject-check"),
            (self.body_area, "#body-check"),
        ):
            line = check_line(area.check, area.text) if has_variant else Text()
            self.query_one(check_id, Static).update(line)
        self.query_one("#variant-problem", Static).update(problem_line(self.problems))

    def _show_head(self) -> None:
        target = self.target
        head = Text(no_wrap=True, overflow="ellipsis")
        if target is None:
            head.append("No step yet: n adds one.")
        elif target.variant is None:
            head.append(f"Step {target.number} has no variant yet: ", style="bold")
            head.append("a adds one (the sync also creates an empty A).", style="")
        else:
            variant = target.variant
            head.append(f"Step {target.number} · Variant {variant.letter or '?'}")
            head.append(
                "  enabled" if variant.enabled else "  disabled",
                style="green" if variant.enabled else "dim",
            )
            if variant.local_state == "pending":
                head.append("  ↑ waiting for the sync", style="cyan")
            if self.cleaned:
                head.append("  ⚠ control characters removed from its text", style="yellow")
        self.query_one("#variant-head", Static).update(head)

    # --- events -------------------------------------------------------------------------

    @on(TemplateArea.LineDone, "#subject")
    def _subject_done(self, event: TemplateArea.LineDone) -> None:
        event.stop()
        self.body_area.focus()

    @on(TemplateArea.Changed)
    def _text_changed(self, event: TemplateArea.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self))

    @on(TemplateArea.Checked)
    def _text_checked(self, event: TemplateArea.Checked) -> None:
        event.stop()
        self.show_checks()

    def action_save(self) -> None:
        """Ask to save the variant's subject and body (ctrl+s)."""
        subject, body = self.texts
        self.post_message(self.SaveRequested(self, self.target, subject, body))
