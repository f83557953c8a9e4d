"""The one rounding rule: every figure in every output is rounded here, once.

Half away from zero, from the exact value, to one decimal on pages, charts, sentences and
summary files, and to two in the answers files meant for analysis. Every figure is a ratio
of whole numbers (sums of ratings over counts of people, their halves and differences). A
value exactly halfway (79.95, a gap of -0.15) has a small denominator, so the fraction
closest to its float (79.9499999..., -0.1499999...) is the value itself and it rounds away
from zero, as the arithmetic on paper does; any other figure, with a denominator below
10^9 up to 10,000 people a side, lies far further from a halfway point than a float's
error, so it rounds the same from either. A result of zero is +0.0: a gap of 0 shows as
0.0, never -0.0.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

PAGE = 1  # decimals on pages, charts, sentences and the summary files
ANALYSIS = 2  # decimals of the means in the answers files
EXACT_DENOMINATOR = 10**8  # finds halfway values, whose denominators are small


def rounded(value: float, places: int = PAGE) -> float:
    """`value` rounded half away from zero to `places` decimals; never -0.0."""
    exact = Fraction(value).limit_denominator(EXACT_DENOMINATOR)
    decimal = Decimal(exact.numerator) / Decimal(exact.denominator)
    quantum = Decimal(1).scaleb(-places)
    return float(decimal.quantize(quantum, rounding=ROUND_HALF_UP)) + 0.0


def rounded_or_none(value: float | None, places: int = PAGE) -> float | None:
    return None if value is None else rounded(value, places)


def compared(value: float) -> float:
    """`value` to 9 decimals, for comparisons only (ties, flags), so that float noise in a
    mean like 10/3 cannot break a tie or cross a threshold. Never shown."""
    return round(value, 9)


def sign(value: float, places: int = PAGE) -> int:
    """-1, 0 or 1: the sign of the figure as shown, so a gap shown as 0.0 has none."""
    shown = rounded(value, places)
    return (shown > 0) - (shown < 0)
