"""{{ value|figure }} and {{ value|signed_figure }}: a figure as every page writes it."""

from django import template

from scoring.pages.presenters import decimal, signed

register = template.Library()


@register.filter
def figure(value: float | str | None) -> str:
    """One decimal by the one rounding rule, in the reader's number format; "–" for None
    (or "", what a template passes for a missing value)."""
    return "–" if value is None or value == "" else decimal(float(value))


@register.filter
def signed_figure(value: float | str | None) -> str:
    """As `figure`, with a plus sign when the figure shown is above 0."""
    return "–" if value is None or value == "" else signed(float(value))
