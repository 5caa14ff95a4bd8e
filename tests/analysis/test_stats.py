"""The engine's statistics agree with statsmodels and scipy (intervals and p-values to 1e-6)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
)

from equal_outcomes.analysis import stats

counts = st.integers(min_value=1, max_value=5000).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)


@settings(max_examples=300, deadline=None)
@given(counts)
def test_wilson_matches_statsmodels(pair: tuple[int, int]) -> None:
    k, n = pair
    low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
    ours = stats.wilson(k, n)
    assert ours.low == pytest.approx(low, abs=1e-9)
    assert ours.high == pytest.approx(high, abs=1e-9)


@settings(max_examples=300, deadline=None)
@given(counts, counts)
def test_newcombe_matches_statsmodels(first: tuple[int, int], second: tuple[int, int]) -> None:
    (k1, n1), (k2, n2) = first, second
    low, high = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff")
    ours = stats.newcombe(k1, n1, k2, n2)
    assert ours.low == pytest.approx(low, abs=1e-6)
    assert ours.high == pytest.approx(high, abs=1e-6)


@settings(max_examples=300, deadline=None)
@given(counts, counts)
def test_two_proportion_z_matches_statsmodels(
    first: tuple[int, int], second: tuple[int, int]
) -> None:
    (k1, n1), (k2, n2) = first, second
    if k1 + k2 in (0, n1 + n2):
        assert stats.two_proportion_z(k1, n1, k2, n2) == 1.0
        return
    _, p = proportions_ztest([k1, k2], [n1, n2])
    assert stats.two_proportion_z(k1, n1, k2, n2) == pytest.approx(p, abs=1e-6)


@settings(max_examples=300, deadline=None)
@given(st.floats(min_value=-8, max_value=38))
def test_normal_tail_matches_scipy_far_into_the_tail(z: float) -> None:
    # p-values of 1e-300 still rank in Benjamini-Hochberg, so the tail must stay exact.
    assert stats.normal_two_sided(z) == pytest.approx(2 * scipy_stats.norm.sf(z), rel=1e-12)


def test_fisher_is_used_when_an_expected_cell_is_under_five() -> None:
    p, test = stats.proportion_test(1, 8, 6, 9)
    assert test == "fisher"
    assert p == pytest.approx(scipy_stats.fisher_exact([[1, 7], [6, 3]]).pvalue, abs=1e-9)
    assert stats.proportion_test(40, 100, 60, 100)[1] == "z"


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), min_size=3, max_size=60),
    st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), min_size=3, max_size=60),
)
def test_welch_from_summaries_matches_scipy_on_samples(a: list[float], b: list[float]) -> None:
    first, second = np.array(a), np.array(b)
    # Samples whose values are all the same have no variance for a t test to use.
    assume(np.ptp(first) > 0.01 and np.ptp(second) > 0.01)
    expected = scipy_stats.ttest_ind(first, second, equal_var=False).pvalue
    ours = stats.welch(
        first.mean(), first.var(ddof=1), len(first), second.mean(), second.var(ddof=1), len(second)
    )
    assert ours == pytest.approx(expected, abs=1e-6)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1, allow_nan=False), min_size=1, max_size=40))
def test_benjamini_hochberg_matches_statsmodels(p_values: list[float]) -> None:
    expected = multipletests(p_values, method="fdr_bh")[1]
    assert stats.benjamini_hochberg(p_values) == pytest.approx(list(expected), abs=1e-9)


def test_nan_p_values_stay_out_of_the_family() -> None:
    q = stats.benjamini_hochberg([0.01, math.nan, 0.04])
    assert math.isnan(q[1])
    assert q[0] == pytest.approx(0.02)
    assert q[2] == pytest.approx(0.04)


@pytest.mark.parametrize(
    ("q", "difference", "higher_is_better", "enough", "expected"),
    [
        (0.001, -0.10, True, True, "worse"),
        (0.001, 0.10, True, True, "better"),
        (0.001, 0.10, False, True, "worse"),
        (0.001, 0.01, True, True, "no_difference"),  # significant but too small to matter
        (0.2, -0.30, True, True, "no_difference"),
        (0.001, -0.30, True, False, "insufficient_data"),
    ],
)
def test_a_flag_needs_both_significance_and_a_minimum_effect(
    q: float, difference: float, higher_is_better: bool, enough: bool, expected: str
) -> None:
    assert (
        stats.flag(
            q_value=q,
            difference=difference,
            higher_is_better=higher_is_better,
            enough=enough,
            min_effect=0.05,
        )
        == expected
    )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(0, 60), min_size=1, max_size=300),
    st.integers(0, 5),
    st.integers(1, 20),
)
def test_medians_and_mann_whitney_from_counts_match_scipy(
    values: list[int], shift: int, scale: int
) -> None:
    """Large samples (counted, never expanded) and small ones agree with scipy and statistics."""
    from collections import Counter
    from statistics import median

    from scipy.stats import mannwhitneyu

    first = [v * scale for v in values] * 20  # thousands of tied values
    second = [(v + shift) * scale for v in reversed(values)] * 15
    for a, b in ((first, second), (values, [v + shift for v in values[:5]])):
        counted_a, counted_b = Counter(map(float, a)), Counter(map(float, b))
        assert stats.histogram_median(counted_a) == median(a)
        expected = mannwhitneyu(a, b, alternative="two-sided").pvalue
        assert stats.mann_whitney_counts(counted_a, counted_b) == pytest.approx(expected, abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(0, 1000, allow_nan=False), min_size=1, max_size=40),
    st.lists(st.floats(0, 1000, allow_nan=False), min_size=1, max_size=40),
    st.integers(1, 4),
)
def test_mann_whitney_from_counts_matches_scipy_at_every_size(
    first: list[float], second: list[float], repeat: int
) -> None:
    """Small and middling samples, with and without tied values (``repeat`` ties every value),
    on both sides of scipy's choice between its exact test and the normal approximation."""
    from collections import Counter

    from scipy.stats import mannwhitneyu

    for a, b in ((first, second), (first * repeat, second)):
        expected = mannwhitneyu(a, b, alternative="two-sided").pvalue
        got = stats.mann_whitney_counts(Counter(a), Counter(b))
        assert got == pytest.approx(expected, abs=1e-9), (a, b)


