"""The dashboard's charts and the tables of the same numbers, in the reader's language."""

from django.utils.translation import gettext as _

from scoring import charts
from scoring.core import LEADER, MARKETING, SALES, STAFF, TOTAL, RoundScore
from scoring.insights import GroupInsight, Insights
from scoring.labels import TYPE_NAMES
from scoring.presenters import band_note, decimal, interval_text
from survey.models import Department

SHAPES = {SALES: "circle", MARKETING: "square"}


def chart_context(result: RoundScore, insights: Insights) -> dict:
    return {
        "group_rows": group_rows(insights),
        "scale_chart": scale_chart(result, insights),
        "roles_chart": roles_chart(insights),
        "strip_chart": strip_chart(insights),
        "dumbbell": dumbbell_chart(insights),
    }


def group_label(department: str, role: str) -> str:
    name = Department(department).label
    if role == LEADER:
        return _("%(department)s: heads' view") % {"department": name}
    if role == STAFF:
        return _("%(department)s: staff") % {"department": name}
    return _("%(department)s: everyone") % {"department": name}


def group_rows(insights: Insights) -> list[dict]:
    """One table row per visible group: n, mean, SD and 95% interval of the scores."""
    table = []
    for department in (SALES, MARKETING):
        for role in (TOTAL, LEADER, STAFF):
            found = insights.groups.get((department, role))
            if found is not None:
                table.append(_group_row(group_label(department, role), found))
    return table


def _group_row(label: str, found: GroupInsight) -> dict:
    summary = found.summary
    return {
        "label": label,
        "n": summary.n,
        "mean": decimal(summary.mean),
        "sd": None if summary.sd is None else decimal(summary.sd),
        "interval": interval_text(found.interval),
        "band_note": band_note(found.interval),
    }


def band_names() -> dict[str, str]:
    return {key.value: str(name) for key, name in TYPE_NAMES.items()}


def scale_chart(result: RoundScore, insights: Insights) -> dict:
    """Combined level and each department on the 20..100 scale, with 95% whiskers."""
    labelled = []
    if result.combined_level is not None:
        point = charts.score_point(
            result.combined_level,
            insights.combined_interval,
            label=decimal(result.combined_level),
            shape="diamond",
            series="combined",
        )
        labelled.append((_("Combined level"), "", [point]))
    for department in (SALES, MARKETING):
        found = insights.groups.get((department, TOTAL))
        points = []
        if found is not None:
            mean = found.summary.mean
            points.append(
                charts.score_point(
                    mean,
                    found.interval,
                    label=decimal(mean),
                    shape=SHAPES[department],
                    series=department,
                )
            )
        labelled.append((str(Department(department).label), "", points))
    return _score_chart(labelled)


def roles_chart(insights: Insights) -> dict:
    """Heads' view (diamond) and staff (circle) of each department on the 20..100 scale."""
    labelled = []
    for department in (SALES, MARKETING):
        for role, shape in ((LEADER, "diamond"), (STAFF, "circle")):
            found = insights.groups.get((department, role))
            points = []
            if found is not None:
                mean = found.summary.mean
                points.append(
                    charts.score_point(
                        mean, None, label=decimal(mean), shape=shape, series=department
                    )
                )
            role_name = _("heads' view") if role == LEADER else _("staff")
            labelled.append((str(Department(department).label), role_name, points))
    return _score_chart(labelled)


def _score_chart(labelled: list) -> dict:
    rows = charts.rows(labelled)
    height = charts.TOP + charts.ROW * len(rows) + 24
    return {
        "rows": rows,
        "bands": charts.band_areas(band_names()),
        "ticks": charts.score_ticks(),
        "height": height,
        "axis_y": height - 22,
        "plot_top": charts.TOP - 4,
        "band_height": height - 22 - charts.TOP + 4,
        "band_label_y": charts.TOP - 10,
        "tick_y": height - 4,
        "tick_end": height - 17,
    }


def strip_chart(insights: Insights) -> dict:
    """Each visible group's scores as stacked dots: heads diamonds, staff circles."""
    shown = [
        (department, role, insights.groups[department, role].histogram)
        for department in (SALES, MARKETING)
        for role in (LEADER, STAFF)
        if (department, role) in insights.groups
    ]
    per_dot = charts.people_per_dot([h for _d, _r, h in shown])
    tallest = max((-(-n // per_dot) for _d, _r, h in shown for _s, n in h), default=1)
    lane = charts.DOT * tallest + 16
    strips, y = [], charts.TOP
    for department in (SALES, MARKETING):
        groups = [(r, h) for d, r, h in shown if d == department]
        baseline = y + lane
        dots = {
            role: charts.strip_dots(h, baseline=baseline, per_dot=per_dot) for role, h in groups
        }
        strips.append(
            {
                "key": department,
                "label": Department(department).label,
                "baseline": baseline,
                "label_y": baseline - lane / 2,
                "heads": dots.get(LEADER, []),
                "staff": dots.get(STAFF, []),
                "staff_hidden": STAFF not in dots,
                "table": [_histogram_row(group_label(department, r), h) for r, h in groups],
            }
        )
        y = baseline + 12
    return {
        "strips": strips,
        "ticks": charts.score_ticks(),
        "height": y + 28,
        "axis_y": y + 6,
        "per_dot": per_dot,
    }


def _histogram_row(label: str, histogram: tuple[tuple[int, int], ...]) -> dict:
    return {"label": label, "scores": [{"score": s, "n": n} for s, n in histogram]}


def dumbbell_chart(insights: Insights) -> dict:
    """Per statement, sales' and marketing's mean rating joined by a line, largest gap first."""
    top = 26
    rows = []
    for index, row in enumerate(insights.statements):
        rows.append(
            {
                "y": top + index * 24 + 12,
                "number": row.statement,
                "sales_x": charts.x_of(row.sales.mean, 1, 5),
                "marketing_x": charts.x_of(row.marketing.mean, 1, 5),
                "gap": decimal(row.gap) if row.gap <= 0 else "+" + decimal(row.gap),
                "large": row.large_gap,
            }
        )
    height = top + 24 * len(rows) + 28
    return {"rows": rows, "ticks": charts.rating_ticks(), "height": height, "axis_y": height - 22}
