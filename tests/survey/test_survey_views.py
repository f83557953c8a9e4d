import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from survey.models import Answer
from tests.factories import close, make_respondent, post_data, start_survey

ALL_FOURS = {n: 4 for n in range(1, 21)}


def checked(html: str) -> dict[int, int]:
    return {int(n): int(v) for n, v in re.findall(r'name="s(\d+)"[^>]*value="(\d)" checked', html)}


def test_opening_a_link_swaps_the_token_for_a_cookie_and_a_start_page(client, round_):
    _, token = make_respondent(round_)
    opened = client.get(f"/s/{token}/")
    assert opened.status_code == 302 and opened["Location"] == "/s/start/"
    start = client.get("/s/start/").content.decode()
    assert "Start the survey" in start and token not in start
    assert "groups of at least 5 people" in start


def test_it_shows_20_statements_each_with_five_labelled_options(client, round_):
    _, token = make_respondent(round_)
    response = client.get(start_survey(client, token))
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
    assert "as the heads' view" in client.get(start_survey(client, token)).content.decode()


def test_a_complete_submission_is_stored_and_thanks_with_the_score(client, round_):
    respondent, token = make_respondent(round_)
    ratings = {n: (4 if n <= 10 else 3) for n in range(1, 21)}  # 40 + 30 = 70

    response = client.post(start_survey(client, token), post_data(ratings))

    assert response.status_code == 302
    assert response["Location"] == f"/s/r/{respondent.key}/thanks/"
    assert dict(respondent.answers.values_list("statement", "rating")) == ratings
    thanks = client.get(response["Location"]).content.decode()
    assert "<strong>70</strong>" in thanks
    assert "Aligned" in thanks


def test_it_keeps_answers_and_points_at_each_missing_one(client, round_):
    respondent, token = make_respondent(round_)
    given = {n: 2 for n in range(1, 21) if n not in {3, 11, 20}}

    response = client.post(start_survey(client, token), post_data(given))

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
    response = client.post(start_survey(client, token), data)
    assert response.status_code == 400
    assert 'href="#statement-5"' in response.content.decode()
    assert not Answer.objects.exists()


def test_a_respondent_can_change_answers_until_the_round_closes(client, round_):
    respondent, token = make_respondent(round_)
    url = start_survey(client, token)
    client.post(url, post_data(ALL_FOURS))
    first_submitted = respondent.__class__.objects.get(pk=respondent.pk).submitted_at

    assert start_survey(client, token) == url, "the same link in the same browser"
    page = client.get(url).content.decode()
    assert "You have already answered" in page
    assert checked(page) == ALL_FOURS

    changed = ALL_FOURS | {1: 1, 2: 5}
    assert client.post(url, post_data(changed)).status_code == 302
    respondent.refresh_from_db()
    assert dict(respondent.answers.values_list("statement", "rating")) == changed
    assert respondent.answers.count() == 20
    assert respondent.submitted_at == first_submitted
    assert respondent.updated_at > first_submitted


def test_a_closed_round_shows_its_results_and_stores_nothing(client, round_):
    respondent, token = make_respondent(round_)
    url = start_survey(client, token)
    round_.closed_at = timezone.now() - timedelta(days=1)
    round_.save()

    page = client.get(url)
    posted = client.post(url, post_data(ALL_FOURS))
    again = client.get(f"/s/{token}/", follow=True)

    assert [r.status_code for r in (page, posted, again)] == [200, 410, 200]
    for response in (page, posted, again):
        text = response.content.decode()
        assert "The results of Spring" in text and "The round closed on" in text
        assert 'name="s1"' not in text
    assert not respondent.answers.exists()


