"""A campaign's A/B results as the console and `campaigns show` present them: per variant,
the reply and positive-reply rates with 95 % Wilson intervals; per step, a verdict on each
(`abstats`). One implementation, so the screen and the CLI cannot disagree.

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
from typing import Generic, Protocol, TypeVar

from outreach_tui.core.abstats import (
    Interval,
    VariantCounts,
    Verdict,
    VerdictKind,
    step_verdict,
    wilson_interval,
)


class VariantNumbers(Protocol):
    """What the results need of a variant (the store's `VariantRow` has it)."""

    @property
    def letter(self) -> str: ...
    @property
    def enabled(self) -> bool: ...
    @property
    def sent(self) -> int: ...
    @property
    def replies(self) -> int: ...
    @property
    def positive_replies(self) -> int: ...
    @property
    def positive_reply_rate(self) -> float: ...


V = TypeVar("V", bound=VariantNumbers)
S = TypeVar("S")


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
class VariantResult(Generic[V]):
    """One variant's row of the A/B table."""

    variant: V
    reply_interval: Interval
    positive_trials: int
    positive_interval: Interval


@dataclass(frozen=True)
class StepResult(Generic[S, V]):
    """One step: its variants' rows and the verdicts on replies and positive replies."""

    step: S
    variants: tuple[VariantResult[V], ...]
    replies: Verdict
    positive: Verdict


def _safe_interval(successes: int, trials: int) -> Interval:
    # Cached numbers from a server can disagree (replies > sent): show "everything".
    if successes < 0 or trials < 0 or successes > trials:
        return Interval(0.0, 1.0)
    return wilson_interval(successes, trials)


def _counts(variant: VariantNumbers, successes: int, trials: int) -> VariantCounts:
    # Capped like the intervals: cached numbers can say replies > sent.
    return VariantCounts(variant.letter, trials, min(successes, trials))


def step_result(step: S, variants: Sequence[V]) -> StepResult[S, V]:
    """The A/B rows and verdicts of one step with these variants."""
    rows = []
    for v in variants:
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
    replies = step_verdict([_counts(r.variant, r.variant.replies, r.variant.sent) for r in enabled])
    positive = step_verdict(
        [_counts(r.variant, r.variant.positive_replies, r.positive_trials) for r in enabled]
    )
    if len(enabled) < 2 <= len(rows):
        # Others exist but are switched off: say so rather than "single variant".
        text = f"only {enabled[0].variant.letter} enabled" if enabled else "no variant enabled"
        replies = positive = Verdict(VerdictKind.SINGLE, text)
    return StepResult(step, tuple(rows), replies, positive)
