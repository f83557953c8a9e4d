"""Comments, guesses and the small-team view on a closed round's pages and files."""

import csv
import io
import json
import re

import pytest
from openpyxl import load_workbook

from survey.models import Comment, Respondent, Via
from survey.writes.services import submit_answers
from tests.factories import close, make_company, make_respondent, make_user, uniform

DANGEROUS = '=HYPERLINK("http://evil.test")<script>alert(1)</script><b>bold</b>'


def answer(round_, department, role, rating, *, comments=None, guess=""):
    respondent, _ = make_respondent(round_, department, role)
    # Started through the emailed link: counts toward k (survey.identity.anchor).
    Respondent.objects.filter(pk=respondent.pk).update(claimed_via=Via.EMAIL)
    respondent.claimed_via = Via.EMAIL
    ratings = dict(enumerate(uniform(rating), start=1))
    submit_answers(respondent=respondent, ratings=ratings, comments=comments or {}, guess=guess)
    return respondent


def outputs(client, round_) -> dict[str, str]:
    """Every page and file of the round, as text."""
    base = f"/rounds/{round_.pk}"
    texts = {}
    pages = ("/", "/statements/", "/groups/", "/spread/", "/trends/", "/downloads/")
    for name in (*pages, "/answers.csv", "/summary.csv", "/summary.json", "/comments.csv"):
        response = client.get(base + name)
        assert response.status_code == 200, name
        texts[name] = response.content.decode()
    for name in ("/comments.xlsx", "/answers.xlsx", "/summary.xlsx"):
        response = client.get(base + name)
        assert response.status_code == 200, name
        book = load_workbook(io.BytesIO(response.content))
        cells = [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row]
        texts[name] = "\n".join(cells)
    return texts


@pytest.fixture
def leader_client(client, company):
    client.force_login(make_user("boss@acme.test", company, role="owner"))
    return client


@pytest.fixture
def commented_round(company):
    """k = 3, so comments need max(3, 5) = 5 commenters. Sales: a head and 5 staff, all
    5 staff comment on statement 2 (one with HTML and a leading =), only 4 on statement 3.
    Marketing: a head and 5 staff, nobody comments."""
    company.anonymity_threshold = 3
    company.save()
    round_ = company.rounds.create(title="Spring")
    answer(round_, "sales", "leader", 3, comments={4: "Head says: forecasts arrive late"})
    for i in range(5):
        comments = {2: DANGEROUS if i == 0 else f"shown-two-{i}"}
        if i < 4:
            comments[3] = f"hidden-three-{i}"
        comments[0] = f"open-{i}"
        answer(round_, "sales", "staff", 3, comments=comments)
    answer(round_, "marketing", "leader", 4)
    for _ in range(5):
        answer(round_, "marketing", "staff", 4)
    return close(round_)


def test_comments_below_max_k_5_never_appear_in_any_page_or_file(leader_client, commented_round):
    texts = outputs(leader_client, commented_round)
    for name, text in texts.items():
        assert "hidden-three" not in text, name
    page = texts["/statements/"]  # comments sit with the statements they explain
    assert all(f"shown-two-{i}" in page for i in range(1, 5))
    assert all(f"open-{i}" in page for i in range(5))
    assert "at least 5 of its people commented" in page
    json_text = texts["/summary.json"]
    assert "shown-two" not in json_text  # the JSON summary carries figures, no comments
    json.loads(json_text)


def test_a_comment_with_html_and_a_leading_equals_is_inert_everywhere(
    leader_client, commented_round
):
    texts = outputs(leader_client, commented_round)
    page = texts["/statements/"]
    assert "<script>alert(1)</script>" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    rows = list(csv.reader(io.StringIO(texts["/comments.csv"])))
    assert rows[0] == ["department", "role", "statement", "comment"]
    dangerous = [row for row in rows if "HYPERLINK" in row[3]]
    assert dangerous == [["sales", "staff", "2", "'" + DANGEROUS]]
    response = leader_client.get(f"/rounds/{commented_round.pk}/comments.xlsx")
    sheet = load_workbook(io.BytesIO(response.content))["comments"]
    cells = [c for row in sheet.iter_rows() for c in row if "HYPERLINK" in str(c.value)]
    assert len(cells) == 1 and cells[0].data_type == "s" and cells[0].value.startswith("'=")


