"""Codes in the files are English whatever the reader's language: a Vietnamese reader's
summary, answers and comments files (CSV and XLSX) and summary.json carry the same
department, role, figure and type codes, the same column keys and the same numbers as an
English reader's; only the summary's headers and the statements' text are translated."""

import csv
import io
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from survey.models import Round, Via
from survey.writes.services import submit_answers
from tests.factories import close, make_respondent, uniform

FIGURES = {
    "shown",
    "respondents",
    "score",
    "type",
    "hand_delivered_screen",
    "hand_delivered_shared",
    "hand_delivered_elsewhere",
    "hand_delivered",
    "anonymity_rests_on",
    "verified_domain",
    "roster_flags",
    "combined_level",
    "combined_type",
    "gap",
    "mean",
}
DEPARTMENTS = {"", "sales", "marketing", "pooled"}
ROLES = {"", "all", "leader", "staff"}
TYPES = {"undefined", "defined", "aligned", "integrated"}
RESTS_ON = {"leaders_word", "verified_domains"}
SUMMARY_TEXT = 4  # the summary's statement text column, in the reader's language
FILES = [
    "summary.csv",
    "summary.xlsx",
    "answers.csv",
    "answers.xlsx",
    "comments.csv",
    "comments.xlsx",
]


@pytest.fixture
def demo_round(client, db):
    """The demo's closed round, and its manager logged in; with a few staff comments, which
    the demo has none of (k = 5 commenters on statement 2 and the open question)."""
    out = StringIO()
    call_command("demo", base_url="http://testserver", stdout=out)
    password = re.search(r"with password (\S+)", out.getvalue()).group(1)
    assert client.login(username="manager@demo.example", password=password)
    round_ = Round.objects.get(title="Spring 2026")
    close(Round.objects.get(title="Autumn 2026"))  # the demo's open round: one at a time
    commented = round_.company.rounds.create(title="Commented")
    for department in ("sales", "marketing"):
        make_respondent(commented, department, "leader", uniform(3))
        for i in range(5):
            respondent, _ = make_respondent(commented, department, "staff")
            # Emailed at the demo's verified domain: they count toward k.
            respondent.email, respondent.claimed_via = f"{department}.{i}@demo.example", Via.EMAIL
            respondent.save(update_fields=["email", "claimed_via"])
            ratings = dict(enumerate(uniform(2 + i % 3), start=1))
            comments = {2: f"{department} note {i}", 0: f"open {i}"}
            submit_answers(respondent=respondent, ratings=ratings, comments=comments)
    close(commented)
    return round_


def rows(client, round_: Round, name: str, language: str) -> list[list[str]]:
    client.cookies["django_language"] = language
    response = client.get(f"/rounds/{round_.pk}/{name}")
    assert response.status_code == 200
    if name.endswith(".csv"):
        return list(csv.reader(io.StringIO(response.content.decode())))
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [["" if v is None else str(v) for v in r] for r in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("name", FILES)
def test_a_vietnamese_readers_files_carry_the_same_codes_and_numbers(client, demo_round, name):
    if name.startswith("comments"):
        demo_round = demo_round.company.rounds.get(title="Commented")
    english, vietnamese = (rows(client, demo_round, name, lang) for lang in ("en", "vi"))
    assert len(english) == len(vietnamese) > 1
    if name.startswith("summary"):
        assert vietnamese[0] != english[0]  # headers for people, in the reader's language
        strip = [SUMMARY_TEXT]
    else:
        assert vietnamese[0] == english[0]  # machine headers, for analysis
        strip = []
    for en_row, vi_row in zip(english[1:], vietnamese[1:], strict=True):
        assert [v for i, v in enumerate(vi_row) if i not in strip] == [
            v for i, v in enumerate(en_row) if i not in strip
        ]
    for row in vietnamese[1:]:
        if name.startswith("summary"):
            figure, department, role = row[:3]
            assert figure in FIGURES and department in DEPARTMENTS and role in ROLES, row
            if figure in {"type", "combined_type"}:
                assert row[5] in TYPES
            if figure == "anonymity_rests_on":
                assert row[5] in RESTS_ON
        else:
            assert row[0] in DEPARTMENTS and row[1] in ROLES, row
    if name == "summary.csv":
        assert any(re.fullmatch(r"\d+\.\d", row[5]) for row in vietnamese[1:])  # 53.0, not 53,0


def test_summary_json_has_english_keys_and_codes_for_a_vietnamese_reader(client, demo_round):
    def fetch(language: str) -> dict:
        client.cookies["django_language"] = language
        return json.loads(client.get(f"/rounds/{demo_round.pk}/summary.json").content)

    english, vietnamese = fetch("en"), fetch("vi")
    texts = [s.pop("text") for s in vietnamese["statements"]]
    assert texts != [s.pop("text") for s in english["statements"]]  # the reader's language
    statement = vietnamese["roster"].pop("statement")
    assert statement != english["roster"].pop("statement")  # the reader's language too
    assert vietnamese["roster"]["anonymity_rests_on"] == "verified_domains"
    assert vietnamese["hand_delivered"]["sales"] == {"screen": 1, "shared": 0, "elsewhere": 1}
    assert vietnamese == english  # every key, code and number
    assert vietnamese["combined_type"] in TYPES
    assert set(vietnamese["departments"]) == {"sales", "marketing"}
