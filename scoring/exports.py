"""Anonymised answers and the round's summary as tables, and those tables as files.

Every anonymity decision is core's: a respondent's row is exported only when their group
(department and role) is shown by `score_round`, and the summary carries only the figures
the RoundScore holds. No names, emails, tokens or times: the only date is the round's,
to the day. Rows are sorted by their content, so their order says nothing about who
answered first.
"""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook

from scoring.core import DEPARTMENTS, LEADER, STAFF, STATEMENT_COUNT, GroupResult, RoundScore
from scoring.models import GroupRelease
from scoring.presenters import one_decimal
from survey.models import Round

Row = list[object]
Table = tuple[list[str], list[Row]]

NUMBERS = range(1, STATEMENT_COUNT + 1)
ANSWER_HEADERS = ["department", "role", *(f"s{n}" for n in NUMBERS), "score"]
SUMMARY_HEADERS = ["figure", "department", "role", "statement", "value"]
ALL_ROLES = "all"
Answered = dict[tuple[str, str], int]  # submitted respondents per (department, role)


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


def answer_table(round: Round, result: RoundScore) -> Table:
    """One row per counted respondent of a shown group: department, role, 20 ratings, score.

    The rows are the published answers (scoring.releases), not the current ones, so they
    add up to the dashboard's figures exactly and change only when it does: a counted
    person's later change never shows up as one row changing between two downloads.
    """
    shown_groups = {(d, r) for d, r, group in groups_of(result) if group.shown and r != ALL_ROLES}
    releases = GroupRelease.objects.filter(round=round).values_list("department", "role", "people")
    rows: list[Row] = [
        [department, role, *map(int, ratings), sum(map(int, ratings))]
        for department, role, people in releases
        if (department, role) in shown_groups
        for ratings, _ in people.values()
    ]
    return ANSWER_HEADERS, sorted(rows)  # type: ignore[type-var]


def answered_in(answered: Answered, department: str, role: str) -> int:
    """How many have submitted in a group ("all": both roles), as the dashboard says."""
    roles = (LEADER, STAFF) if role == ALL_ROLES else (role,)
    return sum(answered.get((department, r), 0) for r in roles)


def summary_table(result: RoundScore, answered: Answered) -> Table:
    """The dashboard's figures, one per row: figure, department, role, statement, value.

    "answered" is how many have submitted; "respondents" how many the figures count.
    """
    rows: list[Row] = []
    for department, role, group in groups_of(result):
        rows.append(["answered", department, role, "", answered_in(answered, department, role)])
        rows.append(["respondents", department, role, "", group.respondents])
        if group.shown:
            rows.append(["score", department, role, "", shown(group.score)])
            rows.append(["type", department, role, "", group.type.value if group.type else ""])
    if result.combined_level is not None:
        rows.append(["combined_level", "", "", "", shown(result.combined_level)])
        rows.append(["combined_type", "", "", "", result.combined_type.value])  # type: ignore[union-attr]
        rows.append(["gap", "", "", "", shown(result.gap)])
    for g in sorted(result.statement_gaps, key=lambda g: g.statement):
        rows.append(["mean", "sales", ALL_ROLES, g.statement, shown(g.sales_mean)])
        rows.append(["mean", "marketing", ALL_ROLES, g.statement, shown(g.marketing_mean)])
        rows.append(["gap", "", "", g.statement, shown(g.gap)])
    return SUMMARY_HEADERS, rows


def summary_json(round: Round, result: RoundScore, answered: Answered) -> dict:
    """The same figures, nested; a group that is not shown has a null score and type."""

    def group(g: GroupResult, department: str, role: str) -> dict:
        return {
            "answered": answered_in(answered, department, role),
            "respondents": g.respondents,
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
        },
        "anonymity_threshold": result.threshold,
        "combined_level": shown(result.combined_level),
        "combined_type": result.combined_type.value if result.combined_type else None,
        "gap": shown(result.gap),
        "departments": {
            name: {
                "total": group(result.department(name).total, name, ALL_ROLES),
                "leaders": group(result.department(name).leaders, name, LEADER),
                "staff": group(result.department(name).staff, name, STAFF),
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