def test_heads_comments_are_shown_as_the_heads_view(leader_client, commented_round):
    page = leader_client.get(f"/rounds/{commented_round.pk}/statements/").content.decode()
    assert "Head says: forecasts arrive late" in page
    block = page[page.index('id="comments-4"') :]
    assert block.index("Sales: heads&#x27; view") < block.index("Head says")


def test_comments_are_published_at_close_and_later_edits_change_nothing(
    leader_client, commented_round
):
    Comment.objects.filter(text__startswith="shown-two").update(text="edited-after-close")
    Comment.objects.create(
        respondent=commented_round.respondents.filter(role="staff").first(),
        statement=5,
        text="late",
    )
    page = leader_client.get(f"/rounds/{commented_round.pk}/statements/").content.decode()
    assert "edited-after-close" not in page and "shown-two-1" in page


@pytest.fixture
def guessed_round(db):
    """k = 3. Sales (all rate 2: score 40, Defined): head guesses Aligned, 4 staff guess
    Defined, Defined, Defined, don't know. Marketing (all rate 4: score 80, Integrated):
    head guesses Integrated, 2 staff (below k) guess Undefined.

    Published, by hand: sales heads [0, 0, 1, 0, 0], sales staff [0, 3, 0, 0, 1],
    marketing heads [0, 0, 0, 1, 0]; marketing staff not at all. Sales expected Defined
    (3 against 1); marketing's staff are below k so marketing's side is its heads' view,
    Integrated. Marketing expected Integrated; sales sees Defined.
    """
    company = make_company(slug="guess", threshold=3)
    round_ = company.rounds.create(title="Guesses")
    answer(round_, "sales", "leader", 2, guess="aligned")
    for guess in ("defined", "defined", "defined", "unknown"):
        answer(round_, "sales", "staff", 2, guess=guess)
    answer(round_, "marketing", "leader", 4, guess="integrated")
    for _ in range(2):
        answer(round_, "marketing", "staff", 4, guess="undefined")
    return close(round_)


def test_the_guesses_match_a_hand_computed_table(client, guessed_round):
    client.force_login(make_user("boss@guess.test", guessed_round.company, role="owner"))
    page = client.get(f"/rounds/{guessed_round.pk}/").content.decode()
    table = page[page.index('id="guess-table"') : page.index("</table>", page.index("guess-table"))]
    rows = [
        re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row)
        for row in table.split("<tbody>")[1].split("<tr>")[1:]
    ]
    assert rows == [
        ["Sales: heads&#x27; view", "0", "0", "1", "0", "0"],
        ["Sales: staff", "0", "3", "0", "0", "1"],
        ["Marketing: heads&#x27; view", "0", "0", "0", "1", "0"],
    ]
    assert (
        "Sales expected marketing to see the relationship as Defined; "
        "marketing&#x27;s heads see it as Integrated." in page
    )
    assert (
        "Marketing expected sales to see the relationship as Integrated; "
        "sales sees it as Defined." in page
    )
    assert "Marketing: staff" not in page  # two staff guesses: below k, nowhere


