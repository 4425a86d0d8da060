"""Colours that stay readable in every theme.

The widgets name colours by meaning (Rich's `green` for good, `red` for bad, `yellow`
for attention, `cyan`/`magenta`/`blue` for accents, `dim` for secondary text), and the
app maps those names to the current theme: `ansi_theme` builds the ANSI palette Textual
converts them with from the theme's own colours, each moved towards black or white until
it reads on the theme's background (WCAG contrast `TEXT_CONTRAST`). A theme picked in the
palette, a light one included, so keeps every text cell legible without a widget knowing
which theme is on.
"""

from __future__ import annotations

from functools import lru_cache

from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from rich.terminal_theme import TerminalTheme
from textual.color import Color
from textual.filter import LineFilter
from textual.theme import Theme

TEXT_CONTRAST = 4.5  # WCAG AA for body text: what the theme's named colours are made to
LINE_CONTRAST = 3.5  # the floor every drawn text cell is lifted to (cursor rows included)


def _luminance(color: Color) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast_ratio(first: Color, second: Color) -> float:
    """WCAG 2 contrast ratio of two opaque colours (1.0 to 21.0)."""
    a, b = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def readable(color: Color, background: Color, minimum: float = TEXT_CONTRAST) -> Color:
    """`color`, moved towards black or white (whichever stands out on `background`)
    just far enough to reach `minimum` contrast; unchanged when it already does."""
    if contrast_ratio(color, background) >= minimum:
        return color
    target = Color(0, 0, 0) if _luminance(background) > 0.18 else Color(255, 255, 255)
    for step in range(1, 11):
        moved = color.blend(target, step / 10)
        if contrast_ratio(moved, background) >= minimum:
            return moved
    return target


def ansi_theme(theme: Theme) -> TerminalTheme:
    """The ANSI palette for `theme`: each named colour from the theme, readable on its
    background (Textual converts Rich's named colours with it)."""
    background = Color.parse(theme.background or ("#121212" if theme.dark else "#efefef"))
    foreground = Color.parse(theme.foreground or background.get_contrast_text(1.0).hex)

    def pick(value: str | None, fallback: str) -> tuple[int, int, int]:
        color = readable(Color.parse(value or fallback), background)
        return (color.r, color.g, color.b)

    normal = [
        pick(None, "#000000"),  # black: readable, so never invisible on a dark theme
        pick(theme.error, "#d03a3a"),  # red
        pick(theme.success, "#3aa655"),  # green
        pick(theme.warning, "#c9a400"),  # yellow
        pick(theme.primary, "#3a7bd5"),  # blue
        pick(theme.secondary, "#9a4fd0"),  # magenta
        pick(theme.accent, "#2aa8b0"),  # cyan
        pick(foreground.hex, "#e0e0e0"),  # white
    ]
    bg = (background.r, background.g, background.b)
    fg = (foreground.r, foreground.g, foreground.b)
    return TerminalTheme(bg, fg, normal, normal)


class LegibleText(LineFilter):
    """The last line filter: a text cell whose colour does not stand out from its own
    background (a label colour on the cursor row, muted text on a light panel) gets a
    colour moved just far enough to reach `LINE_CONTRAST`. Applied to every line the app
    draws, after Textual turned named colours and `dim` into true colours."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        fallback = (background.r, background.g, background.b)
        out = []
        for segment in segments:
            text, style, control = segment
            if style is None or control or not text.strip() or style.color is None:
                out.append(segment)
                continue
            fixed = _legible(style, fallback)
            out.append(segment if fixed is style else Segment(text, fixed, control))
        return out


@lru_cache(4096)
def _legible(style: Style, fallback: tuple[int, int, int]) -> Style:
    color, bgcolor = style.color, style.bgcolor
    if color is None or color.triplet is None:
        return style  # not a true colour (the terminal's default): nothing to measure
    fg = Color(*color.triplet)
    bg = Color(*bgcolor.triplet) if bgcolor is not None and bgcolor.triplet else Color(*fallback)
    if style.reverse:
        fg, bg = bg, fg
    if contrast_ratio(fg, bg) >= LINE_CONTRAST:
        return style
    moved = readable(fg, bg, LINE_CONTRAST)
    new = RichColor.from_rgb(moved.r, moved.g, moved.b)
    if style.reverse:
        return style + Style(bgcolor=new)
    return style + Style(color=new)
