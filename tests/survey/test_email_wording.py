"""E-mails a recipient can trust: who sends, who asks, why, until when, whom to ask; the
password reset in HTML with how long it works; action owners reminded once each."""

import re
from datetime import timedelta
from email.utils import parseaddr

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from scoring.models import ActionOwner, PlannedAction
from scoring.results.action_emails import email_owners
from survey.models import Respondent
from tests.factories import make_user
from tests.insight_factories import answered_round


@pytest.fixture
def leader(client, manager):
    client.force_login(manager)
    return manager


@pytest.fixture
def heads(round_):
    round_.closes_at = timezone.make_aware(timezone.datetime(2027, 3, 31, 23, 59))
    round_.save()
    Respondent.objects.create(
        round=round_, department="sales", role="leader", name="Lan Nguyen", email="lan@acme.test"
    )
    Respondent.objects.create(
        round=round_, department="marketing", role="leader", name="Minh Tran", email="minh@a.test"
    )


def invite(client, round_, line, capture):
    with capture(execute=True):
        client.post(f"/rounds/{round_.pk}/people/", {"lines": line, "send_emails": "on"})
    return mail.outbox[-1]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text))


def test_an_invitation_says_who_asks_why_until_when_and_whom_to_ask_in_english(
    client, round_, leader, heads, settings, django_capture_on_commit_callbacks
):
    settings.DEFAULT_FROM_EMAIL = "Alignment Survey <survey@example.com>"
    message = invite(client, round_, "an@acme.test, An, sales", django_capture_on_commit_callbacks)
    name, address = parseaddr(message.from_email)
    assert (name, address) == ("Acme (via Alignment Survey)", "survey@example.com")
    for part in (message.body, flat(message.alternatives[0][0])):
        assert "Who is asking: the heads of the two departments," in part
        assert "Lan Nguyen (Sales, lan@acme.test)" in part
        assert "Minh Tran (Marketing, minh@a.test)" in part
        assert "The survey closes on March 31, 2027." in part
        assert "Acme added your address to this survey" in part
        assert "Questions? Ask the heads named above." in part
        assert "nobody at Acme can see whether you answered" in part
        assert "groups of at least 5 people" in part


def test_an_invitation_in_vietnamese(
    client, round_, leader, heads, django_capture_on_commit_callbacks
):
    message = invite(
        client, round_, "an@acme.test, An, sales, staff, vi", django_capture_on_commit_callbacks
    )
    name, address = parseaddr(message.from_email)
    assert name == "Acme (qua Sales & Marketing Alignment)" and address == "assessment@localhost"
    body = message.body
    assert "Người đề nghị: trưởng hai bộ phận," in body
    assert "Lan Nguyen (Bán hàng, lan@acme.test)" in body
    assert "Hạn trả lời: Ngày 31 tháng 3 năm 2027." in body
    assert "Có câu hỏi? Hãy hỏi các trưởng bộ phận nêu tên ở trên." in body
    assert "Who is asking" not in body and "closes" not in body


def test_a_sender_name_cannot_break_the_header(client, company, round_, leader, heads):
    company.name = "Acme\r\nBcc: x@evil.test"
    company.save()
    from survey.writes.emails import sender

    assert "\n" not in sender(company.name) and "\r" not in sender(company.name)


def test_the_password_reset_email_comes_in_html_too_and_says_how_long_it_works(
    client, company, settings
):
    make_user("owner@acme.test", company, role="owner")
    settings.PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3
    client.post("/password-reset/", {"email": "owner@acme.test"})
    (message,) = mail.outbox
    html, mime = message.alternatives[0]
    assert mime == "text/html"
    link = re.search(r"http://testserver/password-reset/\S+/", message.body).group(0)
    assert f'href="{link}"' in html
    assert "The link works once, for 3 days." in message.body
    assert "The link works once, for 3 days." in html

    mail.outbox.clear()
    settings.PASSWORD_RESET_TIMEOUT = 60 * 60 * 2
    client.post("/password-reset/", {"email": "owner@acme.test"}, HTTP_ACCEPT_LANGUAGE="vi")
    assert "Đường dẫn dùng được một lần, trong 2 giờ." in mail.outbox[0].alternatives[0][0]


def test_a_manager_invitation_comes_in_the_language_the_person_answers_in(
    client, company, round_, owner, django_capture_on_commit_callbacks
):
    Respondent.objects.create(
        round=round_, department="sales", email="lan@acme.test", language="vi"
    )
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/companies/{company.pk}/members/", {"email": "lan@acme.test"})
        client.post(
            f"/companies/{company.pk}/members/", {"email": "jo@acme.test", "language": "vi"}
        )
        client.post(f"/companies/{company.pk}/members/", {"email": "bo@acme.test"})
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "Xin chào" in by_address["lan@acme.test"].body  # known: the language she answers in
    assert "Xin chào" in by_address["jo@acme.test"].body  # chosen on the form
    assert "Hello" in by_address["bo@acme.test"].body  # the inviter's language
    assert parseaddr(by_address["bo@acme.test"].from_email)[0].startswith("Acme (via ")


