"""The seven ways a leader could once learn one staff member's ratings, tried again over
HTTP with nothing but a leader's login, and what stops each now.

Attacks 1, 2, 4 and 7 fail outright: no page, file, JSON or link the leader can reach holds
the victim's ratings, score, or whether the victim answered. Attacks 3, 5 and 6 inject
answers the leader knows; arithmetic cannot rule them out while leaders manage the list, so
they are refused from the leader's signed-in browser, and otherwise are on the record: in
the round's audit log and in the published count of answers that came through links shown
on screen or the shared link.
"""

import json
import re

import pytest
from django.test import Client

from survey.models import Respondent
from tests.factories import close, make_respondent, make_user, post_data, start_survey

VICTIM = {n: (5 if n % 3 else 1) for n in range(1, 21)}  # a pattern no one else gives
FAKE = {n: 3 for n in range(1, 21)}
LINK = re.compile(r"http://testserver/s/([\w-]{32})/")


@pytest.fixture
def leader(company):
    user = make_user("boss@acme.test", company)
    client = Client()
    client.force_login(user)
    client.user = user
    return client


def add(leader, round_, lines: str, show=True, send=True) -> list[str]:
    """Add people as a leader; the tokens of the links shown on screen."""
    data = {"lines": lines, "send_emails": "on" if send else "", "show_links": "on" if show else ""}
    html = leader.post(f"/rounds/{round_.pk}/people/", data).content.decode()
    return LINK.findall(html)


def answer(token: str, ratings: dict[int, int], browser: Client | None = None) -> Client:
    browser = browser or Client()
    url = start_survey(browser, token)
    assert browser.post(url, post_data(ratings)).status_code == 302
    return browser


def everything_a_leader_can_fetch(leader, round_) -> str:
    """Every page and file of the round a leader can open, as one text."""
    paths = ["manage/", "", "guide/", "plan/"]
    paths += ["answers.csv", "summary.csv", "summary.json"]
    return " ".join(
        leader.get(f"/rounds/{round_.pk}/{path}").content.decode(errors="replace") for path in paths
    )


def ratings_pattern(ratings: dict[int, int]) -> str:
    return ",".join(str(ratings[n]) for n in range(1, 21))


