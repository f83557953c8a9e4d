"""A closed round's published results as tables, and those tables as files.

Everything comes from the results published at close (scoring.results.published), which hold only
the groups that may be shown: no file has a row per person. The answers file says, per
department, role and statement, how many gave each rating 1 to 5, and the mean; the
summary carries only the figures the RoundScore holds. No names, emails, tokens or times
of answers: the only dates are the round's, to the day, and when its results were published.

Every file names the company and the round and says when the results were published (three
last columns of the tables, keys of the JSON). The summary files are for people: headers and
statement texts in the reader's language, figures rounded as on the pages (one decimal).
The answers files are for analysis: machine headers, means to two decimals, the same rule
(scoring.core.rounding).
"""

import csv
import io
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from scoring.core.disclosure import POOLED
from scoring.core.rounding import ANALYSIS, PAGE, rounded, rounded_or_none
from scoring.core.scores import DEPARTMENTS, LEADER, STAFF, GroupResult, RoundScore
from scoring.pages.anchoring import HAND_DELIVERED, roster_statement
from scoring.results.published import SOURCES, Published, Roster, distribution_rows
from survey.core.statements import STATEMENTS
from survey.models import Round

Row = list[object]
Table = tuple[list[str], list[Row]]

# Of a staff row's n, the answers that did not count toward k, by how they came
# (scoring.results.published.SOURCES); empty on heads' rows and rounds published before.
HAND_DELIVERED_HEADERS = [f"{HAND_DELIVERED}_{via}" for via in SOURCES]
ANSWER_HEADERS = [
    "department",
    "role",
    "statement",
    "n1",
    "n2",
    "n3",
    "n4",
    "n5",
    "n",
    "mean",
    *HAND_DELIVERED_HEADERS,
]
# What a round's threshold rested on (the summary's "anonymity_rests_on" row).
LEADERS_WORD, VERIFIED_DOMAINS = "leaders_word", "verified_domains"
ABOUT_HEADERS = ["company", "round", "published"]
ALL_ROLES = "all"
ONE_DECIMAL = {"score", "combined_level", "gap", "mean"}  # summary figures with a decimal


def summary_headers() -> list[str]:
    return [
        _("Figure"),
        _("Department"),
        _("Role"),
        _("Statement"),
        _("Statement text"),
        _("Value"),
        *about_headers(),
    ]


def about_headers() -> list[str]:
    return [_("Company"), _("Round"), _("Published")]


def shown(value: float | None) -> float | None:
    """Rounded to one decimal, as the pages show it."""
    return rounded_or_none(value, PAGE)


def about(round: Round, published: Published) -> list[object]:
    """Which company and round, and when its results were published: the last columns."""
    return [round.company.name, round.title, published.published_at.isoformat(timespec="seconds")]


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


def hand_delivered(published: Published, department: str, role: str) -> list[object]:
    """A group's answers that did not count toward k, by how they came: staff rows of a
    round published with its roster; empty cells otherwise."""
    if role != STAFF or published.roster is None:
        return [""] * len(SOURCES)
    return list(handed_counts(published, department).values())


def handed_counts(published: Published, department: str) -> dict[str, int]:
    """{"screen": n, "shared": n, "elsewhere": n} of a department's shown staff group."""
    sources = published.sources.get(department, {})
    return {via: sources.get(via, 0) for via in SOURCES}


def answer_table(round: Round, result: Published) -> Table:
    """Per published group and statement: how many gave each rating 1..5, n, the mean, and
    how many of the n were hand-delivered (did not count toward k), by how."""
    rows: list[Row] = []
    tail = about(round, result)
    for department, role, statement, counts in distribution_rows(result):
        n = sum(counts)
        mean = sum(rating * c for rating, c in enumerate(counts, start=1)) / n
        handed = hand_delivered(result, department, role)
        rows.append(
            [department, role, statement, *counts, n, rounded(mean, ANALYSIS), *handed, *tail]
        )
    return ANSWER_HEADERS + ABOUT_HEADERS, rows


