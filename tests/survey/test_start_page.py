"""The staff member's start page: the essentials before Start, the same page whatever the
person did, a Start that can be pressed twice, and links shown on screen that expire."""

import re
from datetime import timedelta
from http.cookies import SimpleCookie

import pytest
from django.test import Client
from django.utils import timezone

from survey.models import CompanyDomain, Respondent, SurveyLink
from survey.staff.browser import cookie_name
from survey.writes.services import SCREEN_LINK_LIFETIME, new_link
from tests.factories import make_respondent, make_user, post_data, start_survey

ALL_FOURS = {n: 4 for n in range(1, 21)}
LINK = re.compile(r"http://testserver/s/([\w-]{32})/")
DEVICE = cookie_name("survey_device")


def shape(response) -> str:
    """A page with its per-request part (the CSRF token) blanked out."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def opened(token: str, client: Client | None = None) -> Client:
    """A browser that opened a personal link and sees the start page."""
    client = client or Client()
    assert client.get(f"/s/{token}/").status_code == 302
    return client


def emailed(respondent: Respondent) -> str:
    """A new emailed link of the respondent (as read from their mailbox)."""
    link, token = new_link(respondent, SurveyLink.Kind.EMAIL)
    link.save()
    return token


def shown(respondent: Respondent, age: timedelta = timedelta(0)) -> str:
    """A link shown on screen `age` ago."""
    link, token = new_link(respondent, SurveyLink.Kind.SCREEN)
    link.created_at = timezone.now() - age
    link.save()
    return token


@pytest.fixture
def leader(company):
    client = Client()
    client.force_login(make_user("boss@acme.test", company))
    return client


def verify(company, domain: str = "acme.com") -> None:
    CompanyDomain.objects.create(company=company, domain=domain, verified_at=timezone.now())


# The essentials, in a few lines before Start


def test_the_essentials_come_before_start_and_the_full_rules_after_it(client, round_):
    _, token = make_respondent(round_)
    html = opened(token, client).get("/s/start/").content.decode()
    essentials = html[html.index('id="essentials"') : html.index("Start the survey")]
    assert "published once, when the round closes" in essentials
    assert "groups of at least 5 people invited by email" in essentials
    assert "Leaders never see who answered" in essentials
    assert "rests on their word" in essentials  # no verified domain
    rules = html.index('<details class="privacy-note"')
    assert html.index("Start the survey") < rules
    assert "<summary>Who sees what: all the privacy rules</summary>" in html


def test_with_a_verified_domain_only_colleagues_emailed_there_are_counted(client, round_):
    verify(round_.company)
    verify(round_.company, "acme.vn")
    _, token = make_respondent(round_)
    html = opened(token, client).get("/s/start/").content.decode()
    assert "Only colleagues emailed at acme.com, acme.vn are counted." in html
    assert "rests on their word" not in html
    assert 'id="roster"' not in html


def test_a_head_is_told_their_answers_are_shown_as_the_heads_view(client, round_):
    _, token = make_respondent(round_, role="leader")
    html = opened(token, client).get("/s/start/").content.decode()
    essentials = html[html.index('id="essentials"') : html.index("Start the survey")]
    assert "as the heads' view" in essentials
    assert 'id="roster"' not in html


def test_the_start_page_speaks_vietnamese(client, round_):
    _, token = make_respondent(round_, language="vi")
    html = opened(token, client).get("/s/start/").content.decode()
    assert "Bắt đầu khảo sát" in html
    assert "đợt đánh giá" in html
    assert "published once" not in html


# Start pressed twice, or its answer lost (issue 20)


def test_the_start_page_gives_the_browser_its_secret_before_start(client, round_):
    _, token = make_respondent(round_)
    page = opened(token, client).get("/s/start/")
    assert page.cookies[DEVICE].value
    again = client.get("/s/start/")
    assert DEVICE not in again.cookies, "a browser keeps the secret it has"


def test_a_start_whose_answer_was_lost_opens_the_survey_on_the_second_press(client, round_):
    respondent, token = make_respondent(round_)
    opened(token, client).get("/s/start/")
    before = SimpleCookie(client.cookies)
    first = client.post("/s/start/")
    assert first.status_code == 302
    client.cookies = before  # the answer never arrived: no cookie from it is kept

    second = client.post("/s/start/")

    assert second.status_code == 302
    assert second["Location"] == first["Location"] == f"/s/r/{respondent.key}/"
    assert client.get(second["Location"]).status_code == 200
    assert client.post(second["Location"], post_data(ALL_FOURS)).status_code == 302


def test_start_pressed_twice_opens_the_same_survey(client, round_):
    respondent, token = make_respondent(round_)
    opened(token, client).get("/s/start/")
    presses = [client.post("/s/start/") for _ in range(2)]
    assert [p.status_code for p in presses] == [302, 302]
    assert {p["Location"] for p in presses} == {f"/s/r/{respondent.key}/"}


def test_a_second_browser_is_still_refused(client, round_):
    respondent, token = make_respondent(round_)
    opened(token, client).get("/s/start/")
    client.post("/s/start/")
    other = opened(token)
    other.get("/s/start/")
    pressed = other.post("/s/start/")
    assert pressed.status_code == 403
    assert other.get(f"/s/r/{respondent.key}/").status_code == 403


# What another browser sees


def test_the_start_page_is_the_same_whether_or_not_another_browser_started(round_):
    respondent, token = make_respondent(round_)
    before = opened(token).get("/s/start/")
    start_survey(Client(), emailed(respondent))
    after = opened(token).get("/s/start/")
    assert before.status_code == after.status_code == 200
    assert shape(before) == shape(after)


def test_pressing_start_after_another_browser_says_it_was_started_before_you(round_):
    respondent, token = make_respondent(round_)
    respondent.email = "vi@acme.test"
    respondent.save(update_fields=["email"])
    start_survey(Client(), emailed(respondent))
    late = opened(token)
    late.get("/s/start/")
    pressed = late.post("/s/start/")
    html = pressed.content.decode()
    assert pressed.status_code == 403
    assert "Your survey was already started in another browser before you</h1>" in html
    assert f'action="/s/r/{respondent.key}/fresh-link/"' in html
    assert "Email me a fresh link" in html
    assert 'name="s1"' not in html


def test_the_kept_screen_link_a_leader_holds_tells_nothing_about_the_person(
    leader, round_, mailoutbox, django_capture_on_commit_callbacks
):
    """As a leader would: keep the link shown on the add-people page, let the person start
    through their emailed link, then open the kept link in a fresh signed-out browser."""
    data = {"lines": "vi@acme.test,Vi,sales", "send_emails": "on", "show_links": "on"}
    with django_capture_on_commit_callbacks(execute=True):
        added = leader.post(f"/rounds/{round_.pk}/people/", data).content.decode()
    [kept] = LINK.findall(added)
    [invitation] = [m for m in mailoutbox if m.to == ["vi@acme.test"]]
    [emailed_token] = LINK.findall(invitation.body)
    looks = opened(kept).get("/s/start/")

    victim = Client()
    start_survey(victim, emailed_token)
    victim.post(f"/s/r/{Respondent.objects.get().key}/", post_data(ALL_FOURS))
    looks_later = opened(kept).get("/s/start/")
    signed_in = leader.get(f"/s/{kept}/", follow=True)

    assert looks.status_code == looks_later.status_code == 200
    assert shape(looks) == shape(looks_later)
    assert sorted(looks.cookies) == sorted(looks_later.cookies)
    assert signed_in.status_code == 403  # the leader's own browser: never a survey


# Links shown on screen expire after 48 hours


def test_a_screen_link_starts_a_survey_within_48_hours(client, round_):
    respondent, _ = make_respondent(round_)
    token = shown(respondent, SCREEN_LINK_LIFETIME - timedelta(minutes=5))
    assert start_survey(client, token) == f"/s/r/{respondent.key}/"


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_old_screen_link_has_expired_whether_or_not_the_survey_was_started(round_, method):
    started, _ = make_respondent(round_)
    untouched, _ = make_respondent(round_)
    for respondent in (started, untouched):
        respondent.email = "same@acme.test" if respondent is started else "other@acme.test"
        respondent.save(update_fields=["email"])
    start_survey(Client(), emailed(started))
    age = SCREEN_LINK_LIFETIME + timedelta(minutes=1)
    pages = []
    for respondent in (started, untouched):
        browser = opened(shown(respondent, age))
        pages.append(getattr(browser, method)("/s/start/"))

    assert [p.status_code for p in pages] == [410, 410]
    texts = [
        shape(p).replace(r.key, "KEY") for p, r in zip(pages, (started, untouched), strict=True)
    ]
    assert texts[0] == texts[1]
    assert "This link has expired" in texts[0] and "Email me a fresh link" in texts[0]
    untouched.refresh_from_db()
    assert untouched.device_hash == "", "an expired link claims nothing"


def test_an_old_screen_link_still_opens_the_survey_in_its_own_browser(client, round_):
    respondent, _ = make_respondent(round_)
    link, token = new_link(respondent, SurveyLink.Kind.SCREEN)
    link.save()
    url = start_survey(client, token)
    SurveyLink.objects.filter(pk=link.pk).update(
        created_at=timezone.now() - SCREEN_LINK_LIFETIME - timedelta(hours=1)
    )
    client.get(f"/s/{token}/")
    assert client.get("/s/start/")["Location"] == url
    assert client.get(url).status_code == 200


def test_an_expired_screen_link_page_emails_a_fresh_link_to_the_persons_own_address(
    round_, mailoutbox, django_capture_on_commit_callbacks
):
    respondent, _ = make_respondent(round_)
    respondent.email = "vi@acme.test"
    respondent.save(update_fields=["email"])
    browser = opened(shown(respondent, SCREEN_LINK_LIFETIME + timedelta(hours=1)))
    assert browser.get("/s/start/").status_code == 410
    with django_capture_on_commit_callbacks(execute=True):
        sent = browser.post(f"/s/r/{respondent.key}/fresh-link/")
    assert "Check your email" in sent.content.decode()
    assert [m.to for m in mailoutbox] == [["vi@acme.test"]]
    fresh = LINK.search(mailoutbox[0].body).group(1)
    assert start_survey(browser, fresh) == f"/s/r/{respondent.key}/"


# The shared link's start page


def test_the_shared_link_page_can_be_pressed_twice_and_makes_one_respondent(client, round_):
    link = round_.shared_links.create(department="sales", role="staff")
    client.get(f"/s/join/{link.token}/")
    page = client.get("/s/join/")
    assert page.cookies[DEVICE].value
    assert "rests on their word" in page.content.decode()
    before = SimpleCookie(client.cookies)
    first = client.post("/s/join/")
    client.cookies = before  # the answer was lost
    second = client.post("/s/join/")
    third = client.post("/s/join/")
    assert first["Location"] == second["Location"] == third["Location"]
    assert round_.respondents.count() == 1
    other = Client()
    other.get(f"/s/join/{link.token}/")
    other.get("/s/join/")
    assert other.post("/s/join/")["Location"] != first["Location"]
    assert round_.respondents.count() == 2
