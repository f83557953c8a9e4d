"""The one rounding rule: every figure in every output is rounded here, once.

Half away from zero, from the exact value, to one decimal on pages, charts, sentences and
summary files, and to two in the answers files meant for analysis. "The exact value" is
the shortest decimal that names the float (repr), so a mean of 79.95 (stored as
79.9499999...) rounds to 80.0 as the arithmetic on paper does. A result of zero is +0.0:
a gap of 0 shows as 0.0, never -0.0.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

PAGE = 1  # decimals on pages, charts, sentences and the summary files
ANALYSIS = 2  # decimals of the means in the answers files


def rounded(value: float, places: int = PAGE) -> float:
    """`value` rounded half away from zero to `places` decimals; never -0.0."""
    exact = Decimal(repr(float(value)))
    quantum = Decimal(1).scaleb(-places)
    return float(exact.quantize(quantum, rounding=ROUND_HALF_UP)) + 0.0


def rounded_or_none(value: float | None, places: int = PAGE) -> float | None:
    return None if value is None else rounded(value, places)


def sign(value: float, places: int = PAGE) -> int:
    """-1, 0 or 1: the sign of the figure as shown, so a gap shown as 0.0 has none."""
    shown = rounded(value, places)
    return (shown > 0) - (shown < 0)
