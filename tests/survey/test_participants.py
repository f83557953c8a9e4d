"""A round's participants list through the real views: what it shows, what it never shows,
and resending, correcting and removing, none of which may tell a leader whether someone
answered."""

import html
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from scoring.results.published import answered_rows
from survey.models import AuditEvent, Membership, Respondent, SurveyLink
from survey.writes.emails import survey_message
from survey.writes.services import send_reminders
from tests.factories import close, make_company, make_respondent, make_user, post_data, start_survey

RATINGS = {n: 4 for n in range(1, 21)}
LINK = re.compile(r"http://testserver/s/([\w-]{32})/")
PEOPLE = """x@acme.test,Xuân,sales,staff,vi
y@acme.test,Yen,sales,staff,en
z@acme.test,Zed,marketing,staff,en
h@acme.test,Hoa,marketing,leader,vi"""


@pytest.fixture
def leader(company):
    user = make_user("boss@acme.test", company)
    client = Client()
    client.force_login(user)
    return client


def add(leader, round_, lines: str = PEOPLE, show: bool = True) -> dict[str, str]:
    """Add people as a leader (emails sent): their shown links' tokens by address."""
    data = {"lines": lines, "send_emails": "on", "show_links": "on" if show else ""}
    response = leader.post(f"/rounds/{round_.pk}/people/", data)
    assert response.status_code == 200
    tokens = LINK.findall(response.content.decode())
    return dict(zip([line.split(",")[0] for line in lines.splitlines()], tokens, strict=False))


def answer(token: str, browser: Client | None = None) -> Client:
    browser = browser or Client()
    url = start_survey(browser, token)
    assert browser.post(url, post_data(RATINGS)).status_code == 302
    return browser


