"""Turns a RoundScore into what the dashboard says, in the reader's language."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from scoring.core import BANDS, DepartmentResult, GroupResult, RoundScore
from scoring.labels import TYPE_NAMES
from survey.models import Department, Round
from survey.statements import STATEMENTS


def one_decimal(value: float) -> float:
    """Rounded as displayed; adding 0.0 turns -0.0 into 0.0."""
    return round(value, 1) + 0.0


def points(value: float) -> str:
    return number_format(abs(one_decimal(value)), 1)


def gap_sentence(gap: float) -> str:
    """The perception gap in words, from sales' side: positive means sales rates it higher."""
    if one_decimal(gap) == 0:
        return _("Sales and marketing rate the relationship the same.")
    if gap > 0:
        return _("Sales rates the relationship %(points)s points higher than marketing does.") % {
            "points": points(gap)
        }
    return _("Sales rates the relationship %(points)s points lower than marketing does.") % {
        "points": points(gap)
    }


def statement_gap_sentence(gap: float) -> str:
    if one_decimal(gap) == 0:
        return _("Both rate this the same.")
    if gap > 0:
        return _("Sales rates this %(points)s points higher.") % {"points": points(gap)}
    return _("Marketing rates this %(points)s points higher.") % {"points": points(gap)}


def heads_sentence(department: DepartmentResult) -> str | None:
    difference = department.leaders_minus_staff
    if difference is None:
        return None
    if one_decimal(difference) == 0:
        return _("The heads' view and the staff's view are the same.")
    if difference > 0:
        return _("The heads rate it %(points)s points higher than their staff.") % {
            "points": points(difference)
        }
    return _("The heads rate it %(points)s points lower than their staff.") % {
        "points": points(difference)
    }


def group(result: GroupResult) -> dict:
    return {
        "respondents": result.respondents,
        "shown": result.shown,
        "score": result.score,
        "type_name": TYPE_NAMES[result.type] if result.type else None,
    }


def department(name: str, label: str, result: DepartmentResult) -> dict:
    return {
        "key": name,
        "label": label,
        "total": group(result.total),
        "leaders": group(result.leaders),
        "staff": group(result.staff),
        "heads_sentence": heads_sentence(result),
    }


def dashboard_context(round: Round, result: RoundScore) -> dict:
    combined_type = result.combined_type
    return {
        "round": round,
        "result": result,
        "threshold": result.threshold,
        "combined_type_name": TYPE_NAMES[combined_type] if combined_type else None,
        "bands": [
            {
                "name": TYPE_NAMES[b.type],
                "low": b.low,
                "high": b.high,
                "key": b.type.value,
                "current": b.type == combined_type,
            }
            for b in BANDS
        ],
        "departments": [
            department(Department.SALES, Department.SALES.label, result.sales),
            department(Department.MARKETING, Department.MARKETING.label, result.marketing),
        ],
        "gap_sentence": gap_sentence(result.gap) if result.gap is not None else None,
        "statement_rows": [
            {
                "number": g.statement,
                "text": STATEMENTS[g.statement],
                "sales_mean": g.sales_mean,
                "marketing_mean": g.marketing_mean,
                "gap": one_decimal(g.gap),
                "sentence": statement_gap_sentence(g.gap),
            }
            for g in result.statement_gaps
        ],
    }
