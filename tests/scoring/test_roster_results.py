"""The published results say on what the anonymity rested, through the real pages and files.

Beside every shown staff figure: how many of its answers did not count toward k, by how
they came (a link shown on screen, the shared link, an address outside the verified
domains), on the overview, the groups, statements and spread tabs, the printed cover, the
pooled small-team view and every file. The roster statement (the leaders' word, or the
verified domains) on the overview, the print cover, the summary files and the staff's
results page. The staff's flags on their list, on that department's results, and on the
record only once the round is closed. A round published before all this reads as before.
"""

import csv
import io
import json
import re
from html import unescape

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from scoring.models import PublishedResult
from survey.models import AuditEvent, CompanyDomain, Respondent, SurveyLink, Via
from survey.writes.services import new_link, submit_answers
from tests.factories import close, make_user, uniform

VERIFIED = "Only people emailed at acme.com counted toward the threshold of 3 people."
LEADERS_WORD = (
    "The leaders chose the addresses the survey went to, and no company domain was verified: "
    "the anonymity of staff rests on the leaders' word that every address belongs to a real "
    "colleague."
)
SALES_HANDED = (
    "Includes 2 answers that did not count toward the threshold: 1 through a link shown on "
    "screen, 1 from an address outside acme.com."
)
MARKETING_HANDED = (
    "Includes 1 answer that did not count toward the threshold: 1 through the shared link."
)
SALES_FLAGS = (
    "2 Sales staff said they did not recognise someone in the list of names they were "
    "counted among."
)


def answered(round_, department, role="staff", rating=3, *, email="", via=Via.EMAIL, flag=False):
    """Someone who answered, having started through `via` (an emailed link by default)."""
    respondent = Respondent.objects.create(
        round=round_,
        department=department,
        role=role,
        email=email,
        claimed_via=via,
        flagged_roster=flag,
    )
    submit_answers(respondent=respondent, ratings=dict(enumerate(uniform(rating), start=1)))
    return respondent


def verify(company, domain="acme.com"):
    now = timezone.now()
    return CompanyDomain.objects.create(
        company=company, domain=domain, verified_at=now, checked_at=now
    )


def text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def by_id(html: str, id_: str) -> str:
    """The text of the element with this id (no element of the same tag inside it)."""
    found = re.search(rf'<(\w+)[^>]*\bid="{id_}"[^>]*>(.*?)</\1>', html)
    assert found, id_
    return unescape(re.sub(r"<[^>]+>", "", found.group(2))).strip()


def table(client, round_, name: str) -> list[list[str]]:
    response = client.get(f"/rounds/{round_.pk}/{name}")
    assert response.status_code == 200
    if name.endswith(".csv"):
        return list(csv.reader(io.StringIO(response.content.decode())))
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [["" if v is None else str(v) for v in r] for r in sheet.iter_rows(values_only=True)]


def staff_results_page(round_, department="sales") -> str:
    """The staff's results page, as someone invited by e-mail opens it after the close."""
    respondent = Respondent.objects.create(
        round=round_, department=department, email=f"late.reader@{department}.test"
    )
    link, token = new_link(respondent, SurveyLink.Kind.EMAIL)
    link.save()
    return text(Client().get(f"/s/{token}/", follow=True))


@pytest.fixture
def leader(company):
    client = Client()
    client.force_login(make_user("boss@acme.com", company))
    return client


@pytest.fixture
def verified_round(company):
    """acme.com verified, k = 3: sales staff 3 counted + 1 screen + 1 outside acme.com,
    marketing staff 3 counted + 1 shared; one head each."""
    verify(company)
    round_ = company.rounds.create(title="Spring", anonymity_threshold=3)
    for department in ("sales", "marketing"):
        answered(round_, department, "leader", 4, email=f"head.{department}@acme.com")
        for i in range(3):
            answered(round_, department, rating=2 + i, email=f"{department}.{i}@acme.com")
    answered(round_, "sales", rating=5, email="s.screen@acme.com", via=Via.SCREEN)
    answered(round_, "sales", rating=1, email="planted@boss.test")
    answered(round_, "marketing", rating=4, via=Via.SHARED)
    close(round_)
    return round_