def shape(html: str) -> str:
    """A page without its per-request and per-row parts: CSRF token, ids, keys, times."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r"(rounds|participants)/\d+/", r"\1/N/", html)
    html = re.sub(r'person-\d+"', 'person-N"', html)
    html = re.sub(r"/s/r/[\w-]{22}/", "/s/r/KEY/", html)
    return re.sub(r"<time[^>]*>[^<]*</time>", "<time/>", html)


def participants_page(leader, round_) -> str:
    response = leader.get(f"/rounds/{round_.pk}/participants/")
    assert response.status_code == 200
    return response.content.decode()


def person(round_, email: str) -> Respondent:
    return round_.respondents.get(email=email, removed_at__isnull=True)


def test_the_list_shows_who_was_invited_and_how_their_email_went(
    leader, round_, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add(leader, round_, show=False)
    make_respondent(round_)  # came in through a shared link: no address, not listed
    Respondent.objects.filter(email="z@acme.test").update(invitation_status="failed")

    page = participants_page(leader, round_)

    assert page.count('class="person"') == 4
    for text in ("Xuân", "x@acme.test", "Sales, staff", "Marketing, head of department"):
        assert text in page
    assert "Vietnamese" in page and "English" in page
    assert page.count(">sent</span>") == 3 and page.count(">failed</span>") == 1
    assert "4 people invited by email" in page


def test_the_list_can_be_filtered_and_says_when_nobody_is_there(leader, round_):
    assert "Nobody is invited by email yet." in participants_page(leader, round_)
    add(leader, round_, show=False)
    marketing = leader.get(f"/rounds/{round_.pk}/participants/?department=marketing")
    assert marketing.content.decode().count('class="person"') == 2
    assert "2 of 4 people shown" in marketing.content.decode()
    found = leader.get(f"/rounds/{round_.pk}/participants/?q=xuân").content.decode()
    assert found.count('class="person"') == 1 and "x@acme.test" in found
    none = leader.get(f"/rounds/{round_.pk}/participants/?q=nobody").content.decode()
    assert "Nobody matches" in none


def test_the_list_is_the_same_byte_for_byte_whether_or_not_someone_answered(
    leader, round_, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tokens = add(leader, round_)
    before = participants_page(leader, round_)

    x = Client()
    start_survey(x, tokens["x@acme.test"])  # started on a phone...
    started = participants_page(leader, round_)
    answer(tokens["y@acme.test"])  # ...someone answered...
    invited_earlier = timezone.now() - timedelta(days=2)  # nobody is reminded on day one
    Respondent.objects.filter(round=round_).update(invitation_status_at=invited_earlier)
    with django_capture_on_commit_callbacks(execute=True):
        send_reminders(base_url="http://testserver", survey_round=round_)  # ...others reminded
    after = participants_page(leader, round_)

    assert shape(before) == shape(started) == shape(after)
    assert Respondent.objects.filter(last_reminded_at__isnull=False).exists()
    main = re.search(r"<main.*</main>", after, re.S).group(0).lower()
    main = main.replace("whether someone answered", "").replace("whether they had answered", "")
    for hidden in ("remind", "answered", "claimed", "device", "shown on screen", "used"):
        assert hidden not in main


def test_resending_emails_a_new_link_and_reads_the_same_whether_or_not_they_answered(
    leader, round_, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        tokens = add(leader, round_)
    answer(tokens["x@acme.test"])
    mailoutbox.clear()

    pages = []
    for email in ("x@acme.test", "y@acme.test"):
        with django_capture_on_commit_callbacks(execute=True):
            response = leader.post(
                f"/rounds/{round_.pk}/participants/{person(round_, email).pk}/resend/"
            )
        assert response.status_code == 302
        page = shape(leader.get(response["Location"]).content.decode())
        alert = re.search(r'<div class="alert[^>]*>[^<]*</div>', page).group(0)
        pages.append((alert.replace(email, "EMAIL"), page.replace(alert, "")))

    assert pages[0] == pages[1]
    assert [m.to for m in mailoutbox] == [["x@acme.test"], ["y@acme.test"]]
    new_link = LINK.search(mailoutbox[1].body).group(1)
    assert Client().get(f"/s/{new_link}/").status_code == 302
    resent = AuditEvent.objects.filter(action=AuditEvent.Action.RESENT)
    assert sorted(resent.values_list("detail", flat=True)) == ["x@acme.test", "y@acme.test"]
    assert "resent an invitation" in leader.get(f"/rounds/{round_.pk}/manage/").content.decode()


def test_correcting_an_address_invites_the_new_one_and_stops_the_old_links(
    leader, company, mailoutbox, django_capture_on_commit_callbacks
):
    round_ = company.rounds.create(title="Spring", anonymity_threshold=3)
    lines = "x@acme.tets,Xuân,sales,staff,vi\na@acme.test,A,sales,staff\nb@acme.test,B,sales,staff"
    with django_capture_on_commit_callbacks(execute=True):
        add(leader, round_, lines)
    # Through the emailed links: answers through links shown on screen would not count.
    tokens = {m.to[0]: LINK.search(m.body).group(1) for m in mailoutbox}
    old = person(round_, "x@acme.tets")
    browser = answer(tokens["x@acme.tets"])  # someone answered through the mistyped one
    answer(tokens["a@acme.test"])
    answer(tokens["b@acme.test"])
    mailoutbox.clear()
    url = f"/rounds/{round_.pk}/participants/{old.pk}/email/"
    assert "Correct an email address" in leader.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = leader.post(url, {"email": "X@acme.test"}, follow=True)

    assert "x@acme.test is invited with a new link" in response.content.decode()
    new = person(round_, "x@acme.test")
    assert (new.name, new.department, new.role, new.language) == ("Xuân", "sales", "staff", "vi")
    assert new.pk != old.pk and not new.answers.exists()
    [message] = mailoutbox
    assert message.to == ["x@acme.test"]
    new_token = LINK.search(message.body).group(1)
    assert Client().get(f"/s/{new_token}/", follow=True).status_code == 200  # start page
    for client in (Client(), browser):  # a stranger, and the browser that answered
        withdrawn = client.get(f"/s/{tokens['x@acme.tets']}/", follow=True)
        assert withdrawn.status_code == 410
        assert "Thư mời này đã bị rút lại" in withdrawn.content.decode()  # in their language
    assert browser.get(f"/s/r/{old.key}/").status_code == 410
    refused = browser.post(f"/s/r/{old.key}/", post_data({n: 1 for n in range(1, 21)}))
    assert refused.status_code == 410
    assert set(old.answers.values_list("rating", flat=True)) == {4}
    event = AuditEvent.objects.get(action=AuditEvent.Action.EMAIL_CORRECTED)
    assert event.detail == "x@acme.tets → x@acme.test"
    listed = participants_page(leader, round_)
    assert listed.count('class="person"') == 3 and 'id="removed"' in listed

    published = close(round_).published
    assert published.groups["sales:staff"]["respondents"] == 3  # nothing submitted is lost


def test_an_address_already_in_the_round_cannot_be_taken_by_a_correction(leader, round_):
    add(leader, round_, show=False)
    url = f"/rounds/{round_.pk}/participants/{person(round_, 'x@acme.test').pk}/email/"
    response = leader.post(url, {"email": "y@acme.test"})
    assert response.status_code == 400
    assert "already has this address" in response.content.decode()
    assert not Respondent.objects.filter(removed_at__isnull=False).exists()


def world_with_one_removed(leader, company, title: str, answered: bool) -> tuple:
    round_ = company.rounds.create(title=title, anonymity_threshold=3)  # one open per company
    lines = "\n".join(f"p{n}@acme.test,P{n},sales,staff,en" for n in range(4))
    tokens = add(leader, round_, lines)
    answer(tokens["p1@acme.test"])
    if answered:
        answer(tokens["p0@acme.test"])
    round_page = leader.get(f"/rounds/{round_.pk}/manage/").content.decode()
    remove_url = f"/rounds/{round_.pk}/participants/{person(round_, 'p0@acme.test').pk}/remove/"
    confirm = leader.get(remove_url).content.decode()
    assert "Remove from the round?" in confirm
    assert leader.post(remove_url).status_code == 302
    return round_, round_page, leader.get(f"/rounds/{round_.pk}/manage/").content.decode()


def tracking_table(html: str) -> str:
    return re.search(r'<table class="table tracking".*?</table>', html, re.S).group(0)


def test_removing_someone_changes_no_count_whether_or_not_they_had_answered(leader, company):
    twin = make_company(name=company.name, slug="acme-twin")  # one open round per company
    Membership.objects.create(user=Membership.objects.get(company=company).user, company=twin)
    worlds = [
        world_with_one_removed(leader, company, "Spring", answered=True),
        world_with_one_removed(leader, twin, "Spring", answered=False),
    ]
    for round_, before, after in worlds:
        assert tracking_table(before) == tracking_table(after)
        assert "Invited includes 1 person removed" in after
        event = AuditEvent.objects.get(round=round_, action=AuditEvent.Action.REMOVED)
        assert event.detail == "p0@acme.test"
        assert f'href="/rounds/{round_.pk}/participants/"' in after
    pages = [shape(participants_page(leader, round_)) for round_, _, _ in worlds]
    assert pages[0] == pages[1]
    for _, _, after in worlds:  # the removed person still counts as invited
        assert '<tr data-group="sales-staff">' in after
        assert re.search(r'data-group="sales-staff">.*?<td class="text-end">4</td>', after, re.S)
    # and what they had submitted is counted when the round closes
    assert [answered_rows(close(r)).count() for r, _, _ in worlds] == [2, 1]


def test_a_removed_person_gets_no_reminder_and_the_address_can_be_invited_again(
    leader, round_, mailoutbox, django_capture_on_commit_callbacks
):
    add(leader, round_, "x@acme.test,Xuân,sales,staff,vi", show=False)
    old = person(round_, "x@acme.test")
    leader.post(f"/rounds/{round_.pk}/participants/{old.pk}/remove/")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(base_url="http://testserver", survey_round=round_) == 0
        again = add(leader, round_, "x@acme.test,Xuân,sales,staff,vi")
    assert len(again) == 1 and [m.to for m in mailoutbox] == [["x@acme.test"]]
    assert round_.respondents.filter(email="x@acme.test").count() == 2
    assert leader.post(f"/rounds/{round_.pk}/participants/{old.pk}/resend/").status_code == 302
    assert len(mailoutbox) == 1  # the removed one is not invited again by resending


def test_a_closed_round_lists_people_but_changes_nobody(leader, round_):
    add(leader, round_, show=False)
    close(round_)
    page = participants_page(leader, round_)
    assert "x@acme.test" in page and "Resend invitation" not in page
    x = person(round_, "x@acme.test")
    for action in ("resend", "remove", "email"):
        leader.post(f"/rounds/{round_.pk}/participants/{x.pk}/{action}/", {"email": "n@acme.test"})
    assert not Respondent.objects.filter(removed_at__isnull=False).exists()
    assert not AuditEvent.objects.filter(action__in=["resent", "removed", "email_corrected"])


def test_another_companys_people_are_a_404(leader, round_):
    other = make_company(name="Other", slug="other").rounds.create(title="Theirs")
    theirs = Respondent.objects.create(round=other, department="sales", email="t@other.test")
    shared, _ = make_respondent(round_)  # no address: nobody's to manage
    for respondent, round_id in ((theirs, other.pk), (theirs, round_.pk), (shared, round_.pk)):
        for action in ("remove", "email"):
            url = f"/rounds/{round_id}/participants/{respondent.pk}/{action}/"
            assert leader.get(url).status_code == 404
        resend = f"/rounds/{round_id}/participants/{respondent.pk}/resend/"
        assert leader.post(resend).status_code == 404
    assert leader.get(f"/rounds/{other.pk}/participants/").status_code == 404
    assert leader.get(f"/rounds/{other.pk}/people/preview/").status_code == 404
    assert theirs.removed_at is None and not SurveyLink.objects.filter(respondent=theirs)


def test_the_invitation_preview_uses_the_real_message_in_both_languages(leader, round_):
    form = leader.get(f"/rounds/{round_.pk}/people/").content.decode()
    assert f'href="/rounds/{round_.pk}/people/preview/"' in form
    page = html.unescape(leader.get(f"/rounds/{round_.pk}/people/preview/").content.decode())
    for code, name in (("en", "Alex Sample"), ("vi", "Nguyễn Văn Mẫu")):
        sample = Respondent(round=round_, name=name, department="sales", language=code)
        real = survey_message(respondent=sample, token="t" * 32, base_url="http://testserver")
        assert real.subject in page
        for line in real.body.splitlines():
            if line.strip() and "/s/" not in line:
                assert line in page
    assert "https://…/s/…/" in page and not LINK.search(page)
    assert not Respondent.objects.exists()  # the sample person is never saved


VICTIM = {n: (5 if n % 3 else 1) for n in range(1, 21)}


def test_attack_a_correction_to_the_leaders_own_mailbox_yields_only_an_empty_survey(
    leader, company, mailoutbox, django_capture_on_commit_callbacks
):
    round_ = company.rounds.create(title="Spring", anonymity_threshold=3)
    with django_capture_on_commit_callbacks(execute=True):
        add(leader, round_, "victim@acme.test,Vi,sales,staff,en", show=False)
    emailed = LINK.search(mailoutbox[-1].body).group(1)
    victim = Client()
    url = start_survey(victim, emailed)
    assert victim.post(url, post_data(VICTIM)).status_code == 302
    old = person(round_, "victim@acme.test")

    with django_capture_on_commit_callbacks(execute=True):
        leader.post(
            f"/rounds/{round_.pk}/participants/{old.pk}/email/", {"email": "boss@acme.test"}
        )

    stolen = LINK.search(mailoutbox[-1].body).group(1)
    assert mailoutbox[-1].to == ["boss@acme.test"]
    assert leader.get(f"/s/{stolen}/", follow=True).status_code == 403  # a leader's browser
    elsewhere = Client()
    survey = elsewhere.get(start_survey(elsewhere, stolen)).content.decode()
    assert "checked" not in survey  # a new, empty survey: nothing of the victim's
    record = leader.get(f"/rounds/{round_.pk}/manage/").content.decode()
    assert "victim@acme.test → boss@acme.test" in record  # on the record for every leader
    assert dict(old.answers.values_list("statement", "rating")) == VICTIM
    assert answered_rows(close(round_)).filter(pk=old.pk).exists()  # and still counted


def test_attack_a_withdrawn_link_looks_the_same_whether_or_not_its_owner_answered(
    leader, round_, django_capture_on_commit_callbacks
):
    tokens = add(leader, round_, "a@acme.test,A,sales\nb@acme.test,B,sales")
    answered = answer(tokens["a@acme.test"])
    started = Client()
    start_survey(started, tokens["b@acme.test"])
    for email in tokens:
        leader.post(f"/rounds/{round_.pk}/participants/{person(round_, email).pk}/remove/")
    participants_page(leader, round_)  # reads the "removed" messages

    pages = []
    for email, own in (("a@acme.test", answered), ("b@acme.test", started)):
        key = round_.respondents.get(email=email).key
        for client in (own, Client(), leader):
            for path in (f"/s/{tokens[email]}/", f"/s/r/{key}/", f"/s/r/{key}/thanks/"):
                response = client.get(path, follow=True)
                assert response.status_code == 410
                page = re.sub(r'name="next" value="[^"]*"', "", response.content.decode())
                pages.append(shape(page))  # the same but for the address it was asked at
        fresh = Client().post(f"/s/r/{key}/fresh-link/")
        assert fresh.status_code == 410
    anonymous = {page for page in pages if "Sign out" not in page}
    assert len(anonymous) == 1 and "This invitation was withdrawn" in anonymous.pop()
    assert len(set(pages)) == 2  # the other one: the same page with the leader's menu
