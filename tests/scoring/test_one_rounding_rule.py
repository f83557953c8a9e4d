"""One rounding rule: every figure of a closed round, on its pages and in its summary.json,
summary.csv, summary.xlsx and answers.csv, equals the exact value (worked out here with
fractions from the ratings) rounded once, half away from zero, to one decimal (two for the
answers' means); and every type shown is the type of the figure shown."""

import csv
import io
import json
import re
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import count

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from scoring.advice.labels import TYPE_NAMES
from scoring.core.rounding import rounded, sign
from scoring.core.scores import GroupResult, relationship_type
from tests.factories import close, make_company, make_respondent, make_user

DEPARTMENTS = ("sales", "marketing")
SLUGS = count()


def oracle(value: Fraction, places: int = 1) -> str:
    """The exact value rounded half away from zero, written as the English pages write it."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    shown = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{abs(shown) if shown == 0 else shown}"


def test_the_rule_itself():
    assert rounded(79.95) == 80.0 and rounded(-0.05) == -0.1 and rounded(0.25) == 0.3
    assert rounded(2.675, 2) == 2.68  # the float is 2.67499..., the value people mean is not
    assert rounded(1.6 - 1.75) == -0.2  # a gap computed as -0.1499999...: exactly -0.15
    assert str(rounded(-0.04)) == "0.0" and sign(-0.04) == 0
    shown_as_80 = GroupResult(respondents=3, shown=True, score=79.96, statement_means={})
    assert TYPE_NAMES[shown_as_80.type] == "Integrated"  # the type of the 80.0 shown


ratings = st.lists(st.integers(1, 5), min_size=20, max_size=20)
rounds = st.fixed_dictionaries(
    {
        (d, r): st.lists(ratings, min_size=low, max_size=high)
        for d in DEPARTMENTS
        for r, low, high in (("leader", 0, 2), ("staff", 2, 7))  # k = 3: mostly shown
    }
)


def group_score(rows: list[list[int]]) -> Fraction:
    return Fraction(sum(sum(r) for r in rows), len(rows))


def statement_mean(rows: list[list[int]], statement: int) -> Fraction:
    return Fraction(sum(r[statement - 1] for r in rows), len(rows))


def text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.django_db
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(answers=rounds)
def test_every_figure_agrees_across_the_page_and_every_file(client, answers):
    company = make_company(slug=f"co-{next(SLUGS)}", threshold=3)
    round_ = company.rounds.create(title="Random")
    for (department, role), rows in answers.items():
        for ratings in rows:
            make_respondent(round_, department, role, ratings)
    close(round_)
    client.force_login(make_user(f"boss{round_.pk}@acme.test", company))

    data = json.loads(client.get(f"/rounds/{round_.pk}/summary.json").content)
    summary = list(
        csv.reader(io.StringIO(client.get(f"/rounds/{round_.pk}/summary.csv").content.decode()))
    )
    book = load_workbook(io.BytesIO(client.get(f"/rounds/{round_.pk}/summary.xlsx").content))
    sheet = [[c for c in row] for row in book.active.iter_rows(min_row=2, values_only=True)]
    answers_csv = list(
        csv.reader(io.StringIO(client.get(f"/rounds/{round_.pk}/answers.csv").content.decode()))
    )
    overview = text(client.get(f"/rounds/{round_.pk}/"))
    groups = text(client.get(f"/rounds/{round_.pk}/groups/"))

    def in_files(figure, department, role, statement, expected: str):
        assert [figure, department, role, statement, expected] in [r[:4] + r[5:6] for r in summary]
        match = [
            r[5]
            for r in sheet
            if [v or "" for v in r[:3]] == [figure, department, role]
            and str(r[3] or "") == statement
        ]
        assert (
            len(match) == 1
            and f"{match[0]:.{len(expected.split('.')[1])}f}".replace("-0.0", "0.0") == expected
        )

    scores = {}
    for department in DEPARTMENTS:
        leaders, staff = answers[department, "leader"], answers[department, "staff"]
        groups_of = {"leader": leaders, "staff": staff, "all": leaders + staff}
        for role, key in (("leader", "leaders"), ("staff", "staff"), ("all", "total")):
            shown = data["departments"][department][key]
            if not shown["shown"]:
                continue
            exact = group_score(groups_of[role])
            expected = oracle(exact)
            scores[department, role] = exact
            assert f"{shown['score']:.1f}" == expected
            type_shown = relationship_type(float(expected))
            assert shown["type"] == type_shown.value  # the type of the figure shown
            in_files("score", department, role, "", expected)
            assert ["type", department, role, "", type_shown.value] in [
                r[:4] + r[5:6] for r in summary
            ]
            if role == "all":
                block = re.search(rf'id="dept-{department}">(.*?)</li>', overview).group(1)
                assert (
                    f'<span class="value">{expected} <span class="fw-normal">· {TYPE_NAMES[type_shown]}</span>'
                    in block
                )
            else:
                block = re.search(rf'id="dept-{department}">(.*?)</table>', groups).group(1)
                assert f"<strong>{expected}</strong> · {TYPE_NAMES[type_shown]}" in block
        for role in ("leader", "staff"):
            rows = groups_of[role]
            if (department, role) not in scores:
                continue
            for statement in (1, 20):
                line = next(
                    r for r in answers_csv[1:] if r[:3] == [department, role, str(statement)]
                )
                assert line[9] == oracle(statement_mean(rows, statement), 2)

    if data["combined_level"] is None:
        return
    sales, marketing = scores["sales", "all"], scores["marketing", "all"]
    level, gap = oracle((sales + marketing) / 2), oracle(sales - marketing)
    assert f"{data['combined_level']:.1f}" == level
    level_type = TYPE_NAMES[relationship_type(float(level))]
    assert f'id="combined-level">{level}</span>' in overview
    assert re.search(
        rf'id="combined-level">{re.escape(level)}</span> <span[^>]*>/ 100</span> · <span[^>]*>{level_type}<',
        overview,
    )
    in_files("combined_level", "", "", "", level)
    assert f"{data['gap']:.1f}".replace("-0.0", "0.0") == gap
    in_files("gap", "", "", "", gap)
    if gap == "0.0":
        assert "Sales and marketing rate the relationship the same." in overview
    else:
        assert f"Sales rates the relationship {gap.lstrip('-')} points" in overview

    statements = text(client.get(f"/rounds/{round_.pk}/statements/"))
    table = dict(
        (int(n), (s, m, g))
        for n, s, m, g in re.findall(
            r"<tr> <td>(\d+)</td>.*?<td>([\d.]+)</td> <td>([\d.]+)</td> <td[^>]*>([+\d.-]+)</td>",
            statements,
        )
    )
    assert len(table) == 20
    everyone = {d: answers[d, "leader"] + answers[d, "staff"] for d in DEPARTMENTS}
    for statement in range(1, 21):
        s_mean, m_mean = (statement_mean(everyone[d], statement) for d in DEPARTMENTS)
        s, m, g = oracle(s_mean), oracle(m_mean), oracle(s_mean - m_mean)
        signed = ("+" + g) if float(g) > 0 else g
        assert table[statement] == (s, m, signed)
        assert "+0.0" not in signed and "-0.0" not in signed
        in_files("mean", "sales", "all", str(statement), s)
        in_files("gap", "", "", str(statement), g)
        json_row = data["statements"][statement - 1]
        assert (
            f"{json_row['sales_mean']:.1f}",
            f"{json_row['gap']:.1f}".replace("-0.0", "0.0"),
        ) == (s, g)
