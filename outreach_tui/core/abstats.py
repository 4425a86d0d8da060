"""A/B statistics for the campaign screen: Wilson intervals and a per-step verdict.

The verdict is deliberately conservative. It says "not enough data" until every compared
variant has ``min_sends`` sends and the step has ``min_successes`` successes in total (a
z-test on a handful of replies is noise), and it names a leader only when the leading
variant beats *every* other variant with ``p < alpha`` in a pooled two-proportion z-test.
With two variants that is the plain A-vs-B test; with more it is at least as strict as
"best against runner-up". No correction for looking at the numbers every day is made, so
the screen words it as "leads", never "wins".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

Z_95: Final = 1.959964
DEFAULT_MIN_SENDS: Final = 100
DEFAULT_MIN_SUCCESSES: Final = 5
DEFAULT_ALPHA: Final = 0.05


@dataclass(frozen=True, slots=True)
class Interval:
    """A confidence interval for a proportion, both ends in [0, 1]."""

    low: float
    high: float


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> Interval:
    """Return the Wilson score interval for ``successes`` of ``trials`` (95 % by default).

    With no trials nothing is known: the interval is [0, 1].
    Raises ValueError for negative counts or successes above trials.
    """
    _check_counts(successes, trials)
    if trials == 0:
        return Interval(0.0, 1.0)
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    margin = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    return Interval(max(0.0, centre - margin), min(1.0, centre + margin))


@dataclass(frozen=True, slots=True)
class ZTest:
    """Result of a two-proportion z-test: the statistic and its two-sided p-value."""

    z: float
    p_value: float


def two_proportion_z_test(k1: int, n1: int, k2: int, n2: int) -> ZTest:
    """Pooled two-proportion z-test of k1/n1 against k2/n2, two-sided p via ``math.erfc``.

    When the pooled rate is 0 or 1 (no variation at all) the test has nothing to say:
    z = 0, p = 1. Raises ValueError when a group has no trials or counts are inconsistent.
    """
    _check_counts(k1, n1)
    _check_counts(k2, n2)
    if n1 == 0 or n2 == 0:
        raise ValueError("each group needs at least one trial")
    pooled = (k1 + k2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return ZTest(0.0, 1.0)
    z = (k1 / n1 - k2 / n2) / se
    return ZTest(z, math.erfc(abs(z) / math.sqrt(2)))


def _check_counts(successes: int, trials: int) -> None:
    if trials < 0 or successes < 0 or successes > trials:
        raise ValueError(f"inconsistent counts: {successes} successes of {trials}")


@dataclass(frozen=True, slots=True)
class VariantCounts:
    """One variant's numbers for one metric (replies or positive replies) of one step."""

    letter: str
    sent: int
    successes: int

    @property
    def rate(self) -> float:
        """Success rate in [0, 1] (0 with nothing sent)."""
        return self.successes / self.sent if self.sent else 0.0


class VerdictKind(StrEnum):
    """What the data allows us to say about a step."""

    SINGLE = "single"  # fewer than two variants: nothing to compare
    NOT_ENOUGH_DATA = "not_enough_data"
    NO_CLEAR_DIFFERENCE = "no_clear_difference"
    LEADER = "leader"


@dataclass(frozen=True, slots=True)
class Verdict:
    """The verdict of one step, with the one-line text the screen shows."""

    kind: VerdictKind
    text: str
    leader: str | None = None
    p_value: float | None = None


def format_p(p: float) -> str:
    """Return ``"p = 0.012"``, or ``"p < 0.001"`` for very small values."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def step_verdict(
    variants: Sequence[VariantCounts],
    *,
    min_sends: int = DEFAULT_MIN_SENDS,
    min_successes: int = DEFAULT_MIN_SUCCESSES,
    alpha: float = DEFAULT_ALPHA,
) -> Verdict:
    """Compare the variants of one step and say what the data supports.

    - fewer than 2 variants: "single variant";
    - any variant with fewer than ``min_sends`` sends (default 100), or fewer than
      ``min_successes`` successes across the step (default 5): "not enough data";
    - the variant with the highest rate beats every other one with p < ``alpha``
      (default 0.05): "A leads (p = 0.012)", reporting the largest of those p-values;
    - otherwise "no clear difference yet".
    """
    if len(variants) < 2:
        return Verdict(VerdictKind.SINGLE, "single variant")
    if min(v.sent for v in variants) < min_sends or (
        sum(v.successes for v in variants) < min_successes
    ):
        return Verdict(VerdictKind.NOT_ENOUGH_DATA, "not enough data")
    ranked = sorted(variants, key=lambda v: v.rate, reverse=True)
    best, others = ranked[0], ranked[1:]
    if others[0].rate == best.rate:
        return Verdict(VerdictKind.NO_CLEAR_DIFFERENCE, "no clear difference yet")
    worst_p = max(
        two_proportion_z_test(best.successes, best.sent, o.successes, o.sent).p_value
        for o in others
    )
    if worst_p < alpha:
        return Verdict(
            VerdictKind.LEADER, f"{best.letter} leads ({format_p(worst_p)})", best.letter, worst_p
        )
    return Verdict(VerdictKind.NO_CLEAR_DIFFERENCE, "no clear difference yet", p_value=worst_p)
