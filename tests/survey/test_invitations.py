import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from survey.models import Respondent, SharedLink, hash_token
from survey.plumbing.throttle import SHARED_LINK_JOINS
from tests.factories import answered_yesterday, make_respondent, uniform

LINK = re.compile(r"http://testserver(/s/[\w-]{32}/)")


def add(client, round_, lines="", file=None, send=True, show=True):
    data = {"lines": lines, "send_emails": "on" if send else "", "show_links": "on" if show else ""}
    if file is not None:
        data["file"] = file
    return client.post(f"/rounds/{round_.pk}/people/", data)


@pytest.fixture
def leader(client, manager):
    client.force_login(manager)
    return manager


def test_pasted_lines_become_respondents_each_emailed_in_their_language(
    client, round_, leader, mailoutbox, django_capture_on_commit_callbacks
):
    lines = "an@acme.test, An, sales, staff, vi\njo@acme.test, Jo, marketing"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = add(client, round_, lines)
    assert len(callbacks) == 1  # sent only once the transaction committed
    html = response.content.decode()
    assert "2 people added." in html and "2 invitations are being emailed." in html
    shown = LINK.findall(html)
    assert len(shown) == 2

    by_address = {m.to[0]: m for m in mailoutbox}
    assert "Xin chào An" in by_address["an@acme.test"].body
    assert 'lang="vi"' in by_address["an@acme.test"].alternatives[0][0]
    assert "Hello Jo" in by_address["jo@acme.test"].body
    html_part, mime = by_address["jo@acme.test"].alternatives[0]
    assert mime == "text/html" and 'lang="en"' in html_part
    # The emailed link and the one shown are two working links (only hashes are stored):
    # answers through the shown one are counted as such in the published results.
    emailed = LINK.search(by_address["jo@acme.test"].body).group(1)
    assert emailed not in shown
    jo = Respondent.objects.get(email="jo@acme.test")
    kinds = {link.token_hash: link.kind for link in jo.links.all()}
    assert kinds[hash_token(emailed.split("/")[2])] == "email"
    assert "screen" in kinds.values()
    assert client.get(emailed).status_code == 302


def test_links_are_shown_only_when_asked_and_that_is_on_the_record(client, round_, leader):
    html = add(client, round_, "an@acme.test,An,sales", show=False).content.decode()
    assert not LINK.findall(html)
    assert not round_.audit_events.filter(action="links_shown").exists()
    html = add(client, round_, "bo@acme.test,Bo,sales").content.decode()
    assert len(LINK.findall(html)) == 1
    event = round_.audit_events.get(action="links_shown")
    assert event.actor == leader and "bo@acme.test" in event.detail
    record = client.get(f"/rounds/{round_.pk}/manage/").content.decode()
    assert "saw personal links on screen" in record and "manager@acme.test" in record


def test_people_need_a_way_to_get_their_links(client, round_, leader):
    response = add(client, round_, "an@acme.test,An,sales", send=False, show=False)
    assert response.status_code == 400
    assert "Choose how they get their links" in response.content.decode()
    assert not round_.respondents.exists()


def test_adding_the_same_people_again_adds_nobody_twice(client, round_, leader):
    add(client, round_, "an@acme.test,An,sales", send=False)
    html = add(client, round_, "AN@acme.test,An,sales\nbo@acme.test,,sales").content.decode()
    assert "1 person added." in html
    assert "1 was already in this round" in html
    assert round_.respondents.count() == 2


def test_a_csv_upload_keeps_the_good_lines_and_reports_each_bad_one(client, round_, leader):
    csv = "email,name,department\nok@acme.test,Ok,sales\nbad-email,X,sales\nz@acme.test,Z,finance\n"
    upload = SimpleUploadedFile("people.csv", csv.encode(), content_type="text/csv")
    html = add(client, round_, file=upload, send=False).content.decode()
    assert "1 person added." in html
    assert "2 lines were not added" in html
    assert "Line 3:" in html and "not a valid email" in html
    assert "Line 4:" in html and "Unknown department “finance”" in html
    assert list(round_.respondents.values_list("email", flat=True)) == ["ok@acme.test"]


@pytest.mark.parametrize(
    "content,problem",
    [
        (b"x" * 1_000_001, "larger than 1 MB"),
        (b"a@acme.test,,sales\n" * 2_001, "At most 2,000 lines"),
        (b'a@acme.test,"An,sales\n', "cannot be read as CSV"),
        ("Nguyễn,sales".encode("utf-16"), "not UTF-8"),
    ],
)
def test_an_unusable_upload_is_refused_whole(client, round_, leader, content, problem):
    upload = SimpleUploadedFile("people.csv", content, content_type="text/csv")
    response = add(client, round_, file=upload)
    assert response.status_code == 400
    assert problem in response.content.decode()
    assert not round_.respondents.exists()


