"""Text contrast of what the terminal shows: WCAG contrast ratio of every text cell.

The composed screen (`Compositor.render_strips`) gives each cell its final colours, after
Textual resolved the theme, opacity and tints. A cell whose foreground does not stand out
from its background (ratio below `MINIMUM`) is unreadable for many people and on many
screens. Blank cells and box-drawing/block glyphs (borders, bars, scrollbars) are not
text and are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.color import Color
from rich.segment import Segment
from rich.terminal_theme import TerminalTheme
from textual.app import App
from textual.filter import dim_color

MINIMUM = 3.0
_NOT_TEXT = set(" ▏▕▎▍▌▋▊▉█▐▄▀▁▂▃▅▆▇━─│┃┄┅┆┇┈┉┊┋╭╮╯╰┌┐└┘├┤┬┴┼═║╔╗╚╝╠╣╦╩╬▔▁▰▱")


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(fg: tuple[int, int, int], bg: tuple[int, int, int]) -> float:
    """WCAG 2 contrast ratio of two colours (1.0 to 21.0)."""
    a, b = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _rgb(
    color: Color | None, default: tuple[int, int, int], ansi: TerminalTheme, *, fg: bool
) -> tuple[int, int, int]:
    if color is None or color.is_default:
        return default
    # ANSI colours ("green" in a Rich style) become what Textual sends: the app's ANSI
    # theme's colour, as its output filter does.
    triplet = color.get_truecolor(ansi, foreground=fg)
    return (triplet.red, triplet.green, triplet.blue)


@dataclass(frozen=True)
class LowContrast:
    """One run of unreadable text: where, what, and how bad."""

    y: int
    text: str
    ratio: float


def low_contrast_cells(app: App[object]) -> list[LowContrast]:
    """Every run of text cells on screen whose contrast is below `MINIMUM`."""
    background = app.current_theme.background or "#000000"
    foreground = app.current_theme.foreground or "#ffffff"
    ansi = app.ansi_theme
    bg_default = _rgb(Color.parse(background), (0, 0, 0), ansi, fg=False)
    fg_default = _rgb(Color.parse(foreground), (255, 255, 255), ansi, fg=True)
    found: list[LowContrast] = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        for segment in strip:
            text, style, _ = Segment(*segment)
            if style is None or not text.strip(" ") or all(ch in _NOT_TEXT for ch in text):
                continue
            fg = _rgb(style.color, fg_default, ansi, fg=True)
            bg = _rgb(style.bgcolor, bg_default, ansi, fg=False)
            if style.reverse:
                fg, bg = bg, fg
            if style.dim:  # Textual blends a dim foreground towards the background
                dimmed = dim_color(Color.from_rgb(*bg), Color.from_rgb(*fg)).get_truecolor()
                fg = (dimmed.red, dimmed.green, dimmed.blue)
            ratio = contrast_ratio(fg, bg)
            if ratio < MINIMUM:
                cells = "".join(ch for ch in text if ch not in _NOT_TEXT).strip()
                found.append(LowContrast(y, cells, round(ratio, 2)))
    return found


def count_cells(runs: list[LowContrast]) -> int:
    """Text cells (characters) in `runs`."""
    return sum(len(run.text.replace(" ", "")) for run in runs)
