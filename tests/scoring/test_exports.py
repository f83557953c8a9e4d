import csv
import io
import json

import pytest
from openpyxl import load_workbook

from survey.models import Respondent
from tests.factories import close, make_respondent, uniform

EXPORTS = ["answers.csv", "answers.xlsx", "summary.csv", "summary.xlsx", "summary.json"]


@pytest.fixture
def small_marketing(round_):
    """k = 5. Sales: head 4s, five staff 3s (shown). Marketing: head 2s, two staff 1s (hidden)."""
    make_respondent(round_, "sales", "leader", uniform(4))
    for _ in range(5):
        make_respondent(round_, "sales", "staff", uniform(3))
    make_respondent(round_, "marketing", "leader", uniform(2))
    for _ in range(2):
        make_respondent(round_, "marketing", "staff", uniform(1))
    for respondent in Respondent.objects.all():
        respondent.name, respondent.email = "Secret Name", f"secret{respondent.pk}@acme.test"
        respondent.save(update_fields=["name", "email"])
    return close(round_)


def rows_of(response) -> list[list[str]]:
    """Any export as a list of rows of strings."""
    body = response.content
    if response["Content-Type"].startswith("text/csv"):
        return list(csv.reader(io.StringIO(body.decode())))
    if response["Content-Type"].startswith("application/json"):
        return [[json.dumps(json.loads(body))]]
    sheet = load_workbook(io.BytesIO(body)).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def get(client, round_, name: str):
    return client.get(f"/rounds/{round_.pk}/{name}")


@pytest.mark.parametrize("name", EXPORTS)
def test_anonymous_visitors_are_sent_to_log_in(client, round_, name):
    assert get(client, round_, name).status_code == 302


@pytest.mark.parametrize("name", EXPORTS)
def test_another_companys_user_gets_a_404(client, small_marketing, outsider, name):
    client.force_login(outsider)
    assert get(client, small_marketing, name).status_code == 404


@pytest.mark.parametrize("name", EXPORTS)
def test_exports_only_answer_get(client, small_marketing, manager, name):
    client.force_login(manager)
    assert client.post(f"/rounds/{small_marketing.pk}/{name}").status_code == 405


@pytest.mark.parametrize("name", EXPORTS)
def test_a_group_below_the_threshold_never_appears_in_any_export(
    client, small_marketing, manager, name
):
    client.force_login(manager)
    response = get(client, small_marketing, name)
    assert response.status_code == 200
    rows = rows_of(response)
    flat = " ".join(" ".join(row) for row in rows)
    assert "Secret" not in flat and "@acme.test" not in flat
    if name.startswith("answers"):
        headers = ["department", "role", "statement", "n1", "n2", "n3", "n4", "n5", "n", "mean"]
        headers += ["hand_delivered_screen", "hand_delivered_shared", "hand_delivered_elsewhere"]
        assert rows[0] == headers + ["company", "round", "published"]
        assert len(rows) == 1 + 3 * 20  # per group and statement, never per person
        by_group = {tuple(row[:3]): row[3:10] for row in rows[1:]}
        assert by_group["sales", "staff", "7"][:-1] == ["0", "0", "5", "0", "0", "5"]
        assert float(by_group["sales", "staff", "7"][-1]) == 3.0
        assert by_group["marketing", "leader", "7"][:-1] == ["0", "1", "0", "0", "0", "1"]
        assert not any(row[:2] == ["marketing", "staff"] for row in rows)
    elif name.startswith("summary.") and name != "summary.json":
        rows = [row[:4] + row[5:6] for row in rows]  # without the statement text and the round
        figures = {tuple(row[:3]) for row in rows[1:]}
        assert ("score", "marketing", "staff") not in figures
        assert ("score", "marketing", "all") not in figures
        assert ("respondents", "marketing", "staff") not in figures  # not even how many
        assert ["shown", "marketing", "staff", "", "0"] in rows
        assert ("score", "sales", "staff") in figures
        assert not any(row[0] in {"combined_level", "gap", "mean"} for row in rows[1:])
    else:
        data = json.loads(response.content)
        staff = data["departments"]["marketing"]["staff"]
        expected = {"respondents": None, "shown": False, "score": None, "type": None}
        assert staff == expected
        assert data["departments"]["marketing"]["total"]["score"] is None
        assert data["combined_level"] is None and data["statements"] == []