def test_html_in_names_is_escaped_on_pages_and_in_emails(
    client, round_, leader, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        html = add(client, round_, "x@acme.test,<b>Bold</b>,sales").content.decode()
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt;" in html
    html_part = mailoutbox[0].alternatives[0][0]
    assert "<b>Bold</b>" not in html_part and "&lt;b&gt;Bold&lt;/b&gt;" in html_part
    assert "Hello <b>Bold</b>," in mailoutbox[0].body  # plain text is not HTML


def test_a_fresh_link_goes_only_to_the_person_and_is_never_shown(
    client, round_, leader, mailoutbox, django_capture_on_commit_callbacks
):
    respondent, old = make_respondent(round_)
    respondent.email = "an@acme.test"
    respondent.save()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            f"/rounds/{round_.pk}/fresh-link/", {"email": "AN@acme.test"}, follow=True
        ).content.decode()
    assert "A fresh link is on its way to an@acme.test" in page
    assert not LINK.search(page)
    assert [m.to for m in mailoutbox] == [["an@acme.test"]]
    assert LINK.search(mailoutbox[0].body)
    assert round_.audit_events.filter(action="fresh_link", actor=leader).exists()
    assert client.get(f"/s/{old}/").status_code == 302  # earlier links keep working


def test_a_fresh_link_for_an_unknown_email_says_so(client, round_, leader):
    page = client.post(f"/rounds/{round_.pk}/fresh-link/", {"email": "no@acme.test"}, follow=True)
    assert "Nobody with this email is in this open round." in page.content.decode()


def test_a_closed_round_takes_no_new_people(client, round_, leader):
    round_.closed_at = timezone.now()
    round_.save()
    add(client, round_, "an@acme.test,An,sales")
    assert not round_.respondents.exists()


def turn_on(client, round_, department="sales", role="staff") -> SharedLink:
    client.post(f"/rounds/{round_.pk}/shared/{department}/{role}/")
    return SharedLink.objects.get(round=round_, department=department, role=role)


def test_a_shared_link_gives_each_visitor_a_fresh_personal_link(client, round_, leader):
    link = turn_on(client, round_)
    page = client.get(f"/rounds/{round_.pk}/manage/").content.decode()
    assert f"http://testserver/s/join/{link.token}/" in page
    qr = client.get(f"/shared/{link.pk}/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    png = client.get(f"/shared/{link.pk}/qr.png")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG\r\n")
    assert f"/shared/{link.pk}/qr.png" in page

    client.logout()
    opened = client.get(f"/s/join/{link.token}/")
    assert opened["Location"] == "/s/join/"  # the token leaves the address bar
    landing = client.get("/s/join/")
    assert "Start the survey" in landing.content.decode()
    assert not round_.respondents.exists()  # a link preview creates nobody
    first = client.post("/s/join/")
    assert client.get(first["Location"]).status_code == 200
    assert client.get("/s/join/")["Location"] == first["Location"]  # a return visit
    other = Client()
    other.get(f"/s/join/{link.token}/")
    second = other.post("/s/join/")
    assert first["Location"] != second["Location"]
    assert client.get(second["Location"]).status_code == 403  # another browser's survey
    assert list(round_.respondents.values_list("department", "role", "email", "claimed_via")) == [
        ("sales", "staff", "", "shared"),
        ("sales", "staff", "", "shared"),
    ]


def test_a_leaders_browser_cannot_start_the_shared_link(client, round_, leader):
    link = turn_on(client, round_)
    client.get(f"/s/join/{link.token}/")
    response = client.post("/s/join/")
    assert response.status_code == 403
    assert "signed in as a leader" in response.content.decode()
    assert not round_.respondents.exists()


def test_a_shared_link_admits_a_whole_office_from_one_address_then_pauses(client, round_, leader):
    """Until issue 20 ten per address per hour: the eleventh colleague in an office was
    refused for an hour. Now a hundred; shared-link answers never count toward k."""
    link = turn_on(client, round_)
    client.logout()

    def start(address: str):
        visitor = Client(REMOTE_ADDR=address)
        visitor.get(f"/s/join/{link.token}/")
        return visitor.post("/s/join/")

    assert SHARED_LINK_JOINS.max_hits == 100
    for _ in range(100):
        assert start("10.0.0.1").status_code == 302
    refused = start("10.0.0.1")
    assert refused.status_code == 429
    assert 3590 <= int(refused["Retry-After"]) <= 3600
    assert start("10.0.0.9").status_code == 302
    assert round_.respondents.count() == 101


def test_a_shared_link_can_be_switched_off(client, round_, leader):
    link = turn_on(client, round_)
    turn_on(client, round_)  # the same button turns it off
    link.refresh_from_db()
    assert not link.is_active
    client.logout()
    client.get(f"/s/join/{link.token}/")
    response = client.post("/s/join/")
    assert response.status_code == 410
    assert "turned off" in response.content.decode()
    assert not round_.respondents.exists()


def test_an_unknown_group_has_no_shared_link(client, round_, leader):
    assert client.post(f"/rounds/{round_.pk}/shared/finance/staff/").status_code == 404


