"""Optional comments and the guess question on the survey page, through the real views."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from survey.models import Comment
from tests.factories import make_respondent, post_data, start_survey

ALL_FOURS = {n: 4 for n in range(1, 21)}


def test_each_statement_has_a_collapsed_why_box_and_the_end_asks_two_questions(client, round_):
    _, token = make_respondent(round_)
    html = client.get(start_survey(client, token)).content.decode()
    assert html.count('<details class="why">') == 20  # closed: no "open" attribute
    assert html.count("<summary>Why? (optional)</summary>") == 20
    assert html.count('maxlength="1000"') == 21
    assert "What one change would most help sales and marketing work together?" in html
    assert "Where do you think the other department would place the relationship?" in html
    assert "I don&#x27;t know" in html
    assert "only once at least 5 people of your group have commented" in html
    assert "Please do not name colleagues" in html


def test_comments_and_the_guess_are_stored_and_shown_again(client, round_):
    respondent, token = make_respondent(round_)
    url = start_survey(client, token)
    data = post_data(ALL_FOURS) | {"c3": "  Leads go cold\r\nin a week  ", "c0": "Meet", "c7": ""}
    response = client.post(url, data | {"guess": "aligned"})
    assert response.status_code == 302
    stored = dict(respondent.comments.values_list("statement", "text"))
    assert stored == {3: "Leads go cold\nin a week", 0: "Meet"}
    respondent.refresh_from_db()
    assert respondent.guess == "aligned"
    html = client.get(url).content.decode()
    assert html.count('<details class="why" open>') == 1
    assert ">Leads go cold\nin a week</textarea>" in html
    assert '<option value="aligned" selected>' in html
    # Changing the answers replaces the comments: an emptied box is no comment.
    client.post(url, post_data(ALL_FOURS) | {"c3": "", "c0": "Meet monthly"})
    assert dict(respondent.comments.values_list("statement", "text")) == {0: "Meet monthly"}


def test_typed_comments_survive_a_missing_rating(client, round_):
    respondent, token = make_respondent(round_)
    url = start_survey(client, token)
    ratings = {n: 4 for n in range(1, 20)}  # 20 missing
    data = post_data(ratings) | {"c5": "<b>why</b> & how", "c0": "=1+1", "guess": "defined"}
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert ">&lt;b&gt;why&lt;/b&gt; &amp; how</textarea>" in html
    assert ">=1+1</textarea>" in html
    assert '<option value="defined" selected>' in html
    assert not Comment.objects.exists()


def test_a_comment_over_1000_characters_is_refused_and_kept(client, round_):
    respondent, token = make_respondent(round_)
    url = start_survey(client, token)
    long = "x" * 1001
    response = client.post(url, post_data(ALL_FOURS) | {"c2": long})
    html = response.content.decode()
    assert response.status_code == 400
    assert "A comment is longer than 1,000 characters" in html
    assert f">{long}</textarea>" in html
    assert '<a href="#c2">Statement 2</a>' in html
    respondent.refresh_from_db()
    assert respondent.submitted_at is None and not Comment.objects.exists()
    exactly = client.post(url, post_data(ALL_FOURS) | {"c2": "y" * 1000})
    assert exactly.status_code == 302


def test_an_unknown_guess_is_refused(client, round_):
    respondent, token = make_respondent(round_)
    url = start_survey(client, token)
    client.post(url, post_data(ALL_FOURS) | {"guess": "perfect"})
    respondent.refresh_from_db()
    assert respondent.submitted_at is None


def comment_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries if "survey_comment" in q["sql"]]


def test_the_survey_page_reads_comments_only_once_answered_and_in_one_query(client, round_):
    _, token = make_respondent(round_)
    url = start_survey(client, token)
    assert comment_queries(client, url) == []
    client.post(url, post_data(ALL_FOURS) | {"c1": "because"})
    assert len(comment_queries(client, url)) == 1


def test_a_head_is_told_their_comments_are_the_heads_view(client, round_):
    _, token = make_respondent(round_, role="leader")
    html = client.get(start_survey(client, token)).content.decode()
    assert "Yours are shown word for word as the heads' view" in html
