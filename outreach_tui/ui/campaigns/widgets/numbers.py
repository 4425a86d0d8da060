"""How the campaign console draws its numbers: progress bars and bounce levels (counts
and rates are written by `core.figures`, the A/B tables' intervals and verdicts by
`core.ab_results`)."""

from __future__ import annotations

from rich.text import Text

BOUNCE_WARN = 3.0  # percent: above this the bounce rate is a warning
BOUNCE_ALARM = 5.0  # percent: above this it is an alarm


def bounce_level(rate: float) -> str:
    """``"ok"``, ``"warn"`` (above 3 %) or ``"alarm"`` (above 5 %)."""
    if rate > BOUNCE_ALARM:
        return "alarm"
    if rate > BOUNCE_WARN:
        return "warn"
    return "ok"


def progress_bar(progress: int, width: int = 8) -> Text:
    """``45`` -> ``"███▌    45%"`` (eighth blocks, then the number)."""
    value = max(0, min(progress, 100))
    eighths = round(value / 100 * width * 8)
    full, part = divmod(eighths, 8)
    bar = "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")
    text = Text(bar.ljust(width), style="bold")
    text.append(f" {value:>3}%")
    return text