def test_small_team_shows_heads_side_by_side_and_pooled_staff(client, db):
    """k = 3; 2 sales staff rate 2 (40), 2 marketing staff rate 4 (80): neither shown,
    the pool of 4 is: (2 x 40 + 2 x 80) / 4 = 60.0 Aligned, every statement 3.0. Heads:
    sales 5, marketing 1: gap +4.0 on every statement."""
    company = make_company(slug="tiny", threshold=3)
    round_ = company.rounds.create(title="Tiny")
    answer(round_, "sales", "leader", 5)
    answer(round_, "marketing", "leader", 1)
    for department, rating in (("sales", 2), ("marketing", 4)):
        for _ in range(2):
            answer(round_, department, "staff", rating)
    close(round_)
    client.force_login(make_user("boss@tiny.test", company, role="owner"))
    page = client.get(f"/rounds/{round_.pk}/").content.decode()
    assert "A small team: what can be shown" in page
    pooled = page[page.index('id="pooled-level"') :]
    assert pooled.startswith('id="pooled-level"><span class="h3">60.0</span> · Aligned · n = 4')
    assert page.count("<td>3.0</td>") == 20
    heads = page[page.index('id="heads-table"') : page.index("</table>", page.index("heads-table"))]
    assert heads.count("<td>5.0</td><td>1.0</td><td>+4.0</td>") == 20
    assert "the head of sales sees Integrated; the head of marketing sees Undefined." in page


def test_no_pool_when_one_department_is_shown_alone(client, db):
    """k = 3; 4 sales staff (shown), 2 marketing staff: a pool of 6 minus the 4 shown sales
    staff would be the 2 marketing staff, so there is no pool."""
    company = make_company(slug="half", threshold=3)
    round_ = company.rounds.create(title="Half")
    answer(round_, "sales", "leader", 3)
    answer(round_, "marketing", "leader", 3)
    for department, n in (("sales", 4), ("marketing", 2)):
        for _ in range(n):
            answer(round_, department, "staff", 2 if department == "sales" else 5)
    close(round_)
    client.force_login(make_user("boss@half.test", company, role="owner"))
    page = client.get(f"/rounds/{round_.pk}/").content.decode()
    assert "A small team: what can be shown" in page
    assert 'id="pooled-level"' not in page
    assert "Not enough answers to show: pooling the staff" in page
    assert "<td>5.0</td>" not in page  # the marketing staff's ratings appear nowhere


def test_a_round_with_every_group_large_has_no_small_team_section(leader_client, commented_round):
    page = leader_client.get(f"/rounds/{commented_round.pk}/").content.decode()
    assert "A small team" not in page


def test_the_comment_files_are_published_results_only_after_close(leader_client, company):
    round_ = company.rounds.create(title="Open")
    assert leader_client.get(f"/rounds/{round_.pk}/comments.csv").status_code == 404
    assert leader_client.get(f"/rounds/{round_.pk}/comments.xlsx").status_code == 404


def test_the_workshop_slide_of_a_statement_shows_its_published_comments(
    leader_client, commented_round
):
    html = leader_client.get(f"/rounds/{commented_round.pk}/workshop/").content.decode()
    start = html.index('<span class="statement-number">Statement 2</span>')
    slide = html[start : html.index("</section>", start)]
    assert "In their own words" in slide and "shown-two-1" in slide
    assert "hidden-three" not in html


def test_a_small_teams_guide_and_playbook_start_from_the_heads_views(client, db):
    """k = 3; 2 staff in each department (below k); heads rate 4 (80) and 2 (40): the
    heads' level is (80 + 40) / 2 = 60.0, Aligned, so the guide asks about Aligned and the
    playbook offers the move from Aligned to Integrated."""
    company = make_company(slug="small", threshold=3)
    round_ = company.rounds.create(title="Small")
    answer(round_, "sales", "leader", 4)
    answer(round_, "marketing", "leader", 2)
    for department in ("sales", "marketing"):
        for _ in range(2):
            answer(round_, department, "staff", 3)
    close(round_)
    client.force_login(make_user("boss@small.test", company, role="owner"))
    guide = client.get(f"/rounds/{round_.pk}/guide/").content.decode()
    assert "The two heads' views: Aligned" in guide
    assert "start from the heads' views" in guide
    plan = client.get(f"/rounds/{round_.pk}/plan/").content.decode()
    assert "Put one executive in charge of revenue" in plan  # Aligned -> Integrated
