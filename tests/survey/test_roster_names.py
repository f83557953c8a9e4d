"""The names a staff member is counted among, on a company that rests on the leaders' word,
and the "I don't recognise someone in this list" flag."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from survey.identity.anchor import anchor_of
from survey.models import AuditEvent, CompanyDomain, Respondent, SurveyLink
from survey.reads.roster import roster_of
from survey.writes.services import new_link
from tests.factories import closed_round, make_user, post_data, start_survey

ALL_FOURS = {n: 4 for n in range(1, 21)}


def shape(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def person(round_, email: str, name: str = "", department="sales", role="staff") -> Respondent:
    return Respondent.objects.create(
        round=round_, email=email, name=name, department=department, role=role
    )


def token_of(respondent: Respondent) -> str:
    link, token = new_link(respondent, SurveyLink.Kind.EMAIL)
    link.save()
    return token


def start_page(respondent: Respondent, browser: Client | None = None) -> tuple[Client, str]:
    browser = browser or Client()
    browser.get(f"/s/{token_of(respondent)}/")
    return browser, browser.get("/s/start/").content.decode()


def names_in(html: str) -> list[str]:
    section = html[html.index('id="roster"') :]
    section = section[: section.index("</ul>")]
    return [re.sub(r"\s+", " ", n).strip() for n in re.findall(r"<li>(.*?)</li>", section, re.S)]


@pytest.fixture
def group(round_):
    """Sales staff of the round as a leader invited them, and people who are not counted
    among them."""
    me = person(round_, "me@acme.test", "Mai")
    person(round_, "b@acme.test", "bình")
    person(round_, "c@acme.test", "  ")
    person(round_, "d@acme.test", "Anh")
    person(round_, "e@acme.test")
    gone = person(round_, "gone@acme.test", "Removed Person")
    gone.removed_at = timezone.now()
    gone.save(update_fields=["removed_at"])
    person(round_, "head@acme.test", "Head Of Sales", role="leader")
    person(round_, "m@acme.test", "Marketing Person", department="marketing")
    other = closed_round(round_.company, "Autumn")  # one open round per company
    person(other, "old@acme.test", "Other Round Person")
    Respondent.objects.create(round=round_, department="sales", role="staff")  # shared link
    return me


def test_the_start_page_lists_the_names_of_the_group_sorted_without_addresses(group):
    _, html = start_page(group)
    assert names_in(html) == ["Anh", "bình", "Mai", "and 2 people without a name"]
    for absent in ("Removed Person", "Head Of Sales", "Marketing Person", "Other Round Person"):
        assert absent not in html
    assert "@acme.test" not in html
    assert "rests on their word" in html and 'href="#roster"' in html


def test_a_group_of_people_without_names_is_counted(round_):
    me = person(round_, "me@acme.test")
    person(round_, "b@acme.test")
    _, html = start_page(me)
    assert names_in(html) == ["2 people without a name"]


def test_no_names_where_a_verified_domain_anchors_the_count(group):
    CompanyDomain.objects.create(
        company=group.round.company, domain="acme.test", verified_at=timezone.now()
    )
    _, html = start_page(group)
    assert 'id="roster"' not in html and "Anh" not in html
    assert "Only colleagues emailed at acme.test are counted." in html


def test_no_names_for_a_head(round_):
    head = person(round_, "head@acme.test", "Head", role="leader")
    person(round_, "b@acme.test", "Bình")
    _, html = start_page(head)
    assert 'id="roster"' not in html and "Bình" not in html


def test_the_names_page_is_the_same_byte_for_byte_whether_or_not_colleagues_answered(group):
    browser, before = start_page(group)
    for colleague in group.round.respondents.exclude(pk=group.pk).filter(email__endswith="t")[:3]:
        colleague_browser = Client()
        url = start_survey(colleague_browser, token_of(colleague))
        colleague_browser.post(url, post_data(ALL_FOURS))
    after = browser.get("/s/start/")
    assert shape(after) == re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", before)


def test_the_names_come_in_one_query(group, django_assert_num_queries):
    anchor = anchor_of(group.round.company)
    with django_assert_num_queries(1):
        roster = roster_of(group, anchor)
    assert roster is not None and roster.unnamed == 2


def test_the_flag_is_kept_idempotent_and_answers_the_same_every_time(group):
    browser, html = start_page(group)
    action = f"/s/r/{group.key}/names/flag/"
    assert f'action="{action}"' in html
    form = html[html.index(f'action="{action}"') :]
    form = form[: form.index("</form>")]
    assert re.findall(r"<input[^>]*name=\"(\w+)\"", form) == ["csrfmiddlewaretoken"]  # no identity

    first = browser.post(action)
    second = browser.post(action)

    assert first.status_code == second.status_code == 200
    assert shape(first) == shape(second)
    text = first.content.decode()
    assert "your group's results" in text and "When the round closes" in text
    assert "<input" not in text.split("</header>")[1].replace("csrfmiddlewaretoken", "")
    group.refresh_from_db()
    assert group.flagged_roster is True


def test_a_flag_is_the_same_answer_whether_flagged_before_or_not(round_):
    mai = person(round_, "mai@acme.test", "Mai")
    binh = person(round_, "binh@acme.test", "Bình")
    Respondent.objects.filter(pk=binh.pk).update(flagged_roster=True)
    answers = []
    for someone in (mai, binh):
        browser, _ = start_page(someone)
        answers.append(browser.post(f"/s/r/{someone.key}/names/flag/"))
    assert [a.status_code for a in answers] == [200, 200]
    texts = [shape(a).replace(s.key, "KEY") for a, s in zip(answers, (mai, binh), strict=True)]
    assert texts[0] == texts[1]


def test_the_browser_holding_the_survey_can_flag_after_starting(group):
    browser = Client()
    url = start_survey(browser, token_of(group))
    assert 'id="roster"' in browser.get(url).content.decode()
    browser.cookies.pop("survey_link", None)  # the link cookie lapsed: the survey's own secret
    flagged = browser.post(f"/s/r/{group.key}/names/flag/")
    assert flagged.status_code == 200
    assert f'href="{url}"' in flagged.content.decode()
    group.refresh_from_db()
    assert group.flagged_roster


def test_another_browser_cannot_flag(group):
    assert Client().post(f"/s/r/{group.key}/names/flag/").status_code == 403
    group.refresh_from_db()
    assert not group.flagged_roster


def test_a_leaders_browser_cannot_flag(group):
    leader = Client()
    leader.force_login(make_user("boss@acme.test", group.round.company))
    leader.get(f"/s/{token_of(group)}/")
    assert leader.post(f"/s/r/{group.key}/names/flag/").status_code == 403
    group.refresh_from_db()
    assert not group.flagged_roster


def test_nothing_to_flag_with_a_verified_domain(group):
    CompanyDomain.objects.create(
        company=group.round.company, domain="acme.test", verified_at=timezone.now()
    )
    browser, _ = start_page(group)
    assert browser.post(f"/s/r/{group.key}/names/flag/").status_code == 404
    group.refresh_from_db()
    assert not group.flagged_roster


def test_a_flag_shows_nothing_to_leaders_while_the_round_is_open(group):
    leader = Client()
    leader.force_login(make_user("boss@acme.test", group.round.company))
    round_ = group.round
    pages = ("manage/", "participants/", "summary.json", "")
    before = [shape(leader.get(f"/rounds/{round_.pk}/{p}")) for p in pages]
    browser, _ = start_page(group)
    browser.post(f"/s/r/{group.key}/names/flag/")
    after = [shape(leader.get(f"/rounds/{round_.pk}/{p}")) for p in pages]
    assert before == after
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.ROSTER_FLAGGED).exists()
