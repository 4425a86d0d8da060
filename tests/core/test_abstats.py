"""A/B statistics: Wilson intervals and the two-proportion test against published values.

Wilson values: Newcombe R.G., "Two-sided confidence intervals for the single proportion:
comparison of seven methods", Statistics in Medicine 17 (1998) 857-872, Table I, method 3
(score interval without continuity correction): 81/263, 15/148, 0/20, 1/29.
0/10 and 10/10 by hand: the upper bound for 0/n is z^2 / (n + z^2) = 3.8415 / 13.8415.
Two-proportion z-test, 45/100 vs 30/100, by hand: pooled p = 0.375,
SE = sqrt(0.375 * 0.625 * (1/100 + 1/100)) = 0.068465, z = 0.15 / 0.068465 = 2.19089;
p = 2 * (1 - Phi(2.19089)) = 0.02846, Phi taken from statistics.NormalDist (not erfc).
"""

from __future__ import annotations

from statistics import NormalDist

import pytest

from outreach_tui.core.abstats import (
    VariantCounts,
    VerdictKind,
    format_p,
    step_verdict,
    two_proportion_z_test,
    wilson_interval,
)


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0000, 0.1611),
        (1, 29, 0.0061, 0.1718),
        (0, 10, 0.0000, 0.2775),
        (10, 10, 0.7225, 1.0000),
    ],
)
def test_wilson_interval_matches_published_values(k: int, n: int, low: float, high: float) -> None:
    interval = wilson_interval(k, n)
    assert round(interval.low, 4) == low
    assert round(interval.high, 4) == high


def test_wilson_interval_without_trials_is_everything() -> None:
    interval = wilson_interval(0, 0)
    assert (interval.low, interval.high) == (0.0, 1.0)


def test_wilson_rejects_inconsistent_counts() -> None:
    with pytest.raises(ValueError):
        wilson_interval(5, 3)
    with pytest.raises(ValueError):
        wilson_interval(-1, 3)


def test_two_proportion_z_test_known_value() -> None:
    result = two_proportion_z_test(45, 100, 30, 100)
    assert result.z == pytest.approx(2.19089, abs=1e-5)
    assert result.p_value == pytest.approx(0.02846, abs=1e-5)
    assert result.p_value == pytest.approx(2 * (1 - NormalDist().cdf(abs(result.z))), rel=1e-9)


def test_two_proportion_z_test_is_symmetric() -> None:
    a = two_proportion_z_test(12, 200, 25, 210)
    b = two_proportion_z_test(25, 210, 12, 200)
    assert a.z == pytest.approx(-b.z)
    assert a.p_value == pytest.approx(b.p_value)


def test_two_proportion_without_variation_has_nothing_to_say() -> None:
    assert two_proportion_z_test(0, 100, 0, 120).p_value == 1.0
    assert two_proportion_z_test(50, 50, 70, 70).p_value == 1.0


def test_verdict_small_samples_give_not_enough_data() -> None:
    verdict = step_verdict([VariantCounts("A", 99, 30), VariantCounts("B", 500, 5)])
    assert verdict.kind is VerdictKind.NOT_ENOUGH_DATA
    assert verdict.text == "not enough data"
    too_few_successes = step_verdict([VariantCounts("A", 1000, 4), VariantCounts("B", 1000, 0)])
    assert too_few_successes.kind is VerdictKind.NOT_ENOUGH_DATA


def test_verdict_thresholds_are_parameters() -> None:
    variants = [VariantCounts("A", 50, 20), VariantCounts("B", 50, 5)]
    assert step_verdict(variants).kind is VerdictKind.NOT_ENOUGH_DATA
    assert step_verdict(variants, min_sends=50).kind is VerdictKind.LEADER


def test_verdict_names_the_leader_with_its_p_value() -> None:
    verdict = step_verdict([VariantCounts("A", 100, 30), VariantCounts("B", 100, 45)])
    assert verdict.kind is VerdictKind.LEADER
    assert verdict.leader == "B"
    assert verdict.text == "B leads (p = 0.028)"


def test_verdict_no_clear_difference() -> None:
    verdict = step_verdict([VariantCounts("A", 200, 20), VariantCounts("B", 200, 26)])
    assert verdict.kind is VerdictKind.NO_CLEAR_DIFFERENCE
    assert verdict.text == "no clear difference yet"
    assert verdict.leader is None


def test_verdict_tie_is_no_clear_difference() -> None:
    verdict = step_verdict([VariantCounts("A", 300, 30), VariantCounts("B", 300, 30)])
    assert verdict.kind is VerdictKind.NO_CLEAR_DIFFERENCE


def test_verdict_three_variants_needs_the_leader_ahead_of_the_runner_up() -> None:
    # C is far ahead of A but not of B: no winner may be claimed.
    variants = [
        VariantCounts("A", 400, 20),
        VariantCounts("B", 400, 38),
        VariantCounts("C", 400, 44),
    ]
    assert step_verdict(variants).kind is VerdictKind.NO_CLEAR_DIFFERENCE
    variants[1] = VariantCounts("B", 400, 22)
    verdict = step_verdict(variants)
    assert verdict.leader == "C"
    # The reported p is the weakest comparison (C vs B).
    expected = two_proportion_z_test(44, 400, 22, 400).p_value
    assert verdict.p_value == pytest.approx(expected)


def test_verdict_single_variant() -> None:
    assert step_verdict([VariantCounts("A", 1000, 100)]).kind is VerdictKind.SINGLE
    assert step_verdict([]).kind is VerdictKind.SINGLE


def test_format_p() -> None:
    assert format_p(0.01234) == "p = 0.012"
    assert format_p(0.0004) == "p < 0.001"
