"""How the campaign console writes its numbers: counts, rates, progress bars, bounce levels
(the A/B tables' intervals and verdicts are `core.ab_results`').

Rates are shown exactly as the API gives them (percentages with two decimals), so the
screen, `campaigns show --json` and the server's analytics agree digit for digit.
"""

from __future__ import annotations

from rich.text import Text

BOUNCE_WARN = 3.0  # percent: above this the bounce rate is a warning
BOUNCE_ALARM = 5.0  # percent: above this it is an alarm


def count(value: int | None) -> str:
    """``1234`` -> ``"1,234"``; None -> ``"—"``."""
    return "—" if value is None else f"{value:,}"


def percent(value: float | None) -> str:
    """An API rate (already a percentage) as shown: ``4.1666`` -> ``"4.17%"``."""
    return "—" if value is None else f"{value:.2f}%"


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