def test_hand_delivered_answers_stand_beside_the_figures_on_every_page(leader, verified_round):
    base = f"/rounds/{verified_round.pk}/"
    overview = text(leader.get(base))
    assert by_id(overview, "sources-sales") == SALES_HANDED
    assert by_id(overview, "sources-marketing") == MARKETING_HANDED
    assert by_id(overview, "cover-sources-sales") == f"Sales: {SALES_HANDED}"  # in print
    assert by_id(overview, "cover-sources-marketing") == f"Marketing: {MARKETING_HANDED}"
    groups = text(leader.get(base + "groups/"))
    assert by_id(groups, "sources-sales") == SALES_HANDED
    assert by_id(groups, "sources-marketing") == MARKETING_HANDED
    for tab in ("statements/", "spread/"):
        page = text(leader.get(base + tab))
        assert by_id(page, "hand-delivered-sales") == f"Sales: {SALES_HANDED}", tab
        assert by_id(page, "hand-delivered-marketing") == f"Marketing: {MARKETING_HANDED}"
        assert by_id(page, "cover-sources-sales") == f"Sales: {SALES_HANDED}"


def test_hand_delivered_answers_are_in_every_file_under_stable_codes(leader, verified_round):
    expected = {
        ("hand_delivered_screen", "sales"): "1",
        ("hand_delivered_shared", "sales"): "0",
        ("hand_delivered_elsewhere", "sales"): "1",
        ("hand_delivered_screen", "marketing"): "0",
        ("hand_delivered_shared", "marketing"): "1",
        ("hand_delivered_elsewhere", "marketing"): "0",
    }
    for name in ("summary.csv", "summary.xlsx"):
        rows = table(leader, verified_round, name)
        found = {(r[0], r[1]): r[5] for r in rows[1:] if r[0].startswith("hand_delivered")}
        assert found == expected, name
        assert ["respondents", "sales", "staff", "", "", "5"] == rows[1:][
            [r[:3] for r in rows[1:]].index(["respondents", "sales", "staff"])
        ][:6]
    data = json.loads(leader.get(f"/rounds/{verified_round.pk}/summary.json").content)
    assert data["hand_delivered"] == {
        "sales": {"screen": 1, "shared": 0, "elsewhere": 1},
        "marketing": {"screen": 0, "shared": 1, "elsewhere": 0},
    }
    for name in ("answers.csv", "answers.xlsx"):
        rows = table(leader, verified_round, name)
        header = rows[0]
        columns = [header.index(f"hand_delivered_{v}") for v in ("screen", "shared", "elsewhere")]
        for row in rows[1:]:
            handed = [row[i] for i in columns]
            if row[1] == "leader":
                assert handed == ["", "", ""], row
            elif row[0] == "sales":
                assert handed == ["1", "0", "1"] and row[8] == "5", row
            else:
                assert handed == ["0", "1", "0"] and row[8] == "4", row


def test_a_vietnamese_reader_reads_the_same_counts_in_vietnamese(leader, verified_round):
    leader.cookies["django_language"] = "vi"
    overview = text(leader.get(f"/rounds/{verified_round.pk}/"))
    assert by_id(overview, "sources-sales") == (
        "Gồm cả 2 câu trả lời không được tính vào ngưỡng: 1 qua đường dẫn hiển thị trên màn "
        "hình, 1 từ địa chỉ ngoài acme.com."
    )
    assert "Chỉ những người được gửi email tại acme.com" in by_id(overview, "roster-statement")


