"""The dashboard's charts and the tables of the same numbers, in the reader's language."""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from scoring.advice.labels import TYPE_NAMES
from scoring.core.insights import GroupInsight, Insights
from scoring.core.scores import LEADER, MARKETING, SALES, STAFF, TOTAL, RoundScore
from scoring.pages import charts
from scoring.pages.presenters import Context, band_note, decimal, interval_text, signed
from survey.models import Department

SHAPES = {SALES: "circle", MARKETING: "square"}
Labelled = tuple[str, str, list[charts.Point]]  # a row's label, sublabel and markers


def both(draw: Callable[..., Context], *args: Any) -> Context:
    """A chart drawn twice: wide for screens of 768 px and more, narrow for phones."""
    return draw(*args, charts.WIDE) | {"narrow": draw(*args, charts.NARROW)}


def group_label(department: str, role: str) -> str:
    name = Department(department).label
    if role == LEADER:
        return _("%(department)s: heads' view") % {"department": name}
    if role == STAFF:
        return _("%(department)s: staff") % {"department": name}
    return _("%(department)s: everyone") % {"department": name}


def group_rows(insights: Insights) -> list[Context]:
    """One table row per visible group: n, mean, SD and 95% interval of the scores."""
    table = []
    for department in (SALES, MARKETING):
        for role in (TOTAL, LEADER, STAFF):
            found = insights.groups.get((department, role))
            if found is not None:
                table.append(_group_row(group_label(department, role), found))
    return table


def _group_row(label: str, found: GroupInsight) -> Context:
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


def scale_chart(
    result: RoundScore, insights: Insights, layout: charts.Layout = charts.WIDE
) -> Context:
    """Combined level and each department on the 20..100 scale, with 95% whiskers."""
    labelled = []
    if result.combined_level is not None:
        point = charts.score_point(
            result.combined_level,
            insights.combined_interval,
            label=decimal(result.combined_level),
            shape="diamond",
            series="combined",
            layout=layout,
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
                    layout=layout,
                )
            )
        labelled.append((str(Department(department).label), "", points))
    return _score_chart(labelled, layout)


def roles_chart(insights: Insights, layout: charts.Layout = charts.WIDE) -> Context:
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
                        mean,
                        None,
                        label=decimal(mean),
                        shape=shape,
                        series=department,
                        layout=layout,
                    )
                )
            role_name = _("heads' view") if role == LEADER else _("staff")
            labelled.append((str(Department(department).label), role_name, points))
    return _score_chart(labelled, layout)


def _score_chart(labelled: list[Labelled], layout: charts.Layout) -> Context:
    if layout.stacked:  # one line: "Sales: heads' view"
        labelled = [(f"{label}: {sub}" if sub else label, "", p) for label, sub, p in labelled]
    rows = charts.rows(labelled, layout=layout, top=layout.top)
    height = layout.top + layout.row * len(rows) + 24
    return {
        "layout": layout,
        "rows": rows,
        "bands": charts.band_areas(band_names(), layout),
        "ticks": charts.score_ticks(layout),
        "height": height,
        "axis_y": height - 22,
        "plot_top": layout.top - 4,
        "band_height": height - 22 - layout.top + 4,
        "tick_y": height - 4,
        "tick_end": height - 17,
    }


def strip_chart(insights: Insights, layout: charts.Layout = charts.WIDE) -> Context:
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
    above = 20 if layout.stacked else 0  # the department's name above its lane
    strips, y = [], charts.TOP
    for department in (SALES, MARKETING):
        groups = [(r, h) for d, r, h in shown if d == department]
        baseline = y + above + lane
        dots = {
            role: charts.strip_dots(h, baseline=baseline, per_dot=per_dot, layout=layout)
            for role, h in groups
        }
        strips.append(
            {
                "key": department,
                "label": Department(department).label,
                "baseline": baseline,
                "label_y": y + 12 if layout.stacked else baseline - lane / 2,
                "note_y": baseline - 12 if layout.stacked else baseline - lane / 2,
                "heads": dots.get(LEADER, []),
                "staff": dots.get(STAFF, []),
                "staff_hidden": STAFF not in dots,
                "table": [_histogram_row(group_label(department, r), h) for r, h in groups],
            }
        )
        y = baseline + 12
    return {
        "layout": layout,
        "strips": strips,
        "ticks": charts.score_ticks(layout),
        "height": y + 28,
        "axis_y": y + 6,
        "grid_top": charts.TOP,
        "tick_y": y + 24,
        "per_dot": per_dot,
    }


def _histogram_row(label: str, histogram: tuple[tuple[int, int], ...]) -> Context:
    return {"label": label, "scores": [{"score": s, "n": n} for s, n in histogram]}


def dumbbell_chart(insights: Insights, layout: charts.Layout = charts.WIDE) -> Context:
    """Per statement, sales' and marketing's mean rating joined by a line, largest gap first.

    Wide: the statement's name on the left and its gap on the right of the line; narrow:
    both on a line above it."""
    top, step = (30, 40) if layout.stacked else (26, 24)
    rows = []
    for index, row in enumerate(insights.statements):
        y = top + index * step + (26 if layout.stacked else 12)
        rows.append(
            {
                "y": y,
                "name_y": y - 14,
                "number": row.statement,
                "sales_x": charts.x_of(row.sales.mean, 1, 5, layout),
                "marketing_x": charts.x_of(row.marketing.mean, 1, 5, layout),
                "gap": signed(row.gap),
                "large": row.large_gap,
            }
        )
    height = top + step * len(rows) + 28
    return {
        "layout": layout,
        "rows": rows,
        "ticks": charts.rating_ticks(layout),
        "height": height,
        "axis_y": height - 22,
        "grid_top": 20,
        "tick_y": height - 4,
        "header_y": 14,  # the "Gap" column's heading
        "gap_x": layout.right if layout.stacked else 612,
    }
