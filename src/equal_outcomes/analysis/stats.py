"""The statistics of a breakdown, written out so they can be checked line by line.

Proportions: Wilson score intervals; differences between two proportions: Newcombe's hybrid
score interval (method 10 of Newcombe 1998); tests: the pooled two-proportion z test, or
Fisher's exact test when any expected cell is under 5. Numeric measures: Welch's t test (means)
and the Mann-Whitney U test (medians). Many comparisons: Benjamini-Hochberg q-values.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from statistics import NormalDist
from typing import Any

Z95 = NormalDist().inv_cdf(0.975)


@cache
def _special() -> Any:
    """scipy.special (the t, gamma and binomial distribution functions), imported on first use:
    a fifth of a second, where scipy.stats, which none of this needs any more, took two thirds
    of one in every process that worked out a table."""
    from scipy import special

    return special


def normal_two_sided(z: float) -> float:
    """Twice the standard normal upper tail beyond ``z`` (``2 * norm.sf(z)``), from the
    complementary error function: exact to rounding far into the tail, and without scipy's
    overhead of a call per test, which hundreds of tables add up to a tenth of a second."""
    return math.erfc(z / math.sqrt(2))


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def wilson(k: float, n: float, z: float = Z95) -> Interval:
    """Wilson score interval for k successes in n trials."""
    if n <= 0:
        return Interval(math.nan, math.nan)
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return Interval(max(0.0, centre - half), min(1.0, centre + half))


def newcombe(k1: float, n1: float, k2: float, n2: float, z: float = Z95) -> Interval:
    """Newcombe's hybrid score interval for p1 - p2, from the two Wilson intervals."""
    if n1 <= 0 or n2 <= 0:
        return Interval(math.nan, math.nan)
    p1, p2 = k1 / n1, k2 / n2
    a, b = wilson(k1, n1, z), wilson(k2, n2, z)
    difference = p1 - p2
    return Interval(
        difference - math.sqrt((p1 - a.low) ** 2 + (b.high - p2) ** 2),
        difference + math.sqrt((a.high - p1) ** 2 + (p2 - b.low) ** 2),
    )


def expected_cells_below(k1: float, n1: float, k2: float, n2: float, limit: float = 5) -> bool:
    """Whether any expected count of the 2x2 table falls under ``limit``."""
    total = n1 + n2
    successes = k1 + k2
    if total <= 0:
        return True
    failures = total - successes
    return any(row * column / total < limit for row in (n1, n2) for column in (successes, failures))