def test_the_verified_domains_are_stated_on_the_results_and_in_the_files(leader, verified_round):
    overview = text(leader.get(f"/rounds/{verified_round.pk}/"))
    assert by_id(overview, "roster-statement") == VERIFIED
    assert by_id(overview, "cover-roster") == VERIFIED
    assert LEADERS_WORD not in overview
    assert by_id(staff_results_page(verified_round), "roster-statement") == VERIFIED
    data = json.loads(leader.get(f"/rounds/{verified_round.pk}/summary.json").content)
    assert data["roster"] == {
        "anonymity_rests_on": "verified_domains",
        "verified_domains": ["acme.com"],
        "flags": {},
        "statement": VERIFIED,
    }
    rows = table(leader, verified_round, "summary.csv")
    assert ["anonymity_rests_on", "", "", "", VERIFIED, "verified_domains"] in [r[:6] for r in rows]
    assert ["verified_domain", "", "", "", "", "acme.com"] in [r[:6] for r in rows]


@pytest.fixture
def word_round(company):
    """No verified domain, k = 3: three emailed staff per department, two of sales flagged
    the list of names; a fourth marketing person flagged too but marketing's heads only."""
    round_ = company.rounds.create(title="Spring", anonymity_threshold=3)
    for department in ("sales", "marketing"):
        answered(round_, department, "leader", 4)
        for i in range(3):
            answered(round_, department, rating=3, flag=department == "sales" and i < 2)
    return round_


def test_on_the_leaders_word_the_results_say_so_to_leaders_and_staff(leader, word_round):
    close(word_round)
    overview = text(leader.get(f"/rounds/{word_round.pk}/"))
    assert by_id(overview, "roster-statement") == LEADERS_WORD
    assert by_id(overview, "cover-roster") == LEADERS_WORD  # in print
    assert by_id(text(leader.get(f"/rounds/{word_round.pk}/groups/")), "roster-statement") == (
        LEADERS_WORD
    )
    assert by_id(staff_results_page(word_round), "roster-statement") == LEADERS_WORD
    data = json.loads(leader.get(f"/rounds/{word_round.pk}/summary.json").content)
    assert data["roster"]["anonymity_rests_on"] == "leaders_word"
    assert data["roster"]["statement"] == LEADERS_WORD
    for name in ("summary.csv", "summary.xlsx"):
        rows = table(leader, word_round, name)
        assert ["anonymity_rests_on", "", "", "", LEADERS_WORD, "leaders_word"] in [
            r[:6] for r in rows
        ], name


def test_flags_are_shown_on_their_group_and_on_the_record_only_after_the_close(leader, word_round):
    manage = text(leader.get(f"/rounds/{word_round.pk}/manage/"))
    assert "did not recognise" not in manage
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ROSTER_FLAGGED).exists()

    close(word_round)
    overview = text(leader.get(f"/rounds/{word_round.pk}/"))
    assert by_id(overview, "flags-sales") == SALES_FLAGS
    assert 'id="flags-marketing"' not in overview
    assert SALES_FLAGS in by_id(overview, "cover-sources-sales")
    groups = text(leader.get(f"/rounds/{word_round.pk}/groups/"))
    assert by_id(groups, "flags-sales") == SALES_FLAGS and 'id="flags-marketing"' not in groups
    assert by_id(staff_results_page(word_round), "flags-sales") == SALES_FLAGS
    [event] = AuditEvent.objects.filter(action=AuditEvent.Action.ROSTER_FLAGGED)
    assert (event.round, event.detail) == (word_round, "sales: 2")
    manage = text(leader.get(f"/rounds/{word_round.pk}/manage/"))
    assert "staff did not recognise someone in a list" in manage and "sales: 2" in manage
    rows = table(leader, word_round, "summary.csv")
    assert [r[:6] for r in rows if r[0] == "roster_flags"] == [
        ["roster_flags", "sales", "staff", "", "", "2"]
    ]
    data = json.loads(leader.get(f"/rounds/{word_round.pk}/summary.json").content)
    assert data["roster"]["flags"] == {"sales": 2}


