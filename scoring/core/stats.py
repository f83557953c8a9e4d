"""Plain statistics for the dashboard: counts, means, spreads and 95% intervals.

Pure functions on aggregates (n, sum, sum of squares), never on rows, so the database does
the counting. No scipy (about 215 MB installed with numpy, 0.7 s to import scipy.stats):
the t quantiles are solved from Student's distribution function, written here with `math`
only and checked against a table made with SciPy (tests/scoring/t_quantiles_975.csv).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from scoring.core.rounding import rounded
from scoring.core.scores import MAX_SCORE, MIN_SCORE, RelationshipType, relationship_type

Z_975 = 1.959963984540054  # the normal distribution's 0.975 quantile, t's limit as df grows
T_975_ONE_DF = 12.706204736174707  # tan(0.475 * pi), the largest t(0.975, df) for df >= 1


def t_quantile_975(df: float) -> float:
    """The 0.975 quantile of Student's t with `df` degrees of freedom (df >= 1), exact for
    fractional df such as Welch's: within 1e-9 of SciPy's `t.ppf(0.975, df)`.

    Solves upper_tail(t) = 0.025 by Newton's method (the derivative is minus the density),
    inside the bracket Z_975 .. T_975_ONE_DF that holds every such quantile; a step that
    would leave the bracket bisects it instead. Starts from the Cornish-Fisher expansion
    (Abramowitz and Stegun 26.7.5), so two or three steps are usually enough.
    """
    if not df >= 1:
        raise ValueError(f"degrees of freedom must be at least 1, got {df!r}")
    if math.isinf(df):
        return Z_975
    low, high = Z_975, T_975_ONE_DF
    t = min(max(_cornish_fisher_975(df), low), high)
    for _ in range(100):
        excess = t_upper_tail(t, df) - 0.025  # falls as t grows
        if excess > 0:
            low = t
        else:
            high = t
        step = excess / t_density(t, df)
        proposal = t + step
        if not low < proposal < high:
            proposal = (low + high) / 2
        if abs(proposal - t) <= 1e-14 * t:
            return proposal
        t = proposal
    raise ArithmeticError(f"t quantile did not converge for df = {df!r}")  # pragma: no cover


def _cornish_fisher_975(df: float) -> float:
    """The expansion in 1/df around the normal quantile: within 0.0001 from df = 30."""
    z = Z_975
    g1 = (z**3 + z) / 4
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160
    return z + g1 / df + g2 / df**2 + g3 / df**3 + g4 / df**4


def t_density(t: float, df: float) -> float:
    """Student's t density: Gamma((df+1)/2) / (sqrt(df pi) Gamma(df/2)) (1+t^2/df)^-((df+1)/2)."""
    log_front = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    return math.exp(log_front - (df + 1) / 2 * math.log1p(t * t / df))


def t_upper_tail(t: float, df: float) -> float:
    """P(T > t) for t >= 0: half the regularized incomplete beta I_x(df/2, 1/2) at
    x = df / (df + t^2) (Abramowitz and Stegun 26.7.1 with 26.5.27)."""
    if t < 0:
        raise ValueError(f"the upper tail is written for t >= 0, got {t!r}")
    squared = t * t
    x, y = df / (df + squared), squared / (df + squared)  # y = 1 - x without cancellation
    return regularized_beta(x, y, df / 2, 0.5) / 2


def regularized_beta(x: float, y: float, a: float, b: float) -> float:
    """I_x(a, b), the regularized incomplete beta function, for 0 <= x <= 1, y = 1 - x
    (passed separately so neither loses digits near 0), and a, b > 0.

    x^a y^b / (a B(a, b)) times a continued fraction (A&S 26.5.8), which converges fast
    for x < (a + 1) / (a + b + 2); above it, 1 - I_y(b, a) (26.5.2), the same fraction
    with the roles swapped.
    """
    if x <= 0:
        return 0.0
    if y <= 0:
        return 1.0
    if x > (a + 1) / (a + b + 2):
        return 1.0 - regularized_beta(y, x, b, a)
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(y)
    )
    return math.exp(log_front) * _beta_fraction(x, a, b) / a


def _beta_fraction(x: float, a: float, b: float) -> float:
    """The continued fraction of I_x(a, b) by the modified Lentz method (Numerical Recipes
    6.4): 1 / (1 + d1 / (1 + d2 / (1 + ...))) with d(2m+1) = -(a+m)(a+b+m) x /
    ((a+2m)(a+2m+1)) and d(2m) = m (b-m) x / ((a+2m-1)(a+2m))."""
    tiny = 1e-300
    c = 1.0
    d = 1.0 / _not_zero(1.0 - (a + b) * x / (a + 1), tiny)
    fraction = d
    for m in range(1, 100_000):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 / _not_zero(1.0 + numerator * d, tiny)
            c = _not_zero(1.0 + numerator / c, tiny)
            fraction *= c * d
        if abs(c * d - 1.0) < 1e-16:
            return fraction
    raise ArithmeticError(f"incomplete beta did not converge at x={x!r}, a={a!r}, b={b!r}")


