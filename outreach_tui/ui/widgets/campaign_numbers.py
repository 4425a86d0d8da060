"""How the campaign console writes its numbers: counts, rates, progress, bounce levels, and
the per-variant A/B rows (rates with 95 % Wilson intervals, a verdict per step).

Rates are shown exactly as the API gives them (percentages with two decimals), so the
screen, `campaigns show --json` and the server's analytics agree digit for digit. The
statistics themselves are `core.abstats`'.

Where the reference is silent:
- The API does not define `positive_reply_rate`'s denominator. The interval is computed
  for the denominator that reproduces the API's rate (replies, else sent), so it always
  brackets the number shown.
- A step's verdict compares its *enabled* variants (the ones still sending); a disabled
  variant keeps its row but does not hold the verdict at "not enough data" forever.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text

from outreach_tui.core.abstats import (
    Interval,
    VariantCounts,
    Verdict,
    VerdictKind,
    step_verdict,
    wilson_interval,
)
from outreach_tui.store.campaign_queries import SequenceRow, VariantRow

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


def interval_text(interval: Interval) -> str:
    """``Interval(0.0552, 0.1744)`` -> ``"5.5–17.4%"``."""
    return f"{interval.low * 100:.1f}–{interval.high * 100:.1f}%"


def trials_for(successes: int, api_rate: float, candidates: Sequence[int]) -> int:
    """The first candidate denominator whose rate rounds to the API's (else the last)."""
    for trials in candidates:
        if trials and round(100 * successes / trials, 2) == round(api_rate, 2):
            return trials
        if not trials and successes == 0 and api_rate == 0:
            return trials
    return candidates[-1]


@dataclass(frozen=True)
class VariantResult:
    """One variant's row of the A/B table."""

    variant: VariantRow
    reply_interval: Interval
    positive_trials: int
    positive_interval: Interval


@dataclass(frozen=True)
class StepResult:
    """One step: its variants' rows and the verdicts on replies and positive replies."""

    step: SequenceRow
    variants: tuple[VariantResult, ...]
    replies: Verdict
    positive: Verdict


def _safe_interval(successes: int, trials: int) -> Interval:
    # Cached numbers from a server can disagree (replies > sent): show "everything".
    if successes < 0 or trials < 0 or successes > trials:
        return Interval(0.0, 1.0)
    return wilson_interval(successes, trials)


def step_result(step: SequenceRow) -> StepResult:
    """The A/B rows and verdicts of one step."""
    rows = []
    for v in step.variants:
        positive_trials = trials_for(v.positive_replies, v.positive_reply_rate, (v.replies, v.sent))
        rows.append(
            VariantResult(
                v,
                _safe_interval(v.replies, v.sent),
                positive_trials,
                _safe_interval(v.positive_replies, positive_trials),
            )
        )
    enabled = [r for r in rows if r.variant.enabled]
    replies = step_verdict(
        [
            VariantCounts(r.variant.letter, r.variant.sent, min(r.variant.replies, r.variant.sent))
            for r in enabled
        ]
    )
    positive = step_verdict(
        [
            VariantCounts(
                r.variant.letter,
                r.positive_trials,
                min(r.variant.positive_replies, r.positive_trials),
            )
            for r in enabled
        ]
    )
    if len(enabled) < 2 <= len(rows):
        # Others exist but are switched off: say so rather than "single variant".
        text = f"only {enabled[0].variant.letter} enabled" if enabled else "no variant enabled"
        replies = positive = Verdict(VerdictKind.SINGLE, text)
    return StepResult(step, tuple(rows), replies, positive)