def test_filenames_name_the_company_and_the_round(client, small_marketing, manager):
    client.force_login(manager)
    response = get(client, small_marketing, "answers.xlsx")
    expected = f'attachment; filename="acme-round-{small_marketing.pk}-answers.xlsx"'
    assert response["Content-Disposition"] == expected
    response = get(client, small_marketing, "summary.csv")
    assert f"acme-round-{small_marketing.pk}-summary.csv" in response["Content-Disposition"]


def test_results_are_files_only_once_the_round_is_closed(client, round_, manager):
    make_respondent(round_, "sales", "leader", uniform(4))
    client.force_login(manager)
    for name in EXPORTS:
        assert get(client, round_, name).status_code == 404


def test_the_summary_carries_the_dashboards_figures(client, company, manager):
    from tests.insight_factories import answered_round

    round_ = answered_round(company, sales=4, marketing=3)  # 80 and 60
    client.force_login(manager)
    data = json.loads(get(client, round_, "summary.json").content)
    assert data["combined_level"] == 70.0 and data["combined_type"] == "aligned"
    assert data["gap"] == 20.0
    assert data["departments"]["sales"]["total"] == {
        "respondents": 6,
        "shown": True,
        "score": 80.0,
        "type": "integrated",
    }
    assert data["statements"][0] == {
        "number": 1,
        "text": "Our sales results usually come close to the sales forecast.",
        "sales_mean": 4.0,
        "marketing_mean": 3.0,
        "gap": 1.0,
    }
    assert data["round"]["opened"] == round_.opened_at.date().isoformat()
    rows = [row[:4] + row[5:6] for row in rows_of(get(client, round_, "summary.csv"))]
    assert ["combined_level", "", "", "", "70.0"] in rows
    assert ["gap", "", "", "7", "1.0"] in rows


@pytest.mark.parametrize("language", ["en", "vi"])
def test_files_people_can_read(client, company, manager, language):
    """Summary files in the reader's language with the statements' text; Excel with column
    widths, a frozen bold header row and number formats; every file names the company and
    the round and says when the results were published."""
    from django.utils import translation

    from survey.core.statements import STATEMENTS
    from tests.insight_factories import answered_round

    round_ = answered_round(company, sales=4, marketing=3)
    published_at = round_.published.published_at.isoformat(timespec="seconds")
    client.force_login(manager)
    client.cookies["django_language"] = language
    with translation.override(language):
        headers = [str(h) for h in (_("Figure"), _("Statement text"), _("Company"))]
        first = str(STATEMENTS[1])
    if language == "vi":
        assert headers[0] != "Figure" and first != str(STATEMENTS[1])  # really translated

    rows = rows_of(get(client, round_, "summary.csv"))
    assert rows[0][0] == headers[0] and rows[0][4] == headers[1] and rows[0][6] == headers[2]
    gap_1 = next(r for r in rows if r[0] == "gap" and r[3] == "1")
    assert gap_1[4] == first and gap_1[6:] == [company.name, round_.title, published_at]

    body = get(client, round_, "summary.xlsx").content
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold and sheet["A1"].value == headers[0]
    assert 30 <= sheet.column_dimensions["E"].width <= 60  # the statement text
    values = {(r[0].value, r[3].value): r[5] for r in sheet.iter_rows(min_row=2)}
    assert values["gap", 1].value == 1.0 and values["gap", 1].number_format == "0.0"
    assert values["respondents", None].number_format == "0"
    assert sheet.cell(row=2, column=7).value == company.name

    answers = load_workbook(io.BytesIO(get(client, round_, "answers.xlsx").content)).active
    assert answers.freeze_panes == "A2" and answers["J2"].number_format == "0.00"
    assert [c.value for c in answers[2]][-3:] == [company.name, round_.title, published_at]
    assert rows_of(get(client, round_, "answers.csv"))[1][-3:] == [
        company.name,
        round_.title,
        published_at,
    ]

    data = json.loads(get(client, round_, "summary.json").content)
    assert data["company_name"] == company.name and data["round"]["title"] == round_.title
    assert data["round"]["published_at"] == published_at
    assert data["statements"][0]["text"] == first


def _(text: str) -> str:
    from django.utils.translation import gettext

    return gettext(text)
