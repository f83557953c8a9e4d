import re
from datetime import timedelta

import pytest
from django.utils import timezone

from survey.models import Answer
from tests.factories import make_respondent, post_data

ALL_FOURS = {n: 4 for n in range(1, 21)}


def url(token: str) -> str:
    return f"/s/{token}/"


def checked(html: str) -> dict[int, int]:
    return {int(n): int(v) for n, v in re.findall(r'name="s(\d+)"[^>]*value="(\d)" checked', html)}


def test_it_shows_20_statements_each_with_five_labelled_options(client, round_):
    _, token = make_respondent(round_)
    response = client.get(url(token))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<fieldset") == 20
    assert html.count("<legend>") == 20
    assert html.count('type="radio"') == 100
    assert html.count("<label for=") == 100
    assert "Strongly disagree" in html and "Strongly agree" in html
    assert "groups of at least 5 people" in html


def test_a_head_is_told_their_answers_are_the_heads_view(client, round_):
    _, token = make_respondent(round_, role="leader")
    assert "as the heads' view" in client.get(url(token)).content.decode()


def test_a_complete_submission_is_stored_and_thanks_with_the_score(client, round_):
    respondent, token = make_respondent(round_)
    ratings = {n: (4 if n <= 10 else 3) for n in range(1, 21)}  # 40 + 30 = 70

    response = client.post(url(token), post_data(ratings))

    assert response.status_code == 302
    assert response["Location"] == f"/s/{token}/thanks/"
    assert dict(respondent.answers.values_list("statement", "rating")) == ratings
    thanks = client.get(response["Location"]).content.decode()
    assert "<strong>70</strong>" in thanks
    assert "Aligned" in thanks


def test_it_keeps_answers_and_points_at_each_missing_one(client, round_):
    respondent, token = make_respondent(round_)
    given = {n: 2 for n in range(1, 21) if n not in {3, 11, 20}}

    response = client.post(url(token), post_data(given))

    html = response.content.decode()
    assert response.status_code == 400
    assert "3 statements still need a rating" in html
    for number in (3, 11, 20):
        assert f'href="#statement-{number}"' in html
        assert f'id="statement-{number}-error"' in html
    assert checked(html) == given
    assert not respondent.answers.exists()


def test_a_rating_outside_the_scale_counts_as_missing(client, round_):
    _, token = make_respondent(round_)
    data = post_data(ALL_FOURS) | {"s5": "9"}
    response = client.post(url(token), data)
    assert response.status_code == 400
    assert 'href="#statement-5"' in response.content.decode()
    assert not Answer.objects.exists()


def test_a_respondent_can_change_answers_until_the_round_closes(client, round_):
    respondent, token = make_respondent(round_)
    client.post(url(token), post_data(ALL_FOURS))
    first_submitted = respondent.__class__.objects.get(pk=respondent.pk).submitted_at

    page = client.get(url(token)).content.decode()
    assert "You have already answered" in page
    assert checked(page) == ALL_FOURS

    changed = ALL_FOURS | {1: 1, 2: 5}
    assert client.post(url(token), post_data(changed)).status_code == 302
    respondent.refresh_from_db()
    assert dict(respondent.answers.values_list("statement", "rating")) == changed
    assert respondent.answers.count() == 20
    assert respondent.submitted_at == first_submitted
    assert respondent.updated_at > first_submitted


def test_a_closed_round_says_so_and_stores_nothing(client, round_):
    respondent, token = make_respondent(round_)
    round_.closed_at = timezone.now() - timedelta(days=1)
    round_.save()

    page = client.get(url(token))
    posted = client.post(url(token), post_data(ALL_FOURS))

    assert "This round is closed" in page.content.decode()
    assert "This round is closed" in posted.content.decode()
    assert not respondent.answers.exists()


@pytest.mark.parametrize(
    "path", ["/s/" + "A" * 32 + "/", "/s/too-short/", "/s/" + "A" * 32 + "/thanks/"]
)
def test_an_unknown_link_is_a_404_that_explains(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "personal survey link" in response.content.decode()


def test_the_thanks_page_before_answering_leads_back_to_the_survey(client, round_):
    _, token = make_respondent(round_)
    response = client.get(f"/s/{token}/thanks/")
    assert response.status_code == 302
    assert response["Location"] == url(token)


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_refused(client, round_, method):
    _, token = make_respondent(round_)
    assert getattr(client, method)(url(token)).status_code == 405


def test_the_thanks_page_only_answers_get(client, round_):
    _, token = make_respondent(round_, ratings=[3] * 20)
    assert client.post(f"/s/{token}/thanks/").status_code == 405


def test_the_survey_speaks_the_respondents_language(client, round_):
    _, token = make_respondent(round_, language="vi")
    html = client.get(url(token)).content.decode()
    assert '<html lang="vi">' in html
    assert "Hoàn toàn không đồng ý" in html


def test_a_chosen_language_wins_over_the_invitation_language(client, round_):
    _, token = make_respondent(round_, language="vi")
    client.cookies["django_language"] = "en"
    html = client.get(url(token)).content.decode()
    assert '<html lang="en">' in html
    assert "Strongly disagree" in html