@pytest.mark.parametrize(
    "language, changes_lost, kept, results",
    [
        (
            "en",
            "Your changes were not saved: the survey closed before you sent them.",
            "The answers you had sent before the close are the ones kept.",
            "The results of Spring",
        ),
        (
            "vi",
            "Các thay đổi của bạn không được lưu: khảo sát đã đóng trước khi bạn gửi.",
            "Những câu trả lời bạn đã gửi trước khi đóng là những câu trả lời được giữ lại.",
            "Kết quả của Spring",
        ),
    ],
)
def test_changes_sent_after_the_close_are_refused_and_the_person_is_told(
    client, round_, language, changes_lost, kept, results
):
    respondent, token = make_respondent(round_, language=language)
    url = start_survey(client, token)
    assert client.post(url, post_data(ALL_FOURS)).status_code == 302
    page = client.get(url)  # the survey with their answers, open in the browser
    assert page.status_code == 200
    close(round_)  # the leader closes the round while the page is open

    changed = {n: 1 for n in range(1, 21)}
    posted = client.post(url, post_data(changed))
    html = posted.content.decode()
    assert posted.status_code == 410
    assert changes_lost in html and kept in html
    assert results in html and 'name="s1"' not in html  # their published-results page
    assert dict(respondent.answers.values_list("statement", "rating")) == ALL_FOURS
    # The results page itself, opened again, says nothing of it.
    again = client.get(url).content.decode()
    assert results in again and changes_lost not in again and kept not in again
    # Another browser posting to the survey is told nothing of what this one sent before.
    stranger = Client().post(url, post_data(changed))
    text = stranger.content.decode()
    assert stranger.status_code == 410 and results in text
    assert changes_lost not in text and kept not in text and 'id="not-saved"' in text


def test_answers_first_sent_after_the_close_are_refused_and_the_person_is_told(client, round_):
    respondent, token = make_respondent(round_)
    url = start_survey(client, token)
    round_.closes_at = timezone.now() - timedelta(seconds=1)  # the close date passes
    round_.save()

    html = client.post(url, post_data(ALL_FOURS)).content.decode()
    assert "Your answers were not saved: the survey closed before you sent them." in html
    assert "Below are the round's published results." in html
    assert "sent before the close" not in html  # they had sent nothing before
    assert not respondent.answers.exists()


def test_a_round_past_its_close_date_refuses_answers_and_closes(client, round_):
    respondent, token = make_respondent(round_)
    url = start_survey(client, token)
    round_.closes_at = timezone.now() - timedelta(seconds=1)
    round_.save()

    posted = client.post(url, post_data(ALL_FOURS))

    assert posted.status_code == 410
    assert not respondent.answers.exists()
    round_.refresh_from_db()
    assert round_.closed_at is not None and round_.published is not None


@pytest.mark.parametrize(
    "path", ["/s/" + "A" * 32 + "/", "/s/too-short/", "/s/r/" + "A" * 22 + "/thanks/"]
)
def test_an_unknown_link_is_a_404_that_explains(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "personal survey link" in response.content.decode()


def test_the_start_page_without_a_link_explains_itself(client, db):
    response = client.get("/s/start/")
    assert response.status_code == 404
    assert "Open your link again" in response.content.decode()


def test_the_thanks_page_before_answering_leads_back_to_the_survey(client, round_):
    _, token = make_respondent(round_)
    url = start_survey(client, token)
    response = client.get(url + "thanks/")
    assert response.status_code == 302
    assert response["Location"] == url


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_refused(client, round_, method):
    _, token = make_respondent(round_)
    assert getattr(client, method)(start_survey(client, token)).status_code == 405


def test_the_thanks_page_only_answers_get(client, round_):
    _, token = make_respondent(round_)
    url = start_survey(client, token)
    client.post(url, post_data(ALL_FOURS))
    assert client.post(url + "thanks/").status_code == 405


def test_the_survey_speaks_the_respondents_language(client, round_):
    _, token = make_respondent(round_, language="vi")
    html = client.get(start_survey(client, token)).content.decode()
    assert '<html lang="vi">' in html
    assert "Hoàn toàn không đồng ý" in html


def test_a_chosen_language_wins_over_the_invitation_language(client, round_):
    _, token = make_respondent(round_, language="vi")
    client.cookies["django_language"] = "en"
    html = client.get(start_survey(client, token)).content.decode()
    assert '<html lang="en">' in html
    assert "Strongly disagree" in html
