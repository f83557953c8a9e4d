"""The workshop of a closed round, through its real views: every slide, in both languages."""

import re

import pytest
from django.conf import settings

from scoring.advice.prompts import prompts_for
from scoring.models import PlannedAction, WorkshopAgreement
from tests.factories import close, closed_round, make_company, make_respondent, make_user, uniform


def ratings(base: int, **by_statement: int) -> list[int]:
    values = uniform(base)
    for key, rating in by_statement.items():
        values[int(key[1:]) - 1] = rating
    return values


@pytest.fixture
def workshop_round(company):
    """Sales sees statement 3 much higher than marketing, and statement 7 lower.

    Sales (head + 5 staff): s3 = 5 for five people and 4 for one, s7 = 2, else 3.
    Marketing (head + 5 staff): s3 = 1, s7 = 4, else 3.
    Statement gaps: s3 = 29/6 - 1 = 3.83, s7 = -2, every other statement 0.
    Scores: sales 3*18 + 29/6 + 2 = 60.83, marketing 3*18 + 1 + 4 = 59; combined 59.9.
    """
    survey_round = company.rounds.create(title="Spring")
    make_respondent(survey_round, "sales", "leader", ratings(3, s3=5, s7=2))
    for rating in (5, 5, 4, 5, 5):
        make_respondent(survey_round, "sales", "staff", ratings(3, s3=rating, s7=2))
    for role in ("leader",) + ("staff",) * 5:
        make_respondent(survey_round, "marketing", role, ratings(3, s3=1, s7=4))
    return close(survey_round)


def url(survey_round) -> str:
    return f"/rounds/{survey_round.pk}/workshop/"


def page(client, survey_round) -> str:
    response = client.get(url(survey_round))
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def slide(html: str, slide_id: str) -> str:
    match = re.search(rf'<section [^>]*id="{slide_id}".*?</section>', html)
    assert match, slide_id
    return match.group(0)


def speak(client, language: str) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language


def test_slides_come_opening_then_statements_by_gap_then_closing(client, workshop_round, manager):
    client.force_login(manager)
    html = page(client, workshop_round)
    ids = re.findall(r'<section class="slide[^"]*" id="([^"]+)"', html)
    assert ids[0] == "slide-opening" and ids[-1] == "slide-closing"
    assert ids[1:3] == ["slide-statement-3", "slide-statement-7"]  # largest gaps first
    assert ids[3:][:-1] == [f"slide-statement-{n}" for n in range(1, 21) if n not in (3, 7)]
    assert "Slide 1 of 22" in html and "Slide 22 of 22" in html


def test_the_opening_shows_the_levels_and_the_gap_in_one_sentence(client, workshop_round, manager):
    client.force_login(manager)
    opening = slide(page(client, workshop_round), "slide-opening")
    assert "Combined level" in opening and "59.9" in opening
    assert "60.8" in opening and "59.0" in opening  # sales, marketing
    assert opening.count("Aligned") == 1 and opening.count("Defined") == 2
    assert "Sales rates the relationship 1.8 points higher than marketing does." in opening


def test_a_statement_slide_shows_counts_means_prompts_and_the_box(client, workshop_round, manager):
    client.force_login(manager)
    third = slide(page(client, workshop_round), "slide-statement-3")
    assert "Marketing people often meet customers during the sales process." in third
    counts = re.findall(r'<span class="rating-count">(\d+)</span>', third)
    assert counts == ["0", "0", "0", "1", "5", "6", "0", "0", "0", "0"]  # sales, marketing
    assert "4.8" in third and "1.0" in third  # the two means
    assert "Sales rates this 3.8 points higher." in third
    for prompt in prompts_for(3):
        assert str(prompt.text).replace("'", "&#x27;") in third
    assert 'name="text"' in third and "What the room agrees" in third
    assert f'action="/rounds/{workshop_round.pk}/workshop/agree/3/"' in third


def test_every_slide_speaks_vietnamese(client, workshop_round, manager):
    client.force_login(manager)
    speak(client, "vi")
    html = page(client, workshop_round)
    assert '<html lang="vi">' in html
    opening = slide(html, "slide-opening")
    assert "Mức độ chung" in opening and "59,9" in opening
    assert "Trang 1 / 22" in opening
    for number in range(1, 21):
        statement = slide(html, f"slide-statement-{number}")
        assert "Điều mà cả phòng thống nhất" in statement
        assert f"Nhận định {number}" in statement
        assert "Combined level" not in statement and "What the room agrees" not in statement
    closing = slide(html, "slide-closing")
    assert "Những gì chúng ta đã thống nhất" in closing
    assert "Nothing is agreed yet" not in closing