def test_a_flag_in_a_group_not_shown_is_nowhere(leader, company):
    """A flag in a group below k would tell that someone of it answered: it is not kept."""
    round_ = company.rounds.create(title="Spring", anonymity_threshold=3)
    answered(round_, "sales", flag=True)  # one sales staff answer: below k
    answered(round_, "marketing", "leader", flag=True)  # a head: heads have no list
    for _ in range(3):
        answered(round_, "marketing")
    close(round_)
    for page in ("", "groups/"):
        assert "did not recognise" not in text(leader.get(f"/rounds/{round_.pk}/{page}"))
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ROSTER_FLAGGED).exists()
    data = json.loads(leader.get(f"/rounds/{round_.pk}/summary.json").content)
    assert data["roster"]["flags"] == {}


def test_a_round_without_flags_puts_none_on_the_record(leader, verified_round):
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ROSTER_FLAGGED).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CLOSED).count() == 1


def test_the_pooled_small_team_view_counts_its_hand_delivered_answers(leader, company):
    verify(company)
    round_ = company.rounds.create(title="Spring", anonymity_threshold=5)
    for i in range(3):
        answered(round_, "sales", email=f"s{i}@acme.com")
    answered(round_, "sales", via=Via.SCREEN)
    for i in range(2):
        answered(round_, "marketing", email=f"m{i}@acme.com")
    answered(round_, "marketing", email="m@elsewhere.test")
    close(round_)
    overview = text(leader.get(f"/rounds/{round_.pk}/"))
    assert "n = 7" in by_id(overview, "pooled-level")
    assert by_id(overview, "pooled-sources").startswith(
        "Includes 2 answers that did not count toward the threshold (through links shown"
    )
    rows = [r[:6] for r in table(leader, round_, "summary.csv")]
    assert ["respondents", "pooled", "staff", "", "", "7"] in rows
    assert ["hand_delivered", "pooled", "staff", "", "", "2"] in rows
    data = json.loads(leader.get(f"/rounds/{round_.pk}/summary.json").content)
    assert data["hand_delivered"] == {"pooled": {"total": 2}}
    assert data["pooled_respondents"] == 7


def test_a_round_published_before_the_roster_reads_as_it_did(leader, company):
    """Point 8's migration: PublishedResult.roster is None on rows published before it,
    whose sources counted only screen and shared links among the counted answers."""
    round_ = company.rounds.create(title="Old", anonymity_threshold=3)
    for department in ("sales", "marketing"):
        for _ in range(3):
            answered(round_, department)
    close(round_)
    PublishedResult.objects.filter(round=round_).update(
        roster=None, sources={"sales": {"screen": 1, "shared": 0}}
    )
    overview = text(leader.get(f"/rounds/{round_.pk}/"))
    assert by_id(overview, "sources-sales") == (
        "Of the staff answers, 1 came through links shown to a leader on screen and 0 through "
        "the shared link."
    )
    for page in (overview, text(leader.get(f"/rounds/{round_.pk}/statements/"))):
        assert "roster-statement" not in page and "cover-roster" not in page
        assert "did not count toward the threshold" not in page
        assert "hand-delivered" not in page and "cover-sources" not in page
    assert "roster-statement" not in staff_results_page(round_)
    data = json.loads(leader.get(f"/rounds/{round_.pk}/summary.json").content)
    assert data["roster"] is None and data["hand_delivered"] is None
    assert data["answers_through"] == {"sales": {"screen": 1, "shared": 0}}
    rows = [r[:6] for r in table(leader, round_, "summary.csv")]
    assert ["screen", "sales", "staff", "", "", "1"] in rows
    assert not [r for r in rows if r[0].startswith(("hand_delivered", "anonymity", "roster"))]
    answers = table(leader, round_, "answers.csv")
    column = answers[0].index("hand_delivered_screen")
    assert {row[column] for row in answers[1:]} == {""}
