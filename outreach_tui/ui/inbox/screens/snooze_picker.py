"""The snooze picker: a preset with ↑/↓ and enter, or a time typed in words.

The typed time is read as the person types (`core.snooze_time`): the line under the box
says when that is, or what is wrong with it, before anything is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from outreach_tui.core.snooze_time import (
    SnoozePreset,
    SnoozeTimeError,
    describe,
    parse_snooze,
    presets,
)

WAKE_TITLE = "Unsnooze: back to the inbox now"


@dataclass(frozen=True)
class SnoozeChoice:
    """What the picker answers: a time to snooze until, or None to wake them now."""

    until: datetime | None


class SnoozePicker(ModalScreen[SnoozeChoice | None]):
    """Snooze `count` conversations until a preset or a typed time; `offer_wake` adds
    the choice of ending their snoozes (some are snoozed already). `now` is local."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="snooze_picker.cancel"),
        Binding("up", "move(-1)", "Previous", show=False, id="snooze_picker.up"),
        Binding("down", "move(1)", "Next", show=False, id="snooze_picker.down"),
    ]

    AUTO_FOCUS = "#snooze-typed"

    DEFAULT_CSS = """
    SnoozePicker { align: center middle; }
    SnoozePicker > Vertical {
        width: 64; max-width: 100%; height: auto; max-height: 100%; padding: 1 2;
        border: round $accent; background: $panel;
    }
    SnoozePicker .title { text-style: bold; margin-bottom: 1; }
    SnoozePicker #snooze-when { margin-top: 1; }
    SnoozePicker #snooze-when.problem { color: $error; }
    SnoozePicker .hint { color: $text-muted; }
    """

    def __init__(self, now: datetime, count: int, *, offer_wake: bool = False) -> None:
        super().__init__()
        self.now = now
        self.count = count
        self.presets: list[SnoozePreset] = presets(now)
        self.offer_wake = offer_wake
        self.highlighted = 0

    @property
    def _choices(self) -> int:
        return len(self.presets) + (1 if self.offer_wake else 0)

    def compose(self) -> ComposeResult:
        many = f"{self.count:,} conversations" if self.count != 1 else "this conversation"
        with Vertical():
            yield Static(f"Snooze {many} until…", classes="title", markup=False)
            yield Static(self._choice_lines(), id="snooze-choices")
            yield Input(placeholder="or type: 3d, fri 14:00, tomorrow 9am…", id="snooze-typed")
            yield Static("", id="snooze-when", markup=False)
            yield Static(
                "↑↓ choose · enter snooze · esc cancel. Snoozes live in this cache only.",
                classes="hint",
                markup=False,
            )

    def _choice_lines(self) -> Text:
        lines = Text(no_wrap=True, overflow="ellipsis")
        rows = [(p.title, describe(p.until, self.now)) for p in self.presets]
        if self.offer_wake:
            rows.append((WAKE_TITLE, ""))
        for index, (title, when) in enumerate(rows):
            style = "bold reverse" if index == self.highlighted else ""
            lines.append(f" {title:<14} {when} ".ljust(40) if when else f" {title} ", style=style)
            if index < len(rows) - 1:
                lines.append("\n")
        return lines

    def action_move(self, delta: int) -> None:
        self.highlighted = (self.highlighted + delta) % self._choices
        self.query_one("#snooze-choices", Static).update(self._choice_lines())

    @on(Input.Changed, "#snooze-typed")
    def _typed(self, event: Input.Changed) -> None:
        when = self.query_one("#snooze-when", Static)
        when.remove_class("problem")
        if not event.value.strip():
            when.update("")
            return
        try:
            until = parse_snooze(event.value, self.now)
        except SnoozeTimeError as problem:
            when.add_class("problem")
            when.update(str(problem))
            return
        when.update(f"→ {describe(until, self.now)}")

    @on(Input.Submitted, "#snooze-typed")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            try:
                until = parse_snooze(event.value, self.now)
            except SnoozeTimeError:
                return  # the reason is on screen already
            self.dismiss(SnoozeChoice(until))
        elif self.highlighted < len(self.presets):
            self.dismiss(SnoozeChoice(self.presets[self.highlighted].until))
        else:
            self.dismiss(SnoozeChoice(None))

    def action_cancel(self) -> None:
        self.dismiss(None)
