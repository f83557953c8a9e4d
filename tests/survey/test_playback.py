"""Results played back to everyone invited, through the real views, the task and the mail.

Before the close a personal link opens the survey and nothing of the results; after it,
the same link and the person's own survey address open the company's published results,
and everyone invited by e-mail is told so, with the heads' message, in their language.
Whether someone answered changes nothing anyone can see: not the page, not the e-mail.
"""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from survey.models import Respondent, SurveyLink
from survey.writes.services import new_link
from tests.factories import make_respondent, post_data, start_survey, uniform

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
LINK = re.compile(r"http://127\.0\.0\.1:8000(/s/[A-Za-z0-9_-]{32}/)")
LEVEL = re.compile(r'id="combined-level">([^<]+)<')
MESSAGE = "Thank you all. We talk about the results on Friday at 10."


@pytest.fixture
def leader(manager):
    browser = Client()
    browser.force_login(manager)
    return browser


@pytest.fixture
def answered_round(company):
    """A round of threshold 3 where three staff of each department have answered."""
    survey_round = company.rounds.create(title="Spring", anonymity_threshold=3)
    for department, ratings in (("sales", [4, 4, 3]), ("marketing", [2, 3, 2])):
        for rating in ratings:
            make_respondent(survey_round, department, ratings=uniform(rating))
    return survey_round


def invite(survey_round, email: str, language: str = "en", department: str = "sales") -> str:
    respondent = Respondent.objects.create(
        round=survey_round, department=department, email=email, language=language
    )
    link, token = new_link(respondent, SurveyLink.Kind.EMAIL)
    link.save()
    return token


def close(leader: Client, survey_round, message: str = "", callbacks=None):
    with callbacks(execute=True):
        response = leader.post(f"/rounds/{survey_round.pk}/close/", {"message": message})
    assert response.status_code == 302
    survey_round.refresh_from_db()
    assert survey_round.closed_at is not None


def same_page(text: str, *keys: str) -> str:
    """The page without its CSRF token and the address it was asked at."""
    text = CSRF.sub("", text)
    for key in keys:
        text = text.replace(key, "KEY")
    return text


def test_a_staff_link_shows_nothing_before_the_close_and_the_published_results_after(
    answered_round, leader, django_capture_on_commit_callbacks
):
    token = invite(answered_round, "ana@acme.test")
    staff = Client()
    url = start_survey(staff, token)
    before = staff.get(url).content.decode()
    assert 'name="s1"' in before and "combined-level" not in before
    assert "shared back with everyone invited" in before

    close(leader, answered_round, callbacks=django_capture_on_commit_callbacks)

    after = staff.get(url)
    text = after.content.decode()
    assert after.status_code == 200
    assert "The results of Spring" in text and 'name="s1"' not in text
    dashboard = leader.get(f"/rounds/{answered_round.pk}/").content.decode()
    assert LEVEL.search(text)[1] == LEVEL.search(dashboard)[1]  # the same published figure
    assert 'id="statement-gaps"' in text and text.count("<tr>") == 21  # all 20 statements
    for leaders_only in ("answers.csv", "summary.json", "/plan/", "/guide/", "/workshop/"):
        assert leaders_only not in text
    # where the answers came from is the leaders' concern, not the staff summary's
    assert 'id="sources-sales"' in dashboard and 'id="sources-' not in text
    # the same summary at the personal link, in a browser that never started the survey
    other = Client().get(f"/s/{token}/", follow=True).content.decode()
    assert LEVEL.search(other)[1] == LEVEL.search(dashboard)[1]


def test_everyone_invited_by_email_is_told_through_the_task_with_the_heads_message(
    answered_round, leader, mailoutbox, django_capture_on_commit_callbacks
):
    invite(answered_round, "ana@acme.test", "en")
    invite(answered_round, "binh@acme.test", "vi", "marketing")
    head = Respondent.objects.create(
        round=answered_round, department="sales", role="leader", email="head@acme.test"
    )
    saved = leader.post(
        f"/rounds/{answered_round.pk}/close/", {"message": MESSAGE, "save_message": "1"}
    )
    assert saved.status_code == 302 and answered_round.respondents.count() == 9
    answered_round.refresh_from_db()
    assert answered_round.closed_at is None  # saving the message does not close the round
    mailoutbox.clear()

    close(leader, answered_round, MESSAGE, django_capture_on_commit_callbacks)

    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [head.email, "ana@acme.test", "binh@acme.test"]
    )
    mails = {m.to[0]: m for m in mailoutbox}
    assert "results" in mails["ana@acme.test"].subject
    assert "kết quả" in mails["binh@acme.test"].subject.lower()
    assert "Xin chào" in mails["binh@acme.test"].body
    for mail in mailoutbox:
        assert MESSAGE in mail.body and MESSAGE in mail.alternatives[0][0]
        assert "thank" not in mail.body.lower().replace(MESSAGE.lower(), "")
        path = LINK.search(mail.body)[1]
        page = Client().get(path, follow=True)
        assert page.status_code == 200
        assert MESSAGE in page.content.decode() and "combined-level" in page.content.decode()


