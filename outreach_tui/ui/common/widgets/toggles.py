"""Checkboxes, radio buttons and selection lists whose glyph shows their state.

Textual draws `▐X▌` (a checkbox) or `▐●▌` (a radio button) whether on or off and tells
the two apart by colour only: unreadable in some themes, and lost to anyone who does not
see the colour. Here the mark is drawn only when on (`▐X▌` / `▐●▌`), a blank when off
(`▐ ▌`), and the colours stay the theme's.
"""

from __future__ import annotations

from typing import TypeVar

from textual.strip import Strip
from textual.widgets import Checkbox, RadioButton, SelectionList
from textual.widgets._toggle_button import ToggleButton

OFF = " "
ValueT = TypeVar("ValueT")


class StateCheckbox(Checkbox):
    """A `Checkbox` showing `X` when ticked and a blank when not."""

    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:
        return "X" if self.value else OFF


class StateRadioButton(RadioButton):
    """A `RadioButton` showing `●` when chosen and a blank when not."""

    @property  # type: ignore[override]
    def BUTTON_INNER(self) -> str:
        return "●" if self.value else OFF


class StateSelectionList(SelectionList[ValueT]):
    """A `SelectionList` whose unselected rows show a blank box instead of a grey `X`."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        # Textual's line: BUTTON_LEFT, BUTTON_INNER, BUTTON_RIGHT, " ", the prompt; the
        # inner segment's style carries the option index.
        if len(segments) < 3 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        inner = segments[1]
        meta = inner.style.meta if inner.style is not None else {}
        index = meta.get("option")
        if not isinstance(index, int):
            return strip
        selection = self.get_option_at_index(index)
        if selection.value in self.selected:
            return strip
        segments[1] = inner._replace(text=OFF)
        return Strip(segments, strip.cell_length)
