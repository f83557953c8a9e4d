"""Planted colleagues, tried as a leader would (issue 15), through the real pages.

The leader invites the victim V and k-1 addresses the leader controls **by e-mail**
through the add-people page, opens those emailed links from the outbox in signed-out
browsers, answers them with known ratings through the survey pages; V answers; the leader
closes the round and reads every page and file. What the leader sees:

- (a) a company with a verified domain, the planted addresses outside it: V's group is
  "not enough answers", and nothing of V (ratings, score, comment, guess) is anywhere;
  the leader's outputs are the same whatever V rated.
- (b) a company on the leaders' word: the group is shown, and its results say, to the
  leaders and to the staff (their results page), that the anonymity rests on the
  leaders' word.
- (c) the same through the shared link: shared-link answers never count.
- (d) the pooled small-team view: planted answers never make the pool reach k.
- (e) comments with k = 5: V's comment never appears when planted commenters fill the
  count.

The verified domain is put in place as it is once verified (the DNS check is
survey.identity's, tested there).
"""

import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from survey.models import CompanyDomain, Respondent
from tests.factories import make_user, post_data, start_survey

VICTIM = {n: (5 if n % 3 else 1) for n in range(1, 21)}  # score 80: 14 fives, 6 ones
OTHER_VICTIM = {n: (2 if n % 4 else 4) for n in range(1, 21)}
PLANTED = {n: 3 for n in range(1, 21)}
SECRET = "Victor says the forecast is made up every Monday"
LINK = re.compile(r"http://testserver/s/([\w-]{32})/")
SHARED = re.compile(r"/s/join/([\w-]+)/")
LEADERS_WORD = "the anonymity of staff rests on the leaders&#x27; word"


@pytest.fixture
def leader(company):
    client = Client()
    client.force_login(make_user("boss@acme.com", company))
    return client


def verify(company, domain: str = "acme.com") -> None:
    now = timezone.now()
    CompanyDomain.objects.create(company=company, domain=domain, verified_at=now, checked_at=now)


def invite_by_email(leader, round_, lines: list[str], outbox, callbacks) -> dict[str, str]:
    """Add people through the add-people page, links by e-mail only (none on screen); the
    token each address received, read from the sent mail."""
    before = len(outbox)
    data = {"lines": "\n".join(lines), "send_emails": "on", "show_links": ""}
    with callbacks(execute=True):
        page = leader.post(f"/rounds/{round_.pk}/people/", data)
    assert page.status_code == 200 and not LINK.search(page.content.decode())  # none shown
    tokens = {}
    for message in outbox[before:]:
        [address] = message.to
        tokens[address] = LINK.search(message.body).group(1)
    assert len(tokens) == len(lines)
    return tokens


def answer(token: str, ratings: dict[int, int], extra: dict[str, str] | None = None) -> Client:
    """A signed-out browser opens the emailed link, presses Start and answers."""
    browser = Client()
    url = start_survey(browser, token)
    response = browser.post(url, post_data(ratings) | (extra or {}))
    assert response.status_code == 302, response.content.decode()[:300]
    return browser


def join_shared(leader, round_, department: str = "sales") -> str:
    """Turn the group's shared link on and read it from the round's page, as a leader does."""
    leader.post(f"/rounds/{round_.pk}/shared/{department}/staff/")
    page = leader.get(f"/rounds/{round_.pk}/manage/").content.decode()
    return SHARED.search(page).group(1)


def answer_shared(token: str, ratings: dict[int, int], extra: dict[str, str] | None = None):
    browser = Client()
    browser.get(f"/s/join/{token}/")
    url = browser.post("/s/join/")["Location"]
    assert browser.post(url, post_data(ratings) | (extra or {})).status_code == 302


def close(leader, round_, callbacks) -> None:
    with callbacks(execute=True):
        assert leader.post(f"/rounds/{round_.pk}/close/", {"message": ""}).status_code == 302
    round_.refresh_from_db()
    assert round_.closed_at is not None


PAGES = ("", "statements/", "groups/", "spread/", "trends/", "guide/", "workshop/", "manage/")
FILES = ("answers.csv", "summary.csv", "summary.json", "comments.csv", "answers.xlsx")


def everything(leader, round_) -> dict[str, str]:
    """Every page and file of the closed round a leader can open."""
    found = {}
    for path in PAGES + FILES:
        response = leader.get(f"/rounds/{round_.pk}/{path}")
        assert response.status_code == 200, path
        found[path] = response.content.decode(errors="replace")
    return found