def test_the_page_and_the_email_are_the_same_whether_or_not_the_person_answered(
    answered_round, leader, mailoutbox, django_capture_on_commit_callbacks
):
    answered_token = invite(answered_round, "answered@acme.test")
    silent_token = invite(answered_round, "silent@acme.test")
    answered_browser, silent_browser = Client(), Client()
    answered_url = start_survey(answered_browser, answered_token)
    assert (
        answered_browser.post(answered_url, post_data(dict.fromkeys(range(1, 21), 5))).status_code
        == 302
    )
    silent_url = start_survey(silent_browser, silent_token)  # started, never answered

    close(leader, answered_round, MESSAGE, django_capture_on_commit_callbacks)

    keys = [answered_url.split("/")[3], silent_url.split("/")[3]]
    pages = [
        answered_browser.get(answered_url),
        silent_browser.get(silent_url),
        Client().get(answered_url),  # another browser at each address
        Client().get(silent_url),
        Client().get(f"/s/{answered_token}/", follow=True),  # each person's old link
        Client().get(f"/s/{silent_token}/", follow=True),
    ]
    assert {p.status_code for p in pages} == {200}
    texts = {same_page(p.content.decode(), *keys) for p in pages[:4]}
    assert len(texts) == 1
    assert len({same_page(p.content.decode()) for p in pages[4:]}) == 1
    text = texts.pop()
    assert "thank" not in text.lower().replace(MESSAGE.lower(), "")

    mails = {m.to[0]: m for m in mailoutbox}
    answered, silent = mails["answered@acme.test"], mails["silent@acme.test"]
    assert answered.subject == silent.subject
    assert LINK.sub("LINK", answered.body) == LINK.sub("LINK", silent.body)
    assert LINK.sub("LINK", answered.alternatives[0][0]) == LINK.sub(
        "LINK", silent.alternatives[0][0]
    )


def test_no_working_token_is_stored_with_the_queued_task(
    answered_round, leader, mailoutbox, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    invite(answered_round, "ana@acme.test")
    close(leader, answered_round, MESSAGE, django_capture_on_commit_callbacks)
    assert mailoutbox == []  # queued, not sent yet
    queued = DBTaskResult.objects.get()
    # Only who is due it, and when that was queued: the task makes the link itself.
    ana = Respondent.objects.get(email="ana@acme.test")
    assert queued.args_kwargs["kwargs"]["ids"] == [ana.pk]
    assert set(queued.args_kwargs["kwargs"]) == {"ids", "queued_at"}

    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=1,
        worker_id="test",
        excluded_queue_names=[],
    )
    worker.run_task(queued)  # what `manage.py db_worker` does with it

    assert len(mailoutbox) == 1
    token = LINK.search(mailoutbox[0].body)[1].split("/")[2]
    for row in DBTaskResult.objects.all():
        assert token not in str(row.args_kwargs) and token not in str(row.return_value)


def test_the_thanks_page_says_where_the_results_will_be(round_, client):
    token = invite(round_, "ana@acme.test")
    url = start_survey(client, token)
    client.post(url, post_data(dict.fromkeys(range(1, 21), 3)))
    assert "everyone invited gets an email" in client.get(url + "thanks/").content.decode()

    shared = Client()
    survey_round = round_
    link = survey_round.shared_links.create(department="sales", role="staff", is_active=True)
    shared.get(f"/s/join/{link.token}/")
    joined = shared.post("/s/join/")["Location"]
    assert shared.post(joined, post_data(dict.fromkeys(range(1, 21), 3))).status_code == 302
    thanks = shared.get(joined + "thanks/").content.decode()
    assert "appear at this page's address" in thanks


def test_the_heads_message_is_kept_only_while_the_round_is_open(
    answered_round, leader, django_capture_on_commit_callbacks
):
    url = f"/rounds/{answered_round.pk}/close/"
    too_long = leader.post(url, {"message": "x" * 1001, "save_message": "1"})
    assert too_long.status_code == 200 and "at most 1000 characters" in too_long.content.decode()
    leader.post(url, {"message": MESSAGE, "save_message": "1"})
    assert MESSAGE in leader.get(url).content.decode()
    close(leader, answered_round, MESSAGE, django_capture_on_commit_callbacks)
    assert leader.post(url, {"message": "Changed", "save_message": "1"}).status_code == 302
    assert answered_round.results_message.text == MESSAGE


def test_a_round_closing_at_its_date_announces_its_results_too(
    answered_round, mailoutbox, django_capture_on_commit_callbacks
):
    token = invite(answered_round, "ana@acme.test")
    staff = Client()
    url = start_survey(staff, token)
    answered_round.closes_at = timezone.now() - timedelta(seconds=1)
    answered_round.save()
    with django_capture_on_commit_callbacks(execute=True):
        page = staff.get(url)  # the first request after the date closes the round
    assert page.status_code == 200 and "combined-level" in page.content.decode()
    assert [m.to for m in mailoutbox] == [["ana@acme.test"]]
    with django_capture_on_commit_callbacks(execute=True):
        staff.get(url)
    assert len(mailoutbox) == 1  # announced once