def _not_zero(value: float, tiny: float) -> float:
    return value if abs(value) >= tiny else tiny


@dataclass(frozen=True, kw_only=True)
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
        return Summary(n=n, mean=mean, sd=None)
    variance = max(0.0, (squares - total * total / n) / (n - 1))  # no -0.0000001 from floats
    return Summary(n=n, mean=mean, sd=math.sqrt(variance))


def summarise_counts(counts: Iterable[tuple[int, int]]) -> Summary | None:
    """Summary of a histogram given as (value, how many) pairs; None when it is empty."""
    n = total = squares = 0
    for value, count in counts:
        n += count
        total += value * count
        squares += value * value * count
    return summarise(n, total, squares) if n else None


@dataclass(frozen=True, kw_only=True)
class Interval:
    low: float
    high: float

    def clamped(self, low: float, high: float) -> Interval:
        """Cut to the possible range, e.g. a score interval to 20..100."""
        return Interval(low=max(low, self.low), high=min(high, self.high))


def mean_interval(summary: Summary) -> Interval | None:
    """95% t-interval for a mean: mean +- t(0.975, n - 1) * sd / sqrt(n), cut to 20..100.

    None below two values. It treats the respondents as a sample of the department's people
    and answers; with everyone in a small department answering it is on the cautious side.
    """
    if summary.standard_error is None:
        return None
    half = t_quantile_975(summary.n - 1) * summary.standard_error
    return Interval(low=summary.mean - half, high=summary.mean + half).clamped(MIN_SCORE, MAX_SCORE)


def welch(a: Summary, b: Summary) -> tuple[float, float] | None:
    """Standard error and Welch-Satterthwaite degrees of freedom of mean(a) - mean(b).

    se = sqrt(va + vb) with va = sd_a**2 / n_a; df = (va + vb)**2 / (va**2 / (n_a - 1) +
    vb**2 / (n_b - 1)). None unless both have two values; df is 1 in the degenerate case of
    two spreads of zero.
    """
    return welch_combination((a, b))


def welch_combination(summaries: Iterable[Summary]) -> tuple[float, float] | None:
    """Standard error and Welch-Satterthwaite df of a sum or difference of independent
    means, such as (sales - marketing) now minus (sales - marketing) before.

    The signs do not matter: se = sqrt(sum of v_i) with v_i = sd_i**2 / n_i, and
    df = (sum of v_i)**2 / sum of v_i**2 / (n_i - 1). None unless every group has two
    values; df is 1 (and se 0) when every spread is zero.
    """
    variances: list[tuple[float, int]] = []
    for summary in summaries:
        if summary.sd is None:
            return None
        variances.append((summary.sd**2 / summary.n, summary.n))
    total = sum(v for v, _ in variances)
    denominator = sum(v**2 / (n - 1) for v, n in variances)
    df = total**2 / denominator if denominator else 1.0
    return math.sqrt(total), max(1.0, df)


def difference_interval(a: Summary, b: Summary) -> Interval | None:
    """95% Welch interval for mean(a) - mean(b): diff +- t(0.975, df) * se."""
    parts = welch(a, b)
    if parts is None:
        return None
    se, df = parts
    half = t_quantile_975(df) * se
    return Interval(low=a.mean - b.mean - half, high=a.mean - b.mean + half)


def balanced_mean_interval(a: Summary, b: Summary) -> Interval | None:
    """95% interval for (mean(a) + mean(b)) / 2, the combined level: half the standard
    error of the difference (the same two variances), with the same Welch df."""
    parts = welch(a, b)
    if parts is None:
        return None
    se, df = parts
    centre, half = (a.mean + b.mean) / 2, t_quantile_975(df) * se / 2
    return Interval(low=centre - half, high=centre + half).clamped(MIN_SCORE, MAX_SCORE)


def bands_spanned(interval: Interval) -> tuple[RelationshipType, RelationshipType] | None:
    """(lowest, highest) type an interval reaches when it crosses a band edge, else None.

    Decided from the ends as shown (one decimal, scoring.core.rounding), with the same lower
    edges as relationship_type (40, 60, 80): an interval from 57.2 to 63.9 gives (DEFINED,
    ALIGNED), "on the line between Defined and Aligned"; one from 59.96 to 70.0 is shown as
    60.0 to 70.0, all Aligned, so it is not on the line.
    """
    inside = interval.clamped(MIN_SCORE, MAX_SCORE)
    low = relationship_type(rounded(inside.low))
    high = relationship_type(rounded(inside.high))
    return None if low is high else (low, high)
