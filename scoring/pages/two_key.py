"""The two-key "do we need to move?": what each head said, side by side, per starting type.

Reads the published score and the heads' stored answers it is given; no database.
"""

from collections.abc import Mapping

from django.utils.translation import gettext as _

from scoring.advice import guide
from scoring.advice.labels import TYPE_NAMES
from scoring.core.scores import DEPARTMENTS, MARKETING, SALES, RoundScore
from scoring.models import RoundHead
from scoring.pages.presenters import Context
from scoring.pages.workshop import department_name


def departments_text(departments: tuple[str, ...]) -> str:
    if len(departments) == 2:
        return _("Both departments sit here.")
    return _("%(department)s sits here.") % {"department": department_name(departments[0])}


def comparison(point: guide.StartingPoint, sales: RoundHead, marketing: RoundHead) -> Context:
    kind = point.relationship_type
    two_key = guide.two_key_verdict(kind, sales=sales.ticked, marketing=marketing.ticked)
    return {
        "type_name": TYPE_NAMES[kind],
        "where": departments_text(point.departments),
        "has_next": guide.NEXT_TYPE[kind] is not None,
        "stay_rows": [r for r in two_key.rows if r.condition.kind == guide.STAY],
        "move_rows": [r for r in two_key.rows if r.condition.kind == guide.MOVE],
        "sales_sentence": guide.verdict_sentence(two_key.sales, kind),
        "marketing_sentence": guide.verdict_sentence(two_key.marketing, kind),
        "combined": two_key.combined,
        "combined_sentence": guide.verdict_sentence(two_key.combined, kind),
        "disagreements": two_key.disagreements,
    }


def two_key_context(score: RoundScore, heads: Mapping[str, RoundHead], user_id: int) -> Context:
    """The starting types, the heads, the signed-in head's own boxes, and, once both
    heads have answered, the comparison condition by condition for each starting type."""
    points = guide.starting_points(score.sales.total.type, score.marketing.total.type)
    mine = next((h for h in heads.values() if h.user_id == user_id), None)
    ticked = set(mine.ticked) if mine else set()
    sales, marketing = heads.get(SALES), heads.get(MARKETING)
    answered = (
        (sales, marketing)
        if sales is not None
        and marketing is not None
        and sales.answered_at is not None
        and marketing.answered_at is not None
        else None
    )
    return {
        "points": [
            {
                "type_name": TYPE_NAMES[p.relationship_type],
                "where": departments_text(p.departments),
                "stay": [(c, c.key in ticked) for c in p.conditions if c.kind == guide.STAY],
                "move": [(c, c.key in ticked) for c in p.conditions if c.kind == guide.MOVE],
            }
            for p in points
        ],
        "split": len(points) == 2,
        "types": [p.relationship_type for p in points],
        "heads": [{"department": department_name(d), "head": heads.get(d)} for d in DEPARTMENTS],
        "mine": mine,
        "mine_name": department_name(mine.department) if mine else None,
        "both_answered": answered is not None,
        "comparisons": [comparison(p, *answered) for p in points] if answered else [],
    }