def emailed(round_, email, department="sales", answered=False, reminded=None):
    respondent, token = make_respondent(
        round_, department, ratings=uniform(3) if answered else None
    )
    Respondent.objects.filter(pk=respondent.pk).update(email=email, last_reminded_at=reminded)
    return respondent, token


def test_reminders_reach_only_those_who_have_not_answered_at_most_once_a_day(
    client, round_, leader, mailoutbox, django_capture_on_commit_callbacks
):
    now = timezone.now()
    _, waiting_token = emailed(round_, "wait@acme.test")
    emailed(round_, "done@acme.test", answered=True)
    emailed(round_, "recent@acme.test", reminded=now - timedelta(hours=23))
    emailed(round_, "long-ago@acme.test", reminded=now - timedelta(hours=25))
    make_respondent(round_)  # joined by a shared link: no address to remind

    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(f"/rounds/{round_.pk}/remind/", follow=True).content.decode()
    assert "Reminders are on their way" in page
    assert sorted(m.to[0] for m in mailoutbox) == ["long-ago@acme.test", "wait@acme.test"]
    assert all(m.subject.startswith("Reminder:") for m in mailoutbox)
    # Only hashes are stored, so the reminder carries a new link; both work.
    fresh = LINK.search(next(m for m in mailoutbox if m.to == ["wait@acme.test"]).body)
    assert client.get(fresh.group(1)).status_code == 302
    assert client.get(f"/s/{waiting_token}/").status_code == 302

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/rounds/{round_.pk}/remind/")
    assert len(mailoutbox) == 2  # nobody twice within 24 hours


def test_nobody_is_reminded_within_a_day_of_their_invitation(
    client, round_, leader, mailoutbox, django_capture_on_commit_callbacks
):
    now = timezone.now()
    for email, invited in (("today@acme.test", 23), ("yesterday@acme.test", 25)):
        respondent, _ = emailed(round_, email)
        Respondent.objects.filter(pk=respondent.pk).update(
            invitation_status="sent", invitation_status_at=now - timedelta(hours=invited)
        )

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/rounds/{round_.pk}/remind/")
    assert [m.to for m in mailoutbox] == [["yesterday@acme.test"]]


def test_the_send_reminders_command_covers_open_rounds_only(
    company, round_, mailoutbox, django_capture_on_commit_callbacks
):
    emailed(round_, "wait@acme.test")
    closed = company.rounds.create(title="Old", closed_at=timezone.now())
    emailed(closed, "old@acme.test")
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", base_url="https://survey.example.com", stdout=out)
    assert "Reminders queued: 1" in out.getvalue()  # the worker sends them
    assert [m.to for m in mailoutbox] == [["wait@acme.test"]]
    assert "https://survey.example.com/s/" in mailoutbox[0].body


def test_tracking_shows_counts_per_group_but_none_below_k_answers(client, round_, leader):
    # Issue 15: a staff group's answered count waits for k answers by emailed people, counted
    # to last midnight; invited counts show for every group.
    make_respondent(round_, "sales", "leader", uniform(4))
    for index in range(7):
        make_respondent(round_, "sales", "staff", uniform(3) if index < 5 else None)
    for _ in range(2):
        make_respondent(round_, "marketing", "staff", uniform(3))
    answered_yesterday(round_)
    html = re.sub(r"\s+", " ", client.get(f"/rounds/{round_.pk}/manage/").content.decode())
    assert re.search(r'data-group="sales-leader">.*?<td[^>]*>1</td> <td[^>]*>1</td>', html)
    assert re.search(r'data-group="sales-staff">.*?<td[^>]*>7</td> <td[^>]*>5</td>', html)
    assert re.search(
        r'data-group="marketing-staff">.*?<td[^>]*>2</td> <td[^>]*>shown from 5 answers', html
    )
    assert 'id="total-answered"' not in html  # a total would reveal the hidden group

    for _ in range(3):
        make_respondent(round_, "marketing", "staff", uniform(3))
    answered_yesterday(round_)
    html = client.get(f"/rounds/{round_.pk}/manage/").content.decode()
    assert '<td class="text-end fw-bold" id="total-answered">11</td>' in html  # 1 + 5 + 5


def test_the_round_page_query_count_does_not_grow_with_people(client, round_, leader):
    make_respondent(round_)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/rounds/{round_.pk}/manage/")
    for index in range(30):
        make_respondent(round_, ("sales", "marketing")[index % 2], ratings=uniform(3))
    with CaptureQueriesContext(connection) as many:
        client.get(f"/rounds/{round_.pk}/manage/")
    assert len(many) == len(few)


def test_each_invitation_records_whether_its_email_was_sent_or_failed(
    client, round_, leader, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        add(client, round_, "an@acme.test, An, sales", show=False)
    assert Respondent.objects.get(email="an@acme.test").invitation_status == "sent"

    def refuse(self, messages):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        add(client, round_, "jo@acme.test, Jo, marketing", show=False)
    assert Respondent.objects.get(email="jo@acme.test").invitation_status == "failed"
    assert Respondent.objects.get(email="an@acme.test").invitation_status == "sent"
