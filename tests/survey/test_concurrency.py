"""Two posts of one link at the same moment leave exactly one answer set."""

import threading

import pytest
from django.db import connection
from django.test import Client

from survey.models import Answer
from tests.factories import make_company, make_respondent, post_data, start_survey


@pytest.mark.django_db(transaction=True)
def test_simultaneous_posts_of_one_link_leave_one_answer_set():
    round_ = make_company().rounds.create(title="Race")
    respondent, token = make_respondent(round_)
    browser = Client()
    url = start_survey(browser, token)
    versions = [{n: 2 for n in range(1, 21)}, {n: 5 for n in range(1, 21)}]
    start = threading.Barrier(len(versions))
    statuses: list[int] = []

    def post(ratings):
        try:
            start.wait()
            same_browser = Client()
            same_browser.cookies = browser.cookies
            statuses.append(same_browser.post(url, post_data(ratings)).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(v,)) for v in versions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302, 302]
    ratings = list(Answer.objects.filter(respondent=respondent).values_list("rating", flat=True))
    assert len(ratings) == 20
    assert len(set(ratings)) == 1, "one complete answer set, not a mix of the two"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(4))
def test_an_answer_racing_the_close_is_either_refused_or_counted(attempt):
    """A submission and the close at the same moment: whichever wins, an answer the person
    was told is saved (302) is in the published results, and a refused one (410) is not."""
    from scoring.results.published import published
    from tests.factories import close

    round_ = make_company(slug=f"race-{attempt}").rounds.create(title="Race")
    for _ in range(5):
        make_respondent(round_, "sales", "staff", [3] * 20)
    _, token = make_respondent(round_)
    browser = Client()
    url = start_survey(browser, token)
    start = threading.Barrier(2)
    statuses: list[int] = []

    def submit():
        try:
            start.wait()
            statuses.append(browser.post(url, post_data({n: 5 for n in range(1, 21)})).status_code)
        finally:
            connection.close()

    def close_now():
        try:
            start.wait()
            close(round_)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit), threading.Thread(target=close_now)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    result = published(round_)
    assert statuses in ([302], [410])
    assert result is not None
    assert result.respondents[("sales", "staff")] == (6 if statuses == [302] else 5)


def press_start_at_once(browser: Client, path: str, presses: int = 2) -> list[str]:
    """The same browser presses Start `presses` times at the same moment: the Locations."""
    start = threading.Barrier(presses)
    locations: list[str] = []

    def press():
        try:
            same_browser = Client()
            same_browser.cookies = browser.cookies
            start.wait()
            locations.append(same_browser.post(path)["Location"])
        finally:
            connection.close()

    threads = [threading.Thread(target=press) for _ in range(presses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return locations


@pytest.mark.django_db(transaction=True)
def test_start_pressed_twice_at_once_opens_one_survey_for_the_browser():
    round_ = make_company(slug="double").rounds.create(title="Race")
    respondent, token = make_respondent(round_)
    browser = Client()
    browser.get(f"/s/{token}/")
    browser.get("/s/start/")  # the page gives the browser its secret
    locations = press_start_at_once(browser, "/s/start/")
    assert locations == [f"/s/r/{respondent.key}/"] * 2


@pytest.mark.django_db(transaction=True)
def test_the_shared_link_pressed_twice_at_once_makes_one_respondent():
    round_ = make_company(slug="double-shared").rounds.create(title="Race")
    link = round_.shared_links.create(department="sales", role="staff")
    browser = Client()
    browser.get(f"/s/join/{link.token}/")
    browser.get("/s/join/")
    locations = press_start_at_once(browser, "/s/join/")
    assert len(set(locations)) == 1 and locations[0].startswith("/s/r/")
    assert round_.respondents.count() == 1