def roster_rows(published: Published, threshold: int) -> list[Row]:
    """On what the threshold rested: "anonymity_rests_on" (leaders_word or
    verified_domains, its plain statement in the text column), each verified domain, and
    per department the staff who flagged their list. None before the roster existed."""
    roster = published.roster
    if roster is None:
        return []
    rests_on = LEADERS_WORD if roster.on_leaders_word else VERIFIED_DOMAINS
    rows: list[Row] = [
        ["anonymity_rests_on", "", "", roster_statement(roster, threshold), rests_on]
    ]
    rows += [["verified_domain", "", "", "", domain] for domain in roster.domains]
    rows += [
        ["roster_flags", department, STAFF, "", n]
        for department, n in sorted(roster.flags.items())
        if n
    ]
    return rows


def summary_table(round: Round, result: RoundScore, published: Published) -> Table:
    """The dashboard's figures, one per row: figure, department, role, statement, value.

    "respondents" is how many answered in a shown group; a hidden group has no row at all
    but its "shown" flag. "hand_delivered_screen", "_shared" and "_elsewhere" count a shown
    staff group's answers that did not count toward k (links shown on screen, the shared
    link, addresses outside the verified domains); "respondents" and "hand_delivered" of
    department "pooled", the small-team view's. Rounds published before the roster existed
    keep "screen" and "shared". Then the roster rows (`roster_rows`). Each row carries the
    statement's text in the reader's language, when it is about a statement (or the
    roster's statement), and the file's `about` columns.
    """
    rows: list[Row] = []
    for department, role, group in groups_of(result):
        rows.append(["shown", department, role, "", int(group.shown)])
        if group.shown:
            rows.append(["respondents", department, role, "", group.respondents])
            rows.append(["score", department, role, "", shown(group.score)])
            rows.append(["type", department, role, "", group.type.value if group.type else ""])
    if published.roster is None:
        for department, sources in sorted(published.sources.items()):
            for via, n in sorted(sources.items()):
                rows.append([via, department, STAFF, "", n])
    else:
        for department in DEPARTMENTS:
            if (department, STAFF) in published.respondents:
                for via, n in handed_counts(published, department).items():
                    rows.append([f"{HAND_DELIVERED}_{via}", department, STAFF, "", n])
    if published.pooled is not None:
        rows.append(["respondents", POOLED, STAFF, "", published.pooled.respondents])
        if published.roster is not None:
            rows.append([HAND_DELIVERED, POOLED, STAFF, "", published.pooled.hand_delivered])
    if result.combined_level is not None:
        rows.append(["combined_level", "", "", "", shown(result.combined_level)])
        rows.append(["combined_type", "", "", "", result.combined_type.value])  # type: ignore[union-attr]
        rows.append(["gap", "", "", "", shown(result.gap)])
    for g in sorted(result.statement_gaps, key=lambda g: g.statement):
        rows.append(["mean", "sales", ALL_ROLES, g.statement, shown(g.sales_mean)])
        rows.append(["mean", "marketing", ALL_ROLES, g.statement, shown(g.marketing_mean)])
        rows.append(["gap", "", "", g.statement, shown(g.gap)])
    tail = about(round, published)
    table = [
        [*row[:4], str(STATEMENTS[row[3]]) if isinstance(row[3], int) else "", row[4], *tail]
        for row in rows
    ]
    table += [
        [*row[:3], "", row[3], row[4], *tail] for row in roster_rows(published, result.threshold)
    ]
    return summary_headers(), table


def roster_json(published: Published, threshold: int) -> dict[str, object] | None:
    """The roster as summary.json carries it: codes, and its statement in the reader's
    language; None for a round published before the roster existed."""
    roster: Roster | None = published.roster
    if roster is None:
        return None
    return {
        "anonymity_rests_on": LEADERS_WORD if roster.on_leaders_word else VERIFIED_DOMAINS,
        "verified_domains": list(roster.domains),
        "flags": {department: n for department, n in sorted(roster.flags.items()) if n},
        "statement": roster_statement(roster, threshold),
    }


def hand_delivered_json(published: Published) -> dict[str, dict[str, int]] | None:
    """Per shown staff group (and "pooled"), the answers that did not count toward k."""
    if published.roster is None:
        return None
    found: dict[str, dict[str, int]] = {
        department: handed_counts(published, department)
        for department in DEPARTMENTS
        if (department, STAFF) in published.respondents
    }
    if published.pooled is not None:
        found[POOLED] = {"total": published.pooled.hand_delivered}
    return found


