"""One presenter per results page of a closed round: what each tab shows, in the reader's
language. No database here: the views read through scoring.results.published (and the history of
closed rounds through scoring.results.history) and hand the reads in.

The tabs: the overview a leader takes in within two minutes, then the details, each on its
own URL: statements, heads and staff, spread, over time, downloads (the guide and the
action plan have their own pages, scoring.views.guide_plan).
"""

from django.utils.translation import gettext as _

from scoring.core.scores import RoundScore
from scoring.models import MoveDecision, PlannedAction
from scoring.pages.anchoring import department_lines, roster_statement
from scoring.pages.figures import both as both_layouts
from scoring.pages.figures import dumbbell_chart, group_rows, roles_chart, scale_chart, strip_chart
from scoring.pages.guide_plan import guide_summary, ordered_actions, trends_from
from scoring.pages.presenters import Context, dashboard_context, decimal, group
from scoring.results.published import Published, RoundResults
from survey.models import Department, Round

TOP_STATEMENTS = 3  # the statements the two departments see most differently, on the overview


def header(results: RoundResults, tab: str) -> Context:
    """What every tab shows above its content."""
    return {
        "round": results.round,
        "tab": tab,
        "threshold": results.score.threshold,
        "published_at": results.published.published_at,
        "cover": _who_answered(results.score),
        "anchoring": department_lines(results.published),
        "roster_statement": roster_statement(results.published.roster, results.score.threshold),
    }


def _who_answered(score: RoundScore) -> list[Context]:
    """The printed report's cover: how many heads and staff answered in each department,
    only where the group is shown (a hidden group has no count)."""
    return [
        {
            "label": Department(name).label,
            "groups": [group(score.department(name).leaders), group(score.department(name).staff)],
        }
        for name in Department.values
    ]


def _base(results: RoundResults) -> Context:
    return dashboard_context(results.round, results.score, results.insights, results.published)


def overview(
    results: RoundResults, decision: MoveDecision | None, actions: list[PlannedAction]
) -> Context:
    """The story in two minutes: level and type, each department, the gap, the three
    statements seen most differently, heads against staff, and the next step."""
    base = _base(results)
    open_actions = [a for a in ordered_actions(actions) if a.is_open]
    return (
        base
        | header(results, "overview")
        | {
            "scale_chart": both_layouts(scale_chart, results.score, results.insights),
            "top_statements": [
                row
                | {
                    "sales_text": decimal(row["sales_mean"]),
                    "marketing_text": decimal(row["marketing_mean"]),
                }
                for row in base["statement_rows"][:TOP_STATEMENTS]
            ],  # fmt: skip
            "heads_lines": [
                {
                    "label": dept["label"],
                    "sentence": dept["heads_sentence"]
                    or _("Not enough answers to compare the heads with the staff."),
                }
                for dept in base["departments"]
            ],
            "guide": guide_summary(results.score, decision),
            "open_actions": open_actions,
        }
    )


def statements(results: RoundResults) -> Context:
    """Every statement: the dumbbell chart and the table, largest gap first."""
    return (
        _base(results)
        | header(results, "statements")
        | {"dumbbell": both_layouts(dumbbell_chart, results.insights)}
    )


def groups(results: RoundResults) -> Context:
    """Heads and staff of each department, their chart, and the table of every group."""
    return (
        _base(results)
        | header(results, "groups")
        | {
            "roles_chart": both_layouts(roles_chart, results.insights),
            "group_rows": group_rows(results.insights),
        }
    )


def spread(results: RoundResults) -> Context:
    """How far apart people are: the strip chart and its table."""
    return header(results, "spread") | {"strip_chart": both_layouts(strip_chart, results.insights)}


def trends(results: RoundResults, history: list[tuple[Round, Published]]) -> Context:
    """The closed rounds up to this one, over time."""
    return header(results, "trends") | {"sections": {"trends": trends_from(history)}}


def downloads(results: RoundResults) -> Context:
    """The files of the round."""
    return header(results, "downloads")
