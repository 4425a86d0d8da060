"""A TextArea for variant templates: merge tags highlighted, unknown variables and the first
merge-tag error marked, tags the server would unwrap flagged (bodies).

Highlighting goes through the public `TextArea.get_line` hook (a Rich `Text` the widget
stylizes further), not through tree-sitter: the grammar is `core.mergetags`, the same one
the server's 422 follows. The check is recomputed when the text changes
(`TextArea.Changed`), kept in `check` for the screen (error position, unknown names), and
announced with `TemplateArea.Checked`. It costs about 0.4 ms per 1,000 characters, so a
long template is checked on a worker thread (the UI thread never blocks > 5 ms on it).
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea

from outreach_tui.ui.backend.workers import deliver
from outreach_tui.ui.sequences.widgets.template_highlight import (
    EMPTY_CHECK,
    KINDS,
    TemplateCheck,
    check_template,
    spans_by_line,
)

SYNC_CHECK_CHARS = 4_000  # up to here the check runs inline (about 2 ms)
LineSpans = dict[int, list[tuple[int, int, str]]]


def _checked(
    text: str, newline: str, known: frozenset[str] | None, html: bool
) -> tuple[TemplateCheck, LineSpans]:
    check = check_template(text, known=known, html=html)
    return check, spans_by_line(text.split(newline), check.spans, len(newline))


class TemplateArea(TextArea):
    """Edits one template (a subject or a body) with merge-tag highlighting."""

    COMPONENT_CLASSES = {f"template-area--{kind}" for kind in KINDS}

    DEFAULT_CSS = """
    TemplateArea > .template-area--variable { color: $accent; text-style: bold; }
    TemplateArea > .template-area--loom { color: $secondary; text-style: bold; }
    TemplateArea > .template-area--spintax { color: $success; text-style: bold; }
    TemplateArea > .template-area--escape { color: $text-muted; }
    TemplateArea > .template-area--unknown { color: $warning; text-style: bold underline; }
    TemplateArea > .template-area--error { color: $text; background: $error 60%; }
    TemplateArea > .template-area--html { color: $warning; text-style: italic underline; }
    /* one line scrolls sideways without a scrollbar (it would cover the only row) */
    TemplateArea.-single-line { scrollbar-size-horizontal: 0; }
    """

    BINDINGS = [
        # A subject is one line: enter moves on instead of breaking it (priority, so it
        # runs before TextArea's own key handling inserts a newline).
        Binding("enter", "line_done", "Next", show=False, priority=True, id="template.enter"),
    ]

    class Checked(Message):
        """The template's check (`area.check`) is up to date with its text."""

        def __init__(self, area: TemplateArea) -> None:
            super().__init__()
            self.area = area

        @property
        def control(self) -> TemplateArea:
            """The area that was checked."""
            return self.area

    class LineDone(Message):
        """Enter was pressed in a one-line template (the screen moves the focus on)."""

        def __init__(self, area: TemplateArea) -> None:
            super().__init__()
            self.area = area

        @property
        def control(self) -> TemplateArea:
            """The area where enter was pressed."""
            return self.area

    def __init__(
        self,
        text: str = "",
        *,
        html: bool = False,
        single_line: bool = False,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(
            text,
            soft_wrap=not single_line,
            tab_behavior="focus",
            show_line_numbers=False,
            highlight_cursor_line=False,
            id=id,
            classes=classes,
        )
        self.html = html
        self.single_line = single_line
        self.set_class(single_line, "-single-line")
        self._known: frozenset[str] | None = None
        self.check: TemplateCheck = EMPTY_CHECK
        self._line_spans: LineSpans = {}
        self._recheck()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter only belongs to the area when it is a one-line template."""
        if action == "line_done":
            return self.single_line
        return True

    def action_line_done(self) -> None:
        """Enter in a subject: say so (the screen moves on to the body)."""
        self.post_message(self.LineDone(self))

    @property
    def known_variables(self) -> frozenset[str] | None:
        """The normalized variable names the campaign's leads have (None: not known yet)."""
        return self._known

    @known_variables.setter
    def known_variables(self, known: frozenset[str] | None) -> None:
        if known != self._known:
            self._known = known
            self._recheck()

    def _recheck(self) -> None:
        text, newline = self.text, self.document.newline
        if len(text) <= SYNC_CHECK_CHARS or not self.is_mounted:
            self._apply_check(text, *_checked(text, newline, self._known, self.html))
        else:
            self._check_in_background(text, newline, self._known, self.html)

    @work(thread=True, exclusive=True, group="template-check", exit_on_error=False)
    def _check_in_background(
        self, text: str, newline: str, known: frozenset[str] | None, html: bool
    ) -> None:
        check, spans = _checked(text, newline, known, html)
        deliver(self.app, self._apply_check, text, check, spans)

    def _apply_check(self, text: str, check: TemplateCheck, spans: LineSpans) -> None:
        if text != self.text:
            return  # typed on meanwhile: a newer check is on its way
        self.check, self._line_spans = check, spans
        if self.is_mounted:
            self.notify_style_update()  # drops the cached lines drawn with the old spans
            self.refresh()
            self.post_message(self.Checked(self))

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        if event.text_area is self:
            self._recheck()

    def get_line(self, line_index: int) -> Text:
        """The line with its merge-tag styles applied (see the module docstring)."""
        line = super().get_line(line_index)
        for start, end, kind in self._line_spans.get(line_index, ()):
            line.stylize(self.get_component_rich_style(f"template-area--{kind}"), start, end)
        return line
