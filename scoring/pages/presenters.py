"""Turns a RoundScore into what the dashboard says, in the reader's language."""

from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from scoring.advice.labels import TYPE_NAMES
from scoring.core.insights import Insights, StatementInsight
from scoring.core.rounding import rounded, sign
from scoring.core.scores import (
    BANDS,
    DepartmentResult,
    GroupResult,
    RoundScore,
)
from scoring.core.stats import Interval, Summary, bands_spanned
from scoring.pages.anchoring import flag_sentence, hand_delivered_sentence, roster_statement
from scoring.results.published import Published
from survey.core.statements import STATEMENTS
from survey.models import Department, Round

# What a template reads: names to values of whatever type the template shows. Python code
# builds these and hands them to render(); only templates read them.
Context = dict[str, Any]

one_decimal = rounded  # the one rounding rule (scoring.core.rounding), to one decimal


def points(value: float) -> str:
    return number_format(abs(rounded(value)), 1)


def gap_sentence(gap: float) -> str:
    """The perception gap in words, from sales' side: positive means sales rates it higher."""
    direction = sign(gap)
    if direction == 0:
        return _("Sales and marketing rate the relationship the same.")
    if direction > 0:
        return _("Sales rates the relationship %(points)s points higher than marketing does.") % {
            "points": points(gap)
        }
    return _("Sales rates the relationship %(points)s points lower than marketing does.") % {
        "points": points(gap)
    }


def statement_gap_sentence(gap: float) -> str:
    direction = sign(gap)
    if direction == 0:
        return _("Both rate this the same.")
    if direction > 0:
        return _("Sales rates this %(points)s points higher.") % {"points": points(gap)}
    return _("Marketing rates this %(points)s points higher.") % {"points": points(gap)}


def heads_sentence(department: DepartmentResult) -> str | None:
    difference = department.leaders_minus_staff
    if difference is None:
        return None
    direction = sign(difference)
    if direction == 0:
        return _("The heads' view and the staff's view are the same.")
    if direction > 0:
        return _("The heads rate it %(points)s points higher than their staff.") % {
            "points": points(difference)
        }
    return _("The heads rate it %(points)s points lower than their staff.") % {
        "points": points(difference)
    }


def group(result: GroupResult) -> Context:
    """A group's figure; a group that is not shown has neither a score nor a count."""
    return {
        "respondents": result.respondents if result.shown else None,
        "shown": result.shown,
        "score": result.score,
        "type_name": TYPE_NAMES[result.type] if result.type else None,
    }


def sources_sentence(sources: dict[str, int]) -> str | None:
    """How many of a department's counted staff answers came through links a leader could
    have used: shown on screen, or the shared link."""
    screen, shared = sources.get("screen", 0), sources.get("shared", 0)
    if not screen and not shared:
        return _("Every staff answer came through a link sent only to the person's email.")
    return _(
        "Of the staff answers, %(screen)s came through links shown to a leader on screen "
        "and %(shared)s through the shared link."
    ) % {"screen": screen, "shared": shared}


def department_sources(name: str, published: Published) -> str:
    """The staff answers of a shown group that did not count toward k, by how they came
    (scoring.pages.anchoring); a round published before that: the links a leader held."""
    sources = published.sources.get(name, {})
    if published.roster is None:
        return sources_sentence(sources) or ""
    return hand_delivered_sentence(sources, published.roster)


def department(
    name: str, result: DepartmentResult, insights: Insights, published: Published
) -> Context:
    found = insights.groups.get((name, "total"))
    shown = result.staff.shown
    return {
        "key": name,
        "label": Department(name).label,
        "total": group(result.total),
        "leaders": group(result.leaders),
        "staff": group(result.staff),
        "heads_sentence": heads_sentence(result),
        "sources": department_sources(name, published) if shown else None,
        "flags": flag_sentence(name, published.roster) if shown else None,
        "n": found.summary.n if found else None,
        "sd": decimal(found.summary.sd) if found and found.summary.sd is not None else None,
        "interval": interval_text(found.interval) if found else None,
        "band_note": band_note(found.interval) if found else None,
    }


def dashboard_context(
    round: Round, result: RoundScore, insights: Insights, published: Published
) -> Context:
    """The figures of a closed round's published results, in the reader's language."""
    combined_type = result.combined_type
    return {
        "round": round,
        "result": result,
        "insights": insights,
        "threshold": result.threshold,
        "published_at": published.published_at,
        "roster_statement": roster_statement(published.roster, result.threshold),
        "on_leaders_word": published.roster is not None and published.roster.on_leaders_word,
        "level_interval": interval_text(insights.combined_interval),
        "level_band_note": band_note(insights.combined_interval),
        "gap_interval": signed_interval_text(insights.gap_interval),
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
            department(name, result.department(name), insights, published)
            for name in Department.values
        ],
        "gap_sentence": gap_sentence(result.gap) if result.gap is not None else None,
        "statement_rows": [statement_row(row) for row in insights.statements],
        "statement_n": _statement_n(insights),
    }


def statement_row(row: StatementInsight) -> Context:
    return {
        "number": row.statement,
        "text": STATEMENTS[row.statement],
        "sales_mean": row.sales.mean,
        "marketing_mean": row.marketing.mean,
        "sales_sd": _sd(row.sales),
        "marketing_sd": _sd(row.marketing),
        "gap": rounded(row.gap),
        "sentence": statement_gap_sentence(row.gap),
        "large_gap": row.large_gap,
        "split": [
            _("%(department)s disagrees within itself (SD %(sd)s).")
            % {"department": Department(d).label, "sd": _sd(row.department(d))}
            for d in row.split_departments
        ],
        "check_facts": row.check_facts,
    }


def _sd(summary: Summary) -> str:
    return "–" if summary.sd is None else decimal(summary.sd)


def _statement_n(insights: Insights) -> Context | None:
    if not insights.statements:
        return None
    first = insights.statements[0]
    return {"sales": first.sales.n, "marketing": first.marketing.n}


def decimal(value: float) -> str:
    """One decimal, in the reader's number format: how every figure on a page is written."""
    return number_format(rounded(value), 1)


def signed(value: float) -> str:
    """One decimal in the reader's format, with a plus sign when positive; 0.0 has none."""
    return ("+" if sign(value) > 0 else "") + decimal(value)


def interval_text(interval: Interval | None) -> str | None:
    if interval is None:
        return None
    return _("%(low)s to %(high)s") % {"low": decimal(interval.low), "high": decimal(interval.high)}


def band_note(interval: Interval | None) -> str | None:
    """ "On the line between Defined and Aligned" when the 95% interval crosses a band edge."""
    spanned = None if interval is None else bands_spanned(interval)
    if spanned is None:
        return None
    return _("on the line between %(low)s and %(high)s") % {
        "low": TYPE_NAMES[spanned[0]],
        "high": TYPE_NAMES[spanned[1]],
    }


def signed_interval_text(interval: Interval | None) -> str | None:
    if interval is None:
        return None
    low, high = (signed(v) for v in (interval.low, interval.high))
    return _("%(low)s to %(high)s points") % {"low": low, "high": high}
