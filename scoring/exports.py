"""A closed round's published results as tables, and those tables as files.

Everything comes from the results published at close (scoring.published), which hold only
the groups that may be shown: no file has a row per person. The answers file says, per
department, role and statement, how many gave each rating 1 to 5, and the mean; the
summary carries only the figures the RoundScore holds. No names, emails, tokens or times:
the only dates are the round's, to the day.
"""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook

from scoring.core import DEPARTMENTS, LEADER, STAFF, GroupResult, RoundScore
from scoring.presenters import one_decimal
from scoring.published import Published, distribution_rows
from survey.models import Round

Row = list[object]
Table = tuple[list[str], list[Row]]

ANSWER_HEADERS = ["department", "role", "statement", "n1", "n2", "n3", "n4", "n5", "n", "mean"]
SUMMARY_HEADERS = ["figure", "department", "role", "statement", "value"]
ALL_ROLES = "all"


def shown(value: float | None) -> float | None:
    """Rounded to one decimal, as the dashboard shows it."""
    return None if value is None else one_decimal(value)


def groups_of(result: RoundScore) -> list[tuple[str, str, GroupResult]]:
    """(department, role, result) of every group, "all" being the department's total."""
    rows = []
    for name in DEPARTMENTS:
        department = result.department(name)
        rows += [
            (name, ALL_ROLES, department.total),
            (name, LEADER, department.leaders),
            (name, STAFF, department.staff),
        ]
    return rows


def answer_table(result: Published) -> Table:
    """Per published group and statement: how many gave each rating 1..5, n and the mean."""
    rows: list[Row] = []
    for department, role, statement, counts in distribution_rows(result):
        n = sum(counts)
        mean = sum(rating * c for rating, c in enumerate(counts, start=1)) / n
        rows.append([department, role, statement, *counts, n, round(mean, 2)])
    return ANSWER_HEADERS, rows


def summary_table(result: RoundScore, published: Published) -> Table:
    """The dashboard's figures, one per row: figure, department, role, statement, value.

    "respondents" is how many answered in a shown group; a hidden group has no row at all
    but its "shown" flag. "screen" and "shared" count the staff answers that came through
    links shown on screen and through the shared link.
    """
    rows: list[Row] = []
    for department, role, group in groups_of(result):
        rows.append(["shown", department, role, "", int(group.shown)])
        if group.shown:
            rows.append(["respondents", department, role, "", group.respondents])
            rows.append(["score", department, role, "", shown(group.score)])
            rows.append(["type", department, role, "", group.type.value if group.type else ""])
    for department, sources in sorted(published.sources.items()):
        for via, n in sorted(sources.items()):
            rows.append([via, department, STAFF, "", n])
    if result.combined_level is not None:
        rows.append(["combined_level", "", "", "", shown(result.combined_level)])
        rows.append(["combined_type", "", "", "", result.combined_type.value])  # type: ignore[union-attr]
        rows.append(["gap", "", "", "", shown(result.gap)])
    for g in sorted(result.statement_gaps, key=lambda g: g.statement):
        rows.append(["mean", "sales", ALL_ROLES, g.statement, shown(g.sales_mean)])
        rows.append(["mean", "marketing", ALL_ROLES, g.statement, shown(g.marketing_mean)])
        rows.append(["gap", "", "", g.statement, shown(g.gap)])
    return SUMMARY_HEADERS, rows


def summary_json(round: Round, result: RoundScore, published: Published) -> dict:
    """The same figures, nested; a group that is not shown has no count, score or type."""

    def group(g: GroupResult) -> dict:
        return {
            "respondents": g.respondents if g.shown else None,
            "shown": g.shown,
            "score": shown(g.score),
            "type": g.type.value if g.type else None,
        }

    return {
        "company": round.company.slug,
        "round": {
            "id": round.pk,
            "title": round.title,
            "opened": round.opened_at.date().isoformat(),
            "closed": round.closed_at.date().isoformat() if round.closed_at else None,
            "published": published.published_at.date().isoformat(),
        },
        "answers_through": published.sources,
        "anonymity_threshold": result.threshold,
        "combined_level": shown(result.combined_level),
        "combined_type": result.combined_type.value if result.combined_type else None,
        "gap": shown(result.gap),
        "departments": {
            name: {
                "total": group(result.department(name).total),
                "leaders": group(result.department(name).leaders),
                "staff": group(result.department(name).staff),
            }
            for name in DEPARTMENTS
        },
        "statements": [
            {
                "number": g.statement,
                "sales_mean": shown(g.sales_mean),
                "marketing_mean": shown(g.marketing_mean),
                "gap": shown(g.gap),
            }
            for g in sorted(result.statement_gaps, key=lambda g: g.statement)
        ],
    }


def filename(round: Round, what: str, extension: str) -> str:
    return f"{round.company.slug}-round-{round.pk}-{what}.{extension}"


def csv_response(table: Table, name: str) -> HttpResponse:
    headers, rows = table
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(headers)
    writer.writerows(rows)
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(table: Table, name: str, sheet: str) -> HttpResponse:
    headers, rows = table
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    worksheet.append(headers)
    for row in rows:
        worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