@settings(max_examples=300, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=3000),
    share=st.floats(min_value=0, max_value=1),
    p=st.sampled_from([0.5, 0.25, 1 / 3, 0.1, 0.01, 0.999, 0.6180339887]),
)
def test_exact_binomial_matches_scipy(n: int, share: float, p: float) -> None:
    k = round(share * n)
    expected = scipy_stats.binomtest(k, n, p, alternative="two-sided").pvalue
    assert stats.binomial(k, n, p) == pytest.approx(expected, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize(
    ("k", "n", "p"),
    [
        (0, 1, 0.5),
        (1, 2, 0.5),
        (5, 10, 0.5),
        (1000, 2000, 0.5),
        (98_000, 200_000, 0.5),
        (150, 200_000, 0.001),
        (61_234, 200_000, 0.3),
        (7, 7, 0.3),
        (0, 40, 0.0),
        (40, 40, 1.0),
    ],
)
def test_exact_binomial_matches_scipy_at_ties_edges_and_large_counts(
    k: int, n: int, p: float
) -> None:
    expected = scipy_stats.binomtest(k, n, p, alternative="two-sided").pvalue
    assert stats.binomial(k, n, p) == pytest.approx(expected, rel=1e-9, abs=1e-12)


@settings(max_examples=400, deadline=None)
@given(
    n1=st.integers(0, 80),
    n2=st.integers(0, 3000),
    data=st.data(),
)
def test_fisher_agrees_with_scipy_on_any_table(n1: int, n2: int, data: st.DataObject) -> None:
    """Issue 29: Fisher's test is summed here (scipy's took half the time of an analysis); it
    must give scipy's p-value for every table, ties between equally likely tables included."""
    k1 = data.draw(st.integers(0, n1))
    k2 = data.draw(st.integers(0, n2))
    expected = scipy_stats.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]]).pvalue
    assert stats.fisher(k1, n1, k2, n2) == pytest.approx(expected, rel=1e-9, abs=1e-15)


@pytest.mark.parametrize("n", [1, 2, 5, 12, 29])
def test_fisher_counts_equally_likely_tables_as_scipy_does(n: int) -> None:
    for k in range(n + 1):
        for k2 in (k, n - k):
            expected = scipy_stats.fisher_exact([[k, n - k], [k2, n - k2]]).pvalue
            assert stats.fisher(k, n, k2, n) == pytest.approx(expected, rel=1e-9)


@settings(max_examples=200, deadline=None)
@given(k=st.integers(0, 5000), exposure=st.floats(1, 1e6))
def test_the_poisson_interval_is_garwoods_as_scipy_gives_it(k: int, exposure: float) -> None:
    """The exact interval for a count per 1,000 homes, against scipy.stats' chi-squared
    quantiles (the engine uses scipy.special's gamma quantiles, without scipy.stats)."""
    low = scipy_stats.chi2.ppf(0.025, 2 * k) / 2 if k else 0.0
    high = scipy_stats.chi2.ppf(0.975, 2 * k + 2) / 2
    interval = stats.poisson_interval(k, exposure, 1000)
    assert interval.low == pytest.approx(low / exposure * 1000, rel=1e-12, abs=1e-300)
    assert interval.high == pytest.approx(high / exposure * 1000, rel=1e-12)


@pytest.mark.parametrize(("k", "n", "p"), [(0, 10, 0.0), (3, 10, 0.0), (10, 10, 1.0), (9, 10, 1.0)])
def test_an_exact_binomial_with_one_possible_outcome_matches_scipy(
    k: int, n: int, p: float
) -> None:
    expected = scipy_stats.binomtest(k, n, p, alternative="two-sided").pvalue
    assert stats.binomial(k, n, p) == expected