def page_shape(html: str) -> str:
    """A page with its per-request parts (CSRF token, survey key) blanked out."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r"/s/r/[\w-]{22}/", "/s/r/KEY/", html)


def test_attack_1_a_fresh_link_is_never_shown_and_an_old_link_shows_nothing(
    leader, round_, mailoutbox, django_capture_on_commit_callbacks
):
    [victim_link] = add(leader, round_, "victim@acme.test,Vi,sales")
    victim = answer(victim_link, VICTIM)
    with django_capture_on_commit_callbacks(execute=True):
        page = leader.post(
            f"/rounds/{round_.pk}/fresh-link/", {"email": "victim@acme.test"}, follow=True
        ).content.decode()
    assert not LINK.search(page)
    assert [m.to for m in mailoutbox] == [["victim@acme.test"]]  # only to the victim

    signed_in = leader.get(f"/s/{victim_link}/", follow=True)
    assert signed_in.status_code == 403 and "staff member's survey" in signed_in.content.decode()
    # A kept link opens the start page as if nobody had started (test_attack_2); pressing
    # Start tells whoever pressed it that the survey was started elsewhere first.
    elsewhere = Client()
    opened = elsewhere.get(f"/s/{victim_link}/", follow=True)
    assert opened.status_code == 200 and "Start the survey" in opened.content.decode()
    pressed = elsewhere.post("/s/start/")
    assert pressed.status_code == 403
    assert "already started in another browser before you" in pressed.content.decode()
    key = Respondent.objects.get(email="victim@acme.test").key
    for path in (f"/s/r/{key}/", f"/s/r/{key}/thanks/"):
        assert Client().get(path).status_code == 403
        assert leader.get(path).status_code == 403
    overwrite = leader.post(f"/s/r/{key}/", post_data(FAKE))
    assert overwrite.status_code == 403
    assert Client().post(f"/s/r/{key}/", post_data(FAKE)).status_code == 403
    answers = dict(Respondent.objects.get(key=key).answers.values_list("statement", "rating"))
    assert answers == VICTIM
    assert victim.get(f"/s/r/{key}/thanks/").status_code == 200  # only the victim's browser


def test_attack_2_a_kept_link_looks_the_same_whether_or_not_its_owner_answered(leader, round_):
    lines = "a@acme.test,A,sales\nb@acme.test,B,sales\nc@acme.test,C,sales"
    answered_link, started_link, untouched_link = add(leader, round_, lines)
    answer(answered_link, VICTIM)
    start_survey(Client(), started_link)  # started on their phone, never answered

    kept = (answered_link, started_link, untouched_link)
    seen = [Client().get(f"/s/{t}/", follow=True) for t in kept]

    # The start page, in each case: a GET of a kept link says nothing about its owner.
    assert [r.status_code for r in seen] == [200, 200, 200]
    shapes = {page_shape(r.content.decode()) for r in seen}
    assert len(shapes) == 1
    text = everything_a_leader_can_fetch(leader, round_)
    assert ratings_pattern(VICTIM) not in text
    assert "a@acme.test" in text  # listed as invited, and nothing more about them


def test_attack_3_known_fakes_are_refused_from_the_leaders_browser_and_on_the_record(
    leader, company
):
    round_ = company.rounds.create(title="Spring", anonymity_threshold=3)
    fakes = add(leader, round_, "f1@boss.test,F1,sales\nf2@boss.test,F2,sales")
    refused = leader.get(f"/s/{fakes[0]}/", follow=True)
    assert refused.status_code == 403
    assert leader.post("/s/start/").status_code == 403
    # From a browser that is not signed in the leader can still answer them...
    for token in fakes:
        answer(token, FAKE)
    make_respondent(round_, "sales", "staff", list(VICTIM.values()))
    close(round_)
    # ...but every leader sees that the links were shown, and answers through links shown
    # on screen never count toward k (issue 15): one emailed answer is not a group.
    record = leader.get(f"/rounds/{round_.pk}/manage/").content.decode()
    assert "saw personal links on screen" in record and "f1@boss.test" in record
    summary = json.loads(leader.get(f"/rounds/{round_.pk}/summary.json").content)
    assert summary["departments"]["sales"]["staff"]["shown"] is False
    assert "sales" not in summary["hand_delivered"]
    assert ratings_pattern(VICTIM) not in everything_a_leader_can_fetch(leader, round_)


def test_attack_4_an_edit_is_never_published_on_its_own(leader, round_):
    tokens = add(leader, round_, "\n".join(f"s{i}@acme.test,S{i},sales" for i in range(5)))
    victim = answer(tokens[0], VICTIM)
    for token in tokens[1:]:
        answer(token, FAKE)
    before = everything_a_leader_can_fetch(leader, round_)
    edited = VICTIM | {1: 2}
    key = Respondent.objects.get(email="s0@acme.test").key
    assert victim.post(f"/s/r/{key}/", post_data(edited)).status_code == 302
    after = everything_a_leader_can_fetch(leader, round_)
    # While the round is open no output carries a figure at all, so there is nothing to
    # compare before and after an edit.
    for text in (before, after):
        assert "Results are published when the round closes" in text
        assert "Integrated" not in text and "Aligned" not in text
    assert leader.get(f"/rounds/{round_.pk}/answers.csv").status_code == 404


def test_attack_5_a_round_with_k_3_is_on_the_record_and_its_fakes_counted(leader, company):
    response = leader.post(
        f"/companies/{company.pk}/rounds/new/",
        {
            "title": "Tiny",
            "anonymity_threshold": 3,
            "sales_head": "later",
            "marketing_head": "later",
        },
    )
    round_ = company.rounds.get(title="Tiny")
    assert response.status_code == 302
    event = round_.audit_events.get(action="round_opened")
    assert event.actor == leader.user and "k = 3" in event.detail
    # Lowering k later is refused once anyone is invited (answered or not).
    make_respondent(round_, "sales", "staff", list(VICTIM.values()))
    lowered = leader.post(f"/rounds/{round_.pk}/edit/", {"title": "Tiny", "anonymity_threshold": 3})
    assert lowered.status_code == 302  # unchanged is fine
    raised = leader.post(f"/rounds/{round_.pk}/edit/", {"title": "Tiny", "anonymity_threshold": 4})
    assert raised.status_code == 302
    back = leader.post(f"/rounds/{round_.pk}/edit/", {"title": "Tiny", "anonymity_threshold": 3})
    assert "can be raised but not lowered" in back.content.decode()


def test_attack_6_the_shared_link_from_a_leaders_browser_is_refused_and_counted(leader, company):
    round_ = company.rounds.create(title="Spring", anonymity_threshold=3)
    leader.post(f"/rounds/{round_.pk}/shared/sales/staff/")
    token = round_.shared_links.get().token
    leader.get(f"/s/join/{token}/")
    assert leader.post("/s/join/").status_code == 403
    assert not round_.respondents.exists()
    for _ in range(2):  # a signed-out browser can still start it...
        fake = Client()
        fake.get(f"/s/join/{token}/")
        url = fake.post("/s/join/")["Location"]
        fake.post(url, post_data(FAKE))
    make_respondent(round_, "sales", "staff", list(VICTIM.values()))
    close(round_)
    # ...and that shows: who turned the link on; and shared-link answers never count
    # toward k (issue 15), so one emailed answer with them is not a group.
    assert round_.audit_events.filter(action="shared_on", actor=leader.user).exists()
    summary = json.loads(leader.get(f"/rounds/{round_.pk}/summary.json").content)
    assert summary["departments"]["sales"]["staff"]["shown"] is False
    assert ratings_pattern(VICTIM) not in everything_a_leader_can_fetch(leader, round_)


def test_attack_7_a_deletion_after_the_close_changes_no_published_figure(leader, round_):
    for ratings in (VICTIM, *[FAKE] * 5):
        make_respondent(round_, "sales", "staff", list(ratings.values()))
    for _ in range(5):
        make_respondent(round_, "marketing", "staff", list(FAKE.values()))
    close(round_)
    before = {
        name: leader.get(f"/rounds/{round_.pk}/{name}").content
        for name in ("answers.csv", "summary.csv", "summary.json")
    }
    Respondent.objects.filter(round=round_).order_by("pk").first().delete()  # in the admin
    for name, content in before.items():
        assert leader.get(f"/rounds/{round_.pk}/{name}").content == content


def test_a_hidden_staff_group_shows_no_count_anywhere(leader, round_):
    make_respondent(round_, "marketing", "leader", list(FAKE.values()))
    for _ in range(2):
        make_respondent(round_, "marketing", "staff", list(VICTIM.values()))
    close(round_)
    page = leader.get(f"/rounds/{round_.pk}/").content.decode()
    data = json.loads(leader.get(f"/rounds/{round_.pk}/summary.json").content)
    assert "Staff (2)" not in page
    assert data["departments"]["marketing"]["staff"]["respondents"] is None
    assert data["departments"]["marketing"]["total"]["respondents"] is None


def test_answers_injected_through_a_shown_link_stay_counted_as_such_after_a_move(
    leader, company, mailoutbox, django_capture_on_commit_callbacks
):
    round_ = company.rounds.create(title="Spring", anonymity_threshold=3)
    [shown] = add(leader, round_, "victim@acme.test,Vi,sales", send=False)
    answer(shown, FAKE)  # the leader answers first, from a signed-out browser
    for _ in range(3):
        make_respondent(round_, "sales", "staff", list(FAKE.values()))
    # The person asks for a fresh link from the "in use" page and moves, without answering.
    key = Respondent.objects.get(email="victim@acme.test").key
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(f"/s/r/{key}/fresh-link/")
    fresh = LINK.search(mailoutbox[-1].body).group(1)
    laptop = Client()
    laptop.get(f"/s/{fresh}/")
    assert laptop.post("/s/start/").status_code == 302
    close(round_)
    summary = json.loads(leader.get(f"/rounds/{round_.pk}/summary.json").content)
    assert summary["hand_delivered"]["sales"]["screen"] == 1