@pytest.fixture
def owned_action(company):
    action = PlannedAction.objects.create(
        company=company,
        round=answered_round(company),
        title="Meet every month",
        due_date=timezone.localdate() + timedelta(days=2),
    )
    lan = make_user("lan@acme.test", company)
    ActionOwner.objects.create(action=action, department="sales", user=lan, language="vi")
    ActionOwner.objects.create(
        action=action, department="marketing", name="Quynh", email="quynh@acme.test"
    )
    ActionOwner.objects.update(assigned_at=timezone.now() - timedelta(days=5))
    return action


def due_emails(capture):
    with capture(execute=True):
        call_command("send_due_emails", base_url="http://testserver", stdout=None)


def test_action_owners_are_reminded_before_the_due_date_and_when_overdue_once_each(
    owned_action, django_capture_on_commit_callbacks
):
    due_emails(django_capture_on_commit_callbacks)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_address) == ["lan@acme.test", "quynh@acme.test"]
    assert by_address["quynh@acme.test"].subject.startswith("Reminder: Meet every month is due")
    assert "an action you own is due soon" in by_address["quynh@acme.test"].body
    assert by_address["lan@acme.test"].subject.startswith("Nhắc việc: Meet every month")
    mail.outbox.clear()
    due_emails(django_capture_on_commit_callbacks)
    assert mail.outbox == []  # once

    PlannedAction.objects.update(due_date=timezone.localdate() - timedelta(days=1))
    due_emails(django_capture_on_commit_callbacks)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address["quynh@acme.test"].subject.startswith("Overdue since")
    assert "past its due date" in by_address["quynh@acme.test"].body
    assert "Quá hạn" in by_address["lan@acme.test"].subject
    mail.outbox.clear()
    due_emails(django_capture_on_commit_callbacks)
    assert mail.outbox == []  # once


def test_no_reminder_for_a_done_action_nor_a_failed_one_counted_as_sent(
    owned_action, django_capture_on_commit_callbacks, monkeypatch
):
    def refuse(self, messages):
        raise ConnectionRefusedError("smtp down")

    with monkeypatch.context() as patch:
        patch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
        due_emails(django_capture_on_commit_callbacks)
    assert not ActionOwner.objects.exclude(due_reminded_at=None).exists()
    assert set(ActionOwner.objects.values_list("reminder_failures", flat=True)) == {1}

    PlannedAction.objects.update(status="done")
    due_emails(django_capture_on_commit_callbacks)
    assert mail.outbox == []


# Names and replies: every e-mail a leader causes names who asks, and a reply reaches them.
HEADS_REPLY_TO = ["Lan Nguyen <lan@acme.test>", "Minh Tran <minh@a.test>"]
ASKERS_EN = "Lan Nguyen, Head of Sales at Acme, and Minh Tran, Head of Marketing at Acme"
ASKERS_VI = (
    "Lan Nguyen, Trưởng bộ phận Bán hàng tại Acme, và Minh Tran, Trưởng bộ phận Marketing tại Acme"
)


def both_parts(message) -> list[str]:
    return [flat(message.body), flat(message.alternatives[0][0])]


@pytest.mark.parametrize(
    "language,expected",
    [
        ("en", f"{ASKERS_EN} ask you to answer; a reply to this e-mail reaches them."),
        ("vi", f"{ASKERS_VI} đề nghị bạn trả lời; trả lời e-mail này sẽ đến họ."),
    ],
)
def test_an_invitation_names_the_heads_who_ask_and_replies_reach_them(
    client, round_, leader, heads, language, expected, django_capture_on_commit_callbacks
):
    line = f"an@acme.test, An, sales, staff, {language}"
    message = invite(client, round_, line, django_capture_on_commit_callbacks)
    assert message.reply_to == HEADS_REPLY_TO
    for part in both_parts(message):
        assert expected in part