def test_a_department_below_the_threshold_shows_no_counts(client, company, manager):
    survey_round = company.rounds.create(title="Small")
    make_respondent(survey_round, "sales", "leader", uniform(4))
    for _ in range(5):
        make_respondent(survey_round, "sales", "staff", uniform(4))
    make_respondent(survey_round, "marketing", "leader", uniform(1))  # the head alone
    for _ in range(2):
        make_respondent(survey_round, "marketing", "staff", uniform(2))
    close(survey_round)
    client.force_login(manager)
    html = page(client, survey_round)
    first = slide(html, "slide-statement-1")  # no gaps: statements in number order
    counts = re.findall(r'<span class="rating-count">(\d+)</span>', first)
    assert counts == ["0", "0", "0", "6", "0"]  # sales only; nothing of marketing's head
    assert "not shown: fewer than 5 staff answered" in first
    assert "The two departments cannot be compared" in slide(html, "slide-opening")


def test_the_room_records_agreements_and_turns_them_into_actions(client, workshop_round, manager):
    client.force_login(manager)
    saved = client.post(
        f"/rounds/{workshop_round.pk}/workshop/agree/3/",
        {"text": "A marketer joins two customer visits a month\nStarting in March."},
    )
    assert saved.status_code == 302
    assert saved["Location"] == f"{url(workshop_round)}#slide-statement-3"
    client.post(f"/rounds/{workshop_round.pk}/workshop/agree/7/", {"text": "Agree three terms"})
    html = page(client, workshop_round)
    assert "A marketer joins two customer visits a month" in slide(html, "slide-statement-3")
    closing = slide(html, "slide-closing")
    assert closing.index("A marketer joins") < closing.index("Agree three terms")  # gap order

    agreement = WorkshopAgreement.objects.get(round=workshop_round, statement=3)
    action_url = f"/rounds/{workshop_round.pk}/workshop/agreements/{agreement.pk}/action/"
    made = client.post(action_url)
    assert made["Location"] == f"{url(workshop_round)}#slide-closing"
    client.post(action_url)  # a second click makes no second action
    action = PlannedAction.objects.get()
    assert action.title == "A marketer joins two customer visits a month"
    assert "statement 3" in action.notes and "Starting in March." in action.notes
    assert action.company == workshop_round.company and action.round == workshop_round
    closing = slide(page(client, workshop_round), "slide-closing")
    assert "In the action plan:" in closing and f"#action-{action.pk}" in closing
    plan = client.get(f"/rounds/{workshop_round.pk}/plan/").content.decode()
    assert "A marketer joins two customer visits a month" in plan

    client.post(f"/rounds/{workshop_round.pk}/workshop/agree/3/", {"text": "  "})
    assert not WorkshopAgreement.objects.filter(statement=3).exists()
    assert PlannedAction.objects.filter(pk=action.pk).exists()  # the action stays planned


def test_an_agreement_too_long_is_refused(client, workshop_round, manager):
    client.force_login(manager)
    response = client.post(
        f"/rounds/{workshop_round.pk}/workshop/agree/3/", {"text": "x" * 2001}, follow=True
    )
    assert "at most 2000 characters" in response.content.decode()
    assert not WorkshopAgreement.objects.exists()


def test_no_workshop_before_the_close_and_no_statement_21(client, company, workshop_round, manager):
    client.force_login(manager)
    open_round = company.rounds.create(title="Open")
    assert "The workshop opens when the round is closed" in page(client, open_round)
    assert (
        client.post(f"/rounds/{open_round.pk}/workshop/agree/3/", {"text": "x"}).status_code == 404
    )
    assert (
        client.post(f"/rounds/{workshop_round.pk}/workshop/agree/21/", {"text": "x"}).status_code
        == 404
    )
    assert not WorkshopAgreement.objects.exists()


def test_another_company_can_neither_see_nor_write(client, workshop_round, outsider):
    other = make_company("Third", "third")
    stranger = make_user("stranger@other.test", other)
    WorkshopAgreement.objects.create(round=workshop_round, statement=3, text="Ours")
    agreement = WorkshopAgreement.objects.get()
    for user in (outsider, stranger):
        client.force_login(user)
        assert client.get(url(workshop_round)).status_code == 404
        post = client.post(f"/rounds/{workshop_round.pk}/workshop/agree/3/", {"text": "Theirs"})
        assert post.status_code == 404
        action = f"/rounds/{workshop_round.pk}/workshop/agreements/{agreement.pk}/action/"
        assert client.post(action).status_code == 404
    assert WorkshopAgreement.objects.get().text == "Ours" and not PlannedAction.objects.exists()


def test_an_agreement_of_another_round_is_a_404(client, company, workshop_round, manager):
    other_round = closed_round(company, "Autumn")
    agreement = WorkshopAgreement.objects.create(round=other_round, statement=1, text="Old")
    client.force_login(manager)
    response = client.post(
        f"/rounds/{workshop_round.pk}/workshop/agreements/{agreement.pk}/action/"
    )
    assert response.status_code == 404


def test_the_dashboard_links_to_the_workshop(client, workshop_round, manager):
    client.force_login(manager)
    html = client.get(f"/rounds/{workshop_round.pk}/").content.decode()
    assert f'href="{url(workshop_round)}"' in html