def summary(leader, round_) -> dict:
    return json.loads(leader.get(f"/rounds/{round_.pk}/summary.json").content)


def recoverable(text: str) -> bool:
    """Anything of V in a text: the rating pattern, the comment."""
    pattern = ",".join(str(VICTIM[n]) for n in range(1, 21))
    return pattern in text or SECRET in text


def plant(leader, round_, k: int, outbox, callbacks, *, planted_at: str, extra=None):
    """V at acme.com plus k-1 planted addresses at `planted_at`, all by e-mail; the planted
    answer first with known ratings, then V answers (with a comment and a guess)."""
    lines = ["v@acme.com,Victor,sales"]
    lines += [f"plant{i}@{planted_at},Colleague {i},sales" for i in range(1, k)]
    tokens = invite_by_email(leader, round_, lines, outbox, callbacks)
    for address, token in tokens.items():
        if address != "v@acme.com":
            answer(token, PLANTED, extra)
    planted = round_.respondents.filter(email__endswith=f"@{planted_at}", claimed_via="email")
    assert planted.filter(submitted_at__isnull=False).count() == k - 1  # emailed, answered
    return tokens["v@acme.com"]


def fetch_figures(leader, round_) -> dict:
    """The leader's summary.json without what names the round (id, title, dates)."""
    data = summary(leader, round_)
    data.pop("round")
    return data


def test_a_planted_colleagues_outside_the_verified_domain_leave_the_victim_unshown(
    leader, company, mailoutbox, django_capture_on_commit_callbacks
):
    verify(company)
    seen = []
    for victim in (VICTIM, OTHER_VICTIM):  # the same attack twice, V answering differently
        round_ = company.rounds.create(title=f"Round {len(seen)}", anonymity_threshold=3)
        token = plant(
            leader,
            round_,
            3,
            mailoutbox,
            django_capture_on_commit_callbacks,
            planted_at="boss.test",
        )
        answer(token, victim, {"c2": SECRET, "c0": SECRET, "guess": "aligned"})
        close(leader, round_, django_capture_on_commit_callbacks)

        data = summary(leader, round_)
        assert data["departments"]["sales"]["staff"] == {
            "respondents": None,
            "shown": False,
            "score": None,
            "type": None,
        }
        overview = leader.get(f"/rounds/{round_.pk}/").content.decode()
        block = re.search(r'id="dept-sales">(.*?)</li>', overview, re.S).group(1)
        assert "Not enough answers to show" in block
        outputs = everything(leader, round_)
        assert not any(recoverable(text) for text in outputs.values())
        assert not re.search(r"^sales,staff,", outputs["answers.csv"], re.M)
        assert "aligned" not in json.dumps(data["departments"])
        seen.append(fetch_figures(leader, round_))
    assert seen[0] == seen[1]  # nothing the leader reads moves with V's ratings


def test_b_on_the_leaders_word_the_group_shows_with_the_statement_to_leaders_and_staff(
    leader, company, mailoutbox, django_capture_on_commit_callbacks
):
    round_ = company.rounds.create(title="Spring", anonymity_threshold=3)
    token = plant(
        leader, round_, 3, mailoutbox, django_capture_on_commit_callbacks, planted_at="boss.test"
    )
    victim = answer(token, VICTIM)
    close(leader, round_, django_capture_on_commit_callbacks)

    # The leaders' word holds the group up: it is shown, and says on what it rests.
    data = summary(leader, round_)
    assert data["departments"]["sales"]["staff"]["shown"] is True
    assert data["roster"]["anonymity_rests_on"] == "leaders_word"
    overview = leader.get(f"/rounds/{round_.pk}/").content.decode()
    statement = re.search(r'id="roster-statement">([^<]+)<', overview).group(1)
    assert LEADERS_WORD in statement
    assert LEADERS_WORD in re.search(r'id="cover-roster">([^<]+)<', overview).group(1)
    # V, and everyone invited, reads the same statement on their results page.
    key = Respondent.objects.get(email="v@acme.com").key
    staff_page = victim.get(f"/s/r/{key}/").content.decode()
    assert "staff-results" in staff_page
    assert LEADERS_WORD in re.search(r'id="roster-statement">([^<]+)<', staff_page).group(1)
    planted_browser = Client()
    planted_link = LINK.search(
        next(m for m in mailoutbox if m.to == ["plant1@boss.test"]).body
    ).group(1)
    other = planted_browser.get(f"/s/{planted_link}/", follow=True).content.decode()
    assert LEADERS_WORD in other