def summary_json(round: Round, result: RoundScore, published: Published) -> dict[str, object]:
    """The same figures, nested; a group that is not shown has no count, score or type."""

    def group(g: GroupResult) -> dict[str, object]:
        return {
            "respondents": g.respondents if g.shown else None,
            "shown": g.shown,
            "score": shown(g.score),
            "type": g.type.value if g.type else None,
        }

    return {
        "company": round.company.slug,
        "company_name": round.company.name,
        "round": {
            "id": round.pk,
            "title": round.title,
            "opened": round.opened_at.date().isoformat(),
            "closed": round.closed_at.date().isoformat() if round.closed_at else None,
            "published": published.published_at.date().isoformat(),
            "published_at": published.published_at.isoformat(timespec="seconds"),
        },
        "answers_through": published.sources if published.roster is None else None,
        "hand_delivered": hand_delivered_json(published),
        "pooled_respondents": published.pooled.respondents if published.pooled else None,
        "roster": roster_json(published, result.threshold),
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
                "text": str(STATEMENTS[g.statement]),
                "sales_mean": shown(g.sales_mean),
                "marketing_mean": shown(g.marketing_mean),
                "gap": shown(g.gap),
            }
            for g in sorted(result.statement_gaps, key=lambda g: g.statement)
        ],
    }


def filename(round: Round, what: str, extension: str) -> str:
    return f"{round.company.slug}-round-{round.pk}-{what}.{extension}"


def csv_response(table: Table, name: str, places: int = PAGE) -> HttpResponse:
    """The table as CSV, every figure (a float: already rounded) with `places` decimals."""
    headers, rows = table
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(headers)
    writer.writerows(
        [f"{v:.{places}f}" if isinstance(v, float) else v for v in row] for row in rows
    )
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True, kw_only=True)
class Sheet:
    """How a table looks in Excel: its name, and the number format of each column (by
    header index; None: general), with the value column's format chosen per row."""

    name: str
    formats: dict[int, str]
    value_column: int | None = None  # the summary's value column: "0.0" or "0" per figure


# Counts "0" (statement, n1..n5, n, the hand-delivered counts), the mean "0.00".
ANSWERS_SHEET = Sheet(
    name="answers", formats={i: "0" for i in range(2, len(ANSWER_HEADERS))} | {9: "0.00"}
)
SUMMARY_SHEET = Sheet(name="summary", formats={3: "0"}, value_column=5)
COMMENTS_SHEET = Sheet(name="comments", formats={})
WIDEST = 60  # characters: statement texts wrap at this width


def _cell(
    worksheet: WriteOnlyWorksheet, value: object, number_format: str | None, bold: bool = False
) -> WriteOnlyCell:
    cell = WriteOnlyCell(worksheet, value=value)
    if number_format and isinstance(value, int | float) and not isinstance(value, bool):
        cell.number_format = number_format
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_response(table: Table, name: str, sheet: Sheet, title: str = "") -> HttpResponse:
    """The table as one sheet: bold frozen header row, column widths that fit the content
    (statement texts up to WIDEST characters), and number formats: counts "0", figures as
    rounded ("0.0" on the summary, "0.00" for the answers' means)."""
    headers, rows = table
    workbook = Workbook(write_only=True)
    workbook.properties.title = title or name
    worksheet = workbook.create_sheet(sheet.name)
    worksheet.freeze_panes = "A2"
    for index, header in enumerate(headers):
        longest = max(
            [len(str(header))] + [len(str(row[index])) for row in rows if row[index] is not None]
        )
        worksheet.column_dimensions[get_column_letter(index + 1)].width = min(WIDEST, longest + 2)
    worksheet.append([_cell(worksheet, h, None, bold=True) for h in headers])
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            number_format = sheet.formats.get(index)
            if index == sheet.value_column:
                number_format = "0.0" if row[0] in ONE_DECIMAL else "0"
            cells.append(_cell(worksheet, value, number_format))
        worksheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
