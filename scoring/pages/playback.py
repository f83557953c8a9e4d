"""What staff see of a closed round: the company's published results, read-only.

The same figures, charts and k rule as the leaders' overview and statements tabs
(scoring.pages.presenters, scoring.pages.figures), without what only leaders act on: downloads, the
guide, the plan, where answers came from, and the comments and guesses, which people gave
knowing the leaders would read them, not everyone.
"""

from scoring.pages.figures import both as both_layouts
from scoring.pages.figures import dumbbell_chart, scale_chart
from scoring.pages.presenters import Context, dashboard_context
from scoring.results.published import RoundResults


def staff_summary(results: RoundResults) -> Context:
    """The overview's level, departments and gap, and every statement, largest gap first."""
    return dashboard_context(results.round, results.score, results.insights, results.published) | {
        "scale_chart": both_layouts(scale_chart, results.score, results.insights),
        "dumbbell": both_layouts(dumbbell_chart, results.insights),
    }
