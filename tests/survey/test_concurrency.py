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
