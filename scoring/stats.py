"""Plain statistics for the dashboard: counts, means, spreads and 95% intervals.

Pure functions on aggregates (n, sum, sum of squares), never on rows, so the database does
the counting. No scipy: the t quantiles come from a table and the Cornish-Fisher expansion.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from scoring.core import BANDS, MAX_SCORE, MIN_SCORE, RelationshipType

# Two-sided 95%: t(0.975, df) for df = 1..29, to four decimals (any statistics table).
T_975 = (
    12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
    2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
    2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452,
)  # fmt: skip
Z_975 = 1.959963984540054


def t_quantile_975(df: float) -> float:
    """The 0.975 quantile of Student's t with `df` degrees of freedom (df >= 1).

    Below 30, the table value at floor(df): a fractional Welch df is rounded down, which
    widens the interval a little rather than narrowing it. From 30 on, the Cornish-Fisher
    expansion in 1/df around the normal quantile (Abramowitz and Stegun 26.7.5), which is
    within 0.0001 of the exact value there.
    """
    if not df >= 1:
        raise ValueError(f"degrees of freedom must be at least 1, got {df!r}")
    if df < len(T_975) + 1:
        return T_975[math.floor(df) - 1]
    z = Z_975
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


@dataclass(frozen=True)
class Summary:
    """n, mean and sample standard deviation (None below two values) of one group."""

    n: int
    mean: float
    sd: float | None

    @property
    def standard_error(self) -> float | None:
        return None if self.sd is None else self.sd / math.sqrt(self.n)


def summarise(n: int, total: float, squares: float) -> Summary:
    """From n, the sum and the sum of squares: mean = total / n and
    sd = sqrt((squares - total**2 / n) / (n - 1)), the sample standard deviation.
    ValueError for n < 1."""
    if n < 1:
        raise ValueError(f"a summary needs at least one value, got n = {n!r}")
    mean = total / n
    if n == 1:
        return Summary(n, mean, None)
    variance = max(0.0, (squares - total * total / n) / (n - 1))  # no -0.0000001 from floats
    return Summary(n, mean, math.sqrt(variance))


def summarise_counts(counts: Iterable[tuple[int, int]]) -> Summary | None:
    """Summary of a histogram given as (value, how many) pairs; None when it is empty."""
    n = total = squares = 0
    for value, count in counts:
        n += count
        total += value * count
        squares += value * value * count
    return summarise(n, total, squares) if n else None


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def clamped(self, low: float, high: float) -> Interval:
        """Cut to the possible range, e.g. a score interval to 20..100."""
        return Interval(max(low, self.low), min(high, self.high))


def mean_interval(summary: Summary) -> Interval | None:
    """95% t-interval for a mean: mean +- t(0.975, n - 1) * sd / sqrt(n), cut to 20..100.

    None below two values. It treats the respondents as a sample of the department's people
    and answers; with everyone in a small department answering it is on the cautious side.
    """
    if summary.standard_error is None:
        return None
    half = t_quantile_975(summary.n - 1) * summary.standard_error
    return Interval(summary.mean - half, summary.mean + half).clamped(MIN_SCORE, MAX_SCORE)


def welch(a: Summary, b: Summary) -> tuple[float, float] | None:
    """Standard error and Welch-Satterthwaite degrees of freedom of mean(a) - mean(b).

    se = sqrt(va + vb) with va = sd_a**2 / n_a; df = (va + vb)**2 / (va**2 / (n_a - 1) +
    vb**2 / (n_b - 1)). None unless both have two values; df is 1 in the degenerate case of
    two spreads of zero.
    """
    if a.sd is None or b.sd is None:
        return None
    va, vb = a.sd**2 / a.n, b.sd**2 / b.n
    denominator = va**2 / (a.n - 1) + vb**2 / (b.n - 1)
    df = (va + vb) ** 2 / denominator if denominator else 1.0
    return math.sqrt(va + vb), max(1.0, df)


def difference_interval(a: Summary, b: Summary) -> Interval | None:
    """95% Welch interval for mean(a) - mean(b): diff +- t(0.975, df) * se."""
    parts = welch(a, b)
    if parts is None:
        return None
    se, df = parts
    half = t_quantile_975(df) * se
    return Interval(a.mean - b.mean - half, a.mean - b.mean + half)


def balanced_mean_interval(a: Summary, b: Summary) -> Interval | None:
    """95% interval for (mean(a) + mean(b)) / 2, the combined level: half the standard
    error of the difference (the same two variances), with the same Welch df."""
    parts = welch(a, b)
    if parts is None:
        return None
    se, df = parts
    centre, half = (a.mean + b.mean) / 2, t_quantile_975(df) * se / 2
    return Interval(centre - half, centre + half).clamped(MIN_SCORE, MAX_SCORE)


def bands_spanned(interval: Interval) -> tuple[RelationshipType, RelationshipType] | None:
    """(lowest, highest) type an interval reaches when it crosses a band edge, else None.

    Uses the same lower edges as relationship_type (40, 60, 80): an interval from 57.2 to
    63.9 gives (DEFINED, ALIGNED), "on the line between Defined and Aligned".
    """
    low = _band_of(interval.low)
    high = _band_of(interval.high)
    return None if low is high else (low, high)


def _band_of(score: float) -> RelationshipType:
    for band in reversed(BANDS):
        if score >= band.low:
            return band.type
    return BANDS[0].type
