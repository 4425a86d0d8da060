"""Small rich `Text` pieces the warmup screens share: health bands, ramp-up bars,
connection status, warning markers and lines.

Everything is built as `Text` from sanitized strings, never parsed as markup: emails and
campaign names come from outside.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from outreach_tui.core.sanitize import sanitize_line
from outreach_tui.core.warmup import HealthBand, HealthWarning, Severity, health_band

BAND_STYLES = {
    HealthBand.GOOD: "bold green",
    HealthBand.FAIR: "bold yellow",
    HealthBand.POOR: "bold red",
    HealthBand.UNKNOWN: "dim",
}
CONNECTION_STYLES = {
    "connected": "green",
    "validating": "cyan",
    "pending": "bold black on yellow",
    "error": "bold white on red",
}
SEVERITY_MARKS = {
    Severity.ERROR: ("✖", "bold red"),
    Severity.WARNING: ("⚠", "yellow"),
    Severity.NOTICE: ("•", "cyan"),
}
BAR_FULL, BAR_EMPTY = "█", "░"


def health_text(score: int | None) -> Text:
    """The score in its band's colour (`-` when unknown)."""
    band = health_band(score)
    return Text("-" if score is None else str(score), style=BAND_STYLES[band])


def ramp_up_bar(progress: int | None, width: int = 6) -> Text:
    """`████░░ 62%`: green when complete, yellow while ramping, `-` when unknown."""
    if progress is None:
        return Text("-", style="dim")
    progress = max(0, min(100, progress))
    filled = round(width * progress / 100)
    text = Text(no_wrap=True)
    text.append(BAR_FULL * filled, style="green" if progress >= 100 else "yellow")
    text.append(BAR_EMPTY * (width - filled), style="dim")
    text.append(f" {progress:>3}%")
    return text


def connection_text(status: str | None) -> Text:
    """The connection status, `error` and `pending` highlighted."""
    if not status:
        return Text("-", style="dim")
    return Text(sanitize_line(status, 20), style=CONNECTION_STYLES.get(status, ""))


def flag_text(value: bool | None, on: str = "yes", off: str = "no") -> Text:
    """A boolean setting: `on` plain, `off` dim, `-` unknown."""
    if value is None:
        return Text("-", style="dim")
    return Text(on) if value else Text(off, style="dim")


def percent_text(rate: float | None) -> Text:
    """A spam rate as a percentage (red from 10 %, yellow from 3 %)."""
    if rate is None:
        return Text("-", style="dim")
    style = "bold red" if rate >= 0.10 else "yellow" if rate >= 0.03 else ""
    return Text(f"{rate * 100:.1f}%", style=style)


def warning_marker(warnings: Iterable[HealthWarning]) -> Text:
    """The worst severity's mark and how many warnings (`✖ 2`), empty when none."""
    found = list(warnings)
    if not found:
        return Text("")
    mark, style = SEVERITY_MARKS[max(w.severity for w in found)]
    return Text(f"{mark} {len(found)}", style=style)


def warning_lines(warnings: Iterable[HealthWarning], *, with_subject: bool = True) -> Text:
    """One line per warning, its mark first; `with_subject=False` drops the inbox's own
    email (the screen already names it) but keeps the name of a campaign."""
    text = Text(no_wrap=True, overflow="ellipsis")
    for index, warning in enumerate(warnings):
        if index:
            text.append("\n")
        mark, style = SEVERITY_MARKS[warning.severity]
        text.append(f"{mark} ", style=style)
        own = warning.inbox_id is not None and not with_subject
        text.append(warning.reason if own else warning.message)
    return text
