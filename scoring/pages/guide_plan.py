"""What the insight pages and the dashboard's insight sections show, in the reader's language."""

from django.utils.translation import gettext as _

from scoring.advice import guide, playbook
from scoring.advice.labels import TYPE_DESCRIPTION_NOTES, TYPE_NAMES
from scoring.core.insights import compared_statements
from scoring.core.scores import RelationshipType, RoundScore
from scoring.core.trends import gap_changes, trend_point
from scoring.models import MoveDecision, PlannedAction
from scoring.pages.charts import TrendChart
from scoring.pages.presenters import Context, one_decimal, signed
from scoring.results.published import Published
from survey.core.statements import STATEMENTS
from survey.models import Round

STATUS_ORDER: dict[str, int] = {PlannedAction.Status.IN_PROGRESS: 0, PlannedAction.Status.OPEN: 1}


def guide_summary(result: RoundScore, decision: MoveDecision | None) -> Context:
    """The current type, its conditions and the stored decision, if any."""
    current = result.guide_type
    context: Context = {
        "current": current,
        "decision": decision,
        "next_type_name": None,
        "from_heads": current is not None and result.combined_type is None,
    }
    if current is None:
        return context
    next_type = guide.NEXT_TYPE[current]
    context |= {
        "current_name": TYPE_NAMES[current],
        "next_type_name": TYPE_NAMES[next_type] if next_type else None,
        "stay_conditions": guide.conditions(current, guide.STAY),
        "move_conditions": guide.conditions(current, guide.MOVE),
        "description_note": TYPE_DESCRIPTION_NOTES.get(current),
        "improvements": improvement_rows(current, result) if next_type is None else [],
    }
    if decision is not None:
        decided_for = RelationshipType(decision.relationship_type)
        verdict = guide.verdict(decided_for, decision.ticked)  # the rule read now, not stored
        if verdict.recommendation is guide.Recommendation.STAY and decided_for == current:
            context["improvements"] = improvement_rows(current, result)
        context |= {
            "sentence": guide.verdict_sentence(verdict, decided_for),
            "verdict": verdict,
            "stale": decided_for != current,
            "decided_for_name": TYPE_NAMES[decided_for],
        }
    return context


def ordered_actions(actions: list[PlannedAction]) -> list[PlannedAction]:
    """This round's actions and those carried over, undone first."""
    return sorted(actions, key=lambda a: (STATUS_ORDER.get(a.status, 2), a.due_date is None))


def statement_rows(numbers: tuple[int, ...], result: RoundScore) -> list[Context]:
    gaps = {g.statement: g for g in result.statement_gaps}
    return [
        {
            "number": n,
            "text": STATEMENTS[n],
            "gap": one_decimal(gaps[n].gap) if n in gaps else None,
            "gap_text": signed(gaps[n].gap) if n in gaps else None,
            "mean": one_decimal((gaps[n].sales_mean + gaps[n].marketing_mean) / 2)
            if n in gaps
            else None,
        }
        for n in numbers
    ]


def improvement_rows(kind: RelationshipType, result: RoundScore) -> list[Context]:
    """The improvements within `kind`, each with the statements it works on."""
    return [
        {"improvement": i, "statements": statement_rows(i.statements, result)}
        for i in playbook.improvements_within(kind)
    ]


def playbook_context(result: RoundScore, planned: list[PlannedAction]) -> Context:
    """The actions of the move from the current type, most needed first, when it is known."""
    current = result.guide_type
    if current is None or guide.NEXT_TYPE[current] is None:
        return {"playbook": [], "ranked_by_results": False}
    in_plan = {a.playbook_key for a in planned}
    needs = playbook.statement_needs(result)
    return {
        "playbook": [
            {
                "action": action,
                "statements": statement_rows(action.statements, result),
                "in_plan": action.key in in_plan,
            }
            for action in playbook.ranked(playbook.actions_from(current), needs)
        ],
        "ranked_by_results": bool(needs),
        "integration_order": playbook.integration_order(current),
    }


def label_anchor(index: int, count: int) -> str:
    """Keep the first and last round's labels inside the chart."""
    if index == 0:
        return "start"
    return "end" if index == count - 1 else "middle"


def trends_from(history: list[tuple[Round, Published]]) -> Context:
    """The trend over the closed rounds already read (history.published_until), oldest
    first, each scored by core from its published results."""
    if len(history) < 2:
        return {"rounds": len(history)}
    rounds = [r for r, _ in history]
    results = [p.score for _, p in history]
    points = [trend_point(r.title, result) for r, result in zip(rounds, results, strict=True)]
    chart = TrendChart()
    series = [
        ("combined", _("Combined level"), [p.combined for p in points]),
        ("sales", _("Sales"), [p.sales for p in points]),
        ("marketing", _("Marketing"), [p.marketing for p in points]),
    ]
    last_two = zip(history[-2:], results[-2:], strict=True)
    before, now = (compared_statements(p.cells, result) for (_, p), result in last_two)
    changes = gap_changes(before, now, shown=one_decimal)
    return {
        "rounds": len(rounds),
        "points": points,
        "previous_title": rounds[-2].title,
        "chart": chart,
        "plot_width": chart.plot_width,
        "plot_right": chart.plot_right,
        "label_y": chart.label_y,
        "x_labels": [
            (chart.x(i, len(points)), p.label, label_anchor(i, len(points)))
            for i, p in enumerate(points)
        ],
        "y_ticks": chart.y_ticks(),
        "series": [
            {"key": k, "name": n, "segments": chart.segments(v), "dots": chart.dots(v)}
            for k, n, v in series
        ],
        "changes": [
            {"change": c, "text": STATEMENTS[c.statement], "previous": one_decimal(c.previous_gap),
             "current": one_decimal(c.current_gap)}
            for c in changes
        ],
    }  # fmt: skip