@pytest.mark.parametrize("verified", [True, False], ids=["verified", "leaders-word"])
def test_c_planted_through_the_shared_link_never_count(
    leader, company, mailoutbox, django_capture_on_commit_callbacks, verified
):
    if verified:
        verify(company)
    round_ = company.rounds.create(title="Spring", anonymity_threshold=3)
    shared = join_shared(leader, round_)
    for _ in range(2):
        answer_shared(shared, PLANTED, {"c2": "planted", "guess": "defined"})
    tokens = invite_by_email(
        leader, round_, ["v@acme.com,Victor,sales"], mailoutbox, django_capture_on_commit_callbacks
    )
    answer(tokens["v@acme.com"], VICTIM, {"c2": SECRET})
    close(leader, round_, django_capture_on_commit_callbacks)

    data = summary(leader, round_)
    assert data["departments"]["sales"]["staff"]["shown"] is False
    outputs = everything(leader, round_)
    assert not any(recoverable(text) for text in outputs.values())
    overview = outputs[""]
    assert "Not enough answers to show" in re.search(
        r'id="dept-sales">(.*?)</li>', overview, re.S
    ).group(1)


def test_d_planted_answers_never_make_the_pooled_view_reach_k(
    leader, company, mailoutbox, django_capture_on_commit_callbacks
):
    """Both departments below k, so only a pooled view could be shown; the leader fills
    the pool with planted answers, by e-mail outside the domain and by the shared link."""
    verify(company)
    round_ = company.rounds.create(title="Spring", anonymity_threshold=4)
    shared = join_shared(leader, round_, "marketing")
    answer_shared(shared, PLANTED)
    lines = ["v@acme.com,Victor,sales", "m@acme.com,Mai,marketing"]
    lines += ["plant1@boss.test,Colleague 1,sales", "plant2@boss.test,Colleague 2,marketing"]
    tokens = invite_by_email(leader, round_, lines, mailoutbox, django_capture_on_commit_callbacks)
    for address in ("plant1@boss.test", "plant2@boss.test"):
        answer(tokens[address], PLANTED)
    answer(tokens["m@acme.com"], OTHER_VICTIM)
    answer(tokens["v@acme.com"], VICTIM)
    close(leader, round_, django_capture_on_commit_callbacks)

    overview = leader.get(f"/rounds/{round_.pk}/").content.decode()
    assert 'id="small-team"' in overview and 'id="pooled-level"' not in overview
    assert "pooling the staff needs both departments below the threshold" in overview
    data = summary(leader, round_)
    assert data["pooled_respondents"] is None and data["hand_delivered"] == {}
    outputs = everything(leader, round_)
    assert not any(recoverable(text) for text in outputs.values())


def test_e_planted_commenters_never_bring_out_the_victims_comment(
    leader, company, mailoutbox, django_capture_on_commit_callbacks
):
    """k = 5: V and four real colleagues at acme.com make the group shown; four planted
    addresses outside it comment, so with V there are five commenters, one independent."""
    verify(company)
    round_ = company.rounds.create(title="Spring", anonymity_threshold=5)
    lines = ["v@acme.com,Victor,sales"]
    lines += [f"colleague{i}@acme.com,Real {i},sales" for i in range(1, 5)]
    lines += [f"plant{i}@boss.test,Colleague {i},sales" for i in range(1, 5)]
    tokens = invite_by_email(leader, round_, lines, mailoutbox, django_capture_on_commit_callbacks)
    for i in range(1, 5):
        answer(tokens[f"plant{i}@boss.test"], PLANTED, {"c2": f"planted {i}", "c0": "planted"})
        answer(tokens[f"colleague{i}@acme.com"], OTHER_VICTIM)
    answer(tokens["v@acme.com"], VICTIM, {"c2": SECRET, "c0": SECRET})
    close(leader, round_, django_capture_on_commit_callbacks)

    data = summary(leader, round_)
    assert data["departments"]["sales"]["staff"]["respondents"] == 9  # shown, all counted
    assert data["hand_delivered"]["sales"] == {"screen": 0, "shared": 0, "elsewhere": 4}
    outputs = everything(leader, round_)
    assert not any(SECRET in text for text in outputs.values())
    assert not any("planted 1" in text for text in outputs.values())
    assert outputs["comments.csv"].strip() == "department,role,statement,comment"
    overview = outputs[""]
    assert "Includes 4 answers that did not count toward the threshold: 4 from addresses " in (
        re.search(r'id="sources-sales">([^<]+)<', overview).group(1)
    )