def two_proportion_z(k1: float, n1: float, k2: float, n2: float) -> float:
    """Two-sided p-value of the pooled two-proportion z test."""
    pooled = (k1 + k2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if se == 0:
        return 1.0
    z = (k1 / n1 - k2 / n2) / se
    return normal_two_sided(abs(z))


def _log_choose(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def fisher(k1: int, n1: int, k2: int, n2: int) -> float:
    """Two-sided p-value of Fisher's exact test on the 2x2 table [[k1, n1-k1], [k2, n2-k2]]:
    the probability, with the margins fixed, of a table no more likely than this one (as
    ``scipy.stats.fisher_exact``, to which it is compared in the tests). Summed here from the
    hypergeometric log-probabilities: scipy's version costs about 0.5 ms a table in its
    distribution machinery, which a default analysis called ten thousand times."""
    total, successes = n1 + n2, k1 + k2
    if total <= 0:
        return 1.0
    whole = _log_choose(total, n1)

    def log_p(x: int) -> float:
        return _log_choose(successes, x) + _log_choose(total - successes, n1 - x) - whole

    # A table as likely as this one, to rounding, counts as no more likely.
    limit = log_p(k1) + 1e-7
    p = 0.0
    for x in range(max(0, successes - n2), min(n1, successes) + 1):
        if (value := log_p(x)) <= limit:
            p += math.exp(value)
    return min(1.0, p)


def proportion_test(k1: int, n1: int, k2: int, n2: int) -> tuple[float, str]:
    """The p-value and the name of the test used for two proportions."""
    if expected_cells_below(k1, n1, k2, n2):
        return fisher(k1, n1, k2, n2), "fisher"
    return two_proportion_z(k1, n1, k2, n2), "z"


def welch(mean1: float, var1: float, n1: float, mean2: float, var2: float, n2: float) -> float:
    """Two-sided p-value of Welch's t test from summary statistics (sample variances)."""
    if n1 < 2 or n2 < 2:
        return math.nan
    if var1 == 0 and var2 == 0:
        return 1.0 if mean1 == mean2 else 0.0
    # As scipy's ``ttest_ind_from_stats(..., equal_var=False)``: Welch-Satterthwaite degrees
    # of freedom, and twice the t distribution's tail beyond |t|.
    share1, share2 = var1 / n1, var2 / n2
    freedom = (share1 + share2) ** 2 / (share1**2 / (n1 - 1) + share2**2 / (n2 - 1))
    t = (mean1 - mean2) / math.sqrt(share1 + share2)
    return min(1.0, float(2 * _special().stdtr(freedom, -abs(t))))


def mann_whitney(first: Sequence[float], second: Sequence[float]) -> float:
    """Two-sided p-value of the Mann-Whitney U test."""
    if not first or not second:
        return math.nan
    return mann_whitney_counts(Counter(first), Counter(second))


def _mann_whitney_exact(u: float, n1: int, n2: int) -> float:
    """Twice the chance of a U statistic of at least ``u`` with no tied values (scipy's exact
    method): from the number of ways each U arises, the coefficients of the Gaussian binomial
    polynomial [n1 + n2 choose n1] in q, built one factor at a time."""
    small, large = sorted((n1, n2))
    ways = [1]  # ways[u]: how many orderings of the two samples give U = u
    for i in range(1, small + 1):
        # Times (1 - q^(large + i)), then divided by (1 - q^i): both exact in whole numbers,
        # leaving a polynomial of degree i * large.
        grown = ways + [0] * (large + i)
        for power in range(len(grown) - 1, large + i - 1, -1):
            grown[power] -= grown[power - large - i]
        for power in range(i, len(grown)):
            grown[power] += grown[power - i]
        ways = grown[: i * large + 1]
    at_least = sum(ways[math.ceil(u) :])
    return min(1.0, 2 * at_least / math.comb(n1 + n2, n1))


# With this many values or fewer on either side and no tied values, scipy gives the exact p-value (its
# ``method="auto"``); beyond it, or with ties, the normal approximation worked out below.
EXACT_UP_TO = 8


def histogram_median(counts: dict[float, int]) -> float:
    """The median of values given as {value: how many times}."""
    total = sum(counts.values())
    if not total:
        return math.nan
    ordered = sorted(counts.items())

    def at(position: int) -> float:  # the value at a 0-based position in sorted order
        seen = 0
        for value, times in ordered:
            seen += times
            if position < seen:
                return value
        return ordered[-1][0]

    middle = total // 2
    return at(middle) if total % 2 else (at(middle - 1) + at(middle)) / 2


def mann_whitney_counts(first: dict[float, int], second: dict[float, int]) -> float:
    """``mann_whitney`` for samples given as {value: how many times}. Wherever scipy would use
    the normal approximation (with tie and continuity corrections: both samples larger than
    eight, or any tied values) it is worked out here from the counts, without building the
    samples or scipy's overhead of a call (a tenth of the time of a whole analysis); for the
    small samples without ties that scipy tests exactly, the exact distribution of U."""
    n1, n2 = sum(first.values()), sum(second.values())
    if not n1 or not n2:
        return math.nan
    below = 0  # values of the second sample smaller than the current value
    u1 = 0.0
    ties = 0.0
    second_sorted = sorted(second.items())
    position = 0
    for value in sorted(set(first) | set(second)):
        while position < len(second_sorted) and second_sorted[position][0] < value:
            below += second_sorted[position][1]
            position += 1
        mine, theirs = first.get(value, 0), second.get(value, 0)
        u1 += mine * (below + theirs / 2)
        together = mine + theirs
        ties += together**3 - together
    u = max(u1, n1 * n2 - u1)
    if (n1 <= EXACT_UP_TO or n2 <= EXACT_UP_TO) and not ties:
        return _mann_whitney_exact(u, n1, n2)
    n = n1 + n2
    mean = n1 * n2 / 2
    spread = math.sqrt(n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1))))
    if spread == 0:
        return 1.0
    z = (u - mean - 0.5) / spread
    return min(1.0, normal_two_sided(z))


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Benjamini-Hochberg q-values, in the order given; NaN p-values stay NaN and are not
    counted in the family."""
    indexed = sorted(
        ((p, i) for i, p in enumerate(p_values) if not math.isnan(p)), key=lambda pair: pair[0]
    )
    m = len(indexed)
    q = [math.nan] * len(p_values)
    running = 1.0
    for rank in range(m, 0, -1):
        p, index = indexed[rank - 1]
        running = min(running, p * m / rank)
        q[index] = min(1.0, running)
    return q


def flag(
    *,
    q_value: float,
    difference: float,
    higher_is_better: bool,
    enough: bool,
    min_effect: float,
    alpha: float = 0.05,
) -> str:
    """``worse``, ``better``, ``no_difference`` or ``insufficient_data``. A flag needs both a
    q-value under ``alpha`` and a difference at least ``min_effect`` in size; no difference at
    all is never a finding, whatever the test says (two equal medians of tied data)."""
    if not enough or math.isnan(difference):
        return "insufficient_data"
    if difference == 0:
        return "no_difference"
    if math.isnan(q_value):
        return "insufficient_data"
    if q_value >= alpha or abs(difference) < min_effect:
        return "no_difference"
    good = difference > 0 if higher_is_better else difference < 0
    return "better" if good else "worse"


def binomial(k: int, n: int, p: float) -> float:
    """Two-sided p-value of the exact binomial test of k successes in n trials at rate p: the
    chance of any outcome no likelier than k. This is scipy's ``binomtest``, step for step,
    except that its search for where the other tail starts compares probabilities worked out
    in plain Python (from log-gamma) instead of calling scipy at every step, and the two tails
    come from scipy.special's binomial functions, as scipy.stats takes them: the same answer
    (the tolerance of one part in ten million it compares with dwarfs the difference) in a
    hundredth of the time, which counts with hundreds of tests in one analysis."""
    if n < 1:
        raise ValueError("a binomial test needs at least one trial")
    if not 0 < p < 1:  # only one outcome is possible
        return 1.0 if k == round(p * n) else 0.0
    if k == p * n:
        return 1.0
    rerr = 1 + 1e-7
    constant, log_p, log_q = math.lgamma(n + 1), math.log(p), math.log1p(-p)

    def pmf(x: int) -> float:
        return math.exp(
            constant - math.lgamma(x + 1) - math.lgamma(n - x + 1) + x * log_p + (n - x) * log_q
        )

    def cdf(x: int) -> float:
        return 0.0 if x < 0 else 1.0 if x >= n else float(_special().bdtr(x, n, p))

    def sf(x: int) -> float:
        return 1.0 if x < 0 else 0.0 if x >= n else float(_special().bdtrc(x, n, p))

    d = pmf(k)
    if k < p * n:
        ix = _search(lambda x: -pmf(x), -d * rerr, math.ceil(p * n), n)
        y = n - ix + int(d * rerr == pmf(ix))
        value = cdf(k) + sf(n - y)
    else:
        ix = _search(pmf, d * rerr, 0, math.floor(p * n))
        value = cdf(ix) + sf(k - 1)
    return min(1.0, value)


def _search(a: Callable[[int], float], d: float, lo: int, hi: int) -> int:
    """scipy's ``_binary_search_for_binom_tst``: where ``a`` (ascending on [lo, hi]) meets d."""
    while lo < hi:
        mid = lo + (hi - lo) // 2
        value = a(mid)
        if value < d:
            lo = mid + 1
        elif value > d:
            hi = mid - 1
        else:
            return mid
    return lo if a(lo) <= d else lo - 1


def poisson_interval(k: float, exposure: float, scale: float = 1.0) -> Interval:
    """Exact (Garwood) 95 % interval for a rate of ``k`` events over ``exposure``, times
    ``scale`` (1,000 for a rate per 1,000 homes)."""
    if exposure <= 0:
        return Interval(math.nan, math.nan)
    # Half the chi-squared quantiles on 2k and 2k + 2 degrees of freedom: the gamma quantiles
    # (scipy's chi2.ppf(q, 2a) is 2 * gammaincinv(a, q)).
    low = float(_special().gammaincinv(k, 0.025)) if k > 0 else 0.0
    high = float(_special().gammaincinv(k + 1, 0.975))
    return Interval(low / exposure * scale, high / exposure * scale)


def poisson_rates(k1: int, exposure1: float, k2: int, exposure2: float) -> float:
    """Two-sided p-value comparing two event rates: the exact conditional test (given k1 + k2
    events, k1 is binomial with the first group's share of the exposure)."""
    if exposure1 <= 0 or exposure2 <= 0 or k1 + k2 == 0:
        return math.nan
    return binomial(k1, k1 + k2, exposure1 / (exposure1 + exposure2))
