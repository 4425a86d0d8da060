"""A TextArea for variant templates: merge tags highlighted, unknown variables and the first
merge-tag error marked, tags the server would unwrap flagged (bodies).

Highlighting goes through the public `TextArea.get_line` hook (a Rich `Text` the widget
stylizes further), not through tree-sitter: the grammar is `core.mergetags`, the same one
the server's 422 follows. The check is recomputed when the text changes
(`TextArea.Changed`) and kept in `check` for the screen (error position, unknown names).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea

from outreach_tui.ui.widgets.template_highlight import (
    EMPTY_CHECK,
    KINDS,
    TemplateCheck,
    check_template,
    spans_by_line,
)


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
    """

    BINDINGS = [
        # A subject is one line: enter moves on instead of breaking it (priority, so it
        # runs before TextArea's own key handling inserts a newline).
        Binding("enter", "line_done", "Next", show=False, priority=True, id="template.enter"),
    ]

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
        self._known: frozenset[str] | None = None
        self.check: TemplateCheck = EMPTY_CHECK
        self._line_spans: dict[int, list[tuple[int, int, str]]] = {}
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
        text = self.text
        self.check = check_template(text, known=self._known, html=self.html)
        document = self.document
        self._line_spans = spans_by_line(
            [document.get_line(i) for i in range(document.line_count)],
            self.check.spans,
            len(document.newline),
        )
        if self.is_mounted:
            self.notify_style_update()  # drops the cached lines drawn with the old spans
            self.refresh()

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