@pytest.mark.parametrize(
    "language,expected",
    [("en", f"{ASKERS_EN} ask you to answer"), ("vi", f"{ASKERS_VI} đề nghị bạn trả lời")],
)
def test_a_reminder_names_the_heads_and_replies_reach_them(
    client, round_, leader, heads, language, expected, django_capture_on_commit_callbacks
):
    Respondent.objects.create(
        round=round_, department="sales", email="an@acme.test", language=language
    )
    Respondent.objects.update(invitation_status_at=timezone.now() - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/rounds/{round_.pk}/remind/")
    (message,) = [m for m in mail.outbox if m.to == ["an@acme.test"]]
    assert message.reply_to == HEADS_REPLY_TO
    for part in both_parts(message):
        assert expected in part


def test_one_head_asks_in_the_singular(client, round_, leader, django_capture_on_commit_callbacks):
    Respondent.objects.create(
        round=round_, department="sales", role="leader", name="Lan Nguyen", email="lan@acme.test"
    )
    message = invite(client, round_, "an@acme.test, An, sales", django_capture_on_commit_callbacks)
    assert "Lan Nguyen, Head of Sales at Acme asks you to answer" in message.body
    assert message.reply_to == ["Lan Nguyen <lan@acme.test>"]


@pytest.mark.parametrize(
    "language,expected",
    [
        ("en", f"Questions about the survey? A reply to this e-mail reaches {ASKERS_EN}."),
        ("vi", f"Có câu hỏi về khảo sát? Trả lời e-mail này sẽ đến {ASKERS_VI}."),
    ],
)
def test_a_fresh_link_names_the_heads_and_replies_reach_them(round_, heads, language, expected):
    from survey.writes.emails import fresh_link_message

    person = Respondent.objects.create(
        round=round_, department="sales", email="an@acme.test", language=language
    )
    message = fresh_link_message(respondent=person, token="t" * 32, base_url="http://x")
    assert message.reply_to == HEADS_REPLY_TO
    for part in both_parts(message):
        assert expected in part


@pytest.mark.parametrize(
    "language,expected",
    [
        ("en", f"{ASKERS_EN} send you the results; a reply to this e-mail reaches them."),
        ("vi", f"{ASKERS_VI} gửi bạn kết quả; trả lời e-mail này sẽ đến họ."),
    ],
)
def test_the_results_e_mail_names_the_heads_and_replies_reach_them(
    round_, heads, language, expected
):
    from survey.writes.playback import results_message

    person = Respondent.objects.create(
        round=round_, department="sales", email="an@acme.test", language=language
    )
    message = results_message(
        respondent=person, token="t" * 32, heads_message="", base_url="http://x"
    )
    assert message.reply_to == HEADS_REPLY_TO
    for part in both_parts(message):
        assert expected in part


@pytest.mark.parametrize(
    "language,expected",
    [
        ("en", "Lan Nguyen (owner@acme.test) invites you to help run"),
        ("vi", "Lan Nguyen (owner@acme.test) mời bạn cùng điều hành"),
    ],
)
def test_a_member_invitation_names_the_inviter_and_replies_reach_them(
    client, company, owner, language, expected, django_capture_on_commit_callbacks
):
    owner.first_name = "Lan Nguyen"
    owner.save()
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/companies/{company.pk}/members/", {"email": "jo@acme.test", "language": language}
        )
    (message,) = mail.outbox
    assert message.reply_to == ["Lan Nguyen <owner@acme.test>"]
    reply = {
        "en": "A reply to this e-mail reaches Lan Nguyen.",
        "vi": "Trả lời e-mail này sẽ đến Lan Nguyen.",
    }
    for part in both_parts(message):
        assert expected in part
        assert reply[language] in part


def test_a_member_invitation_from_a_leader_without_a_name_gives_the_address(
    client, company, owner, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/companies/{company.pk}/members/", {"email": "jo@acme.test"})
    (message,) = mail.outbox
    assert "owner@acme.test invites you" in message.body
    assert message.reply_to == ["owner@acme.test"]


@pytest.mark.parametrize(
    "language,expected",
    [("en", "To choose your password and finish"), ("vi", None)],
)
def test_sign_up_e_mails_come_from_the_product_with_an_html_part(
    client, db, settings, language, expected
):
    settings.DEFAULT_FROM_EMAIL = "Alignment Survey <survey@example.com>"
    client.post("/signup/", {"email": "new@acme.test"}, HTTP_ACCEPT_LANGUAGE=language)
    (message,) = mail.outbox
    assert parseaddr(message.from_email) == ("Alignment Survey", "survey@example.com")
    html, mime = message.alternatives[0]
    assert mime == "text/html" and f'<html lang="{language}">' in html
    link = re.search(r"http://testserver/signup/finish/\S+/", message.body).group(0)
    assert f'href="{link}"' in html
    if expected:
        assert expected in message.body
    else:
        assert "To choose your password" not in message.body


def test_the_reset_e_mail_comes_from_the_product(client, company, settings):
    settings.DEFAULT_FROM_EMAIL = "survey@example.com"
    make_user("owner@acme.test", company, role="owner")
    client.post("/password-reset/", {"email": "owner@acme.test"})
    (message,) = mail.outbox
    assert parseaddr(message.from_email) == ("Sales & Marketing Alignment", "survey@example.com")
    assert message.reply_to == []


@pytest.mark.parametrize(
    "language,expected",
    [
        ("en", f"{ASKERS_EN} count on you for it; a reply to this e-mail reaches them."),
        ("vi", f"{ASKERS_VI} trông cậy vào bạn cho việc này; trả lời e-mail này sẽ đến họ."),
    ],
)
def test_an_action_owners_email_names_the_heads_and_replies_reach_them(
    company, language, expected, django_capture_on_commit_callbacks
):
    survey_round = answered_round(company)
    heads = survey_round.respondents.filter(role="leader")
    heads.filter(department="sales").update(name="Lan Nguyen", email="lan@acme.test")
    heads.filter(department="marketing").update(name="Minh Tran", email="minh@a.test")
    action = PlannedAction.objects.create(company=company, round=survey_round, title="Meet")
    owner = ActionOwner.objects.create(
        action=action, department="sales", name="Quynh", email="quynh@acme.test",
        language=language,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        email_owners(owners=[owner], base_url="http://testserver")
    (message,) = mail.outbox
    assert message.reply_to == HEADS_REPLY_TO
    for part in both_parts(message):
        assert expected in part
