"""Two rules of an open round: k is lowered only before the first invitation goes out, and a
company has one open round at a time (service, page, and a race through the database)."""

import threading
from datetime import timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone

from survey.models import AuditEvent, Round, SharedLink
from survey.writes import services
from tests.factories import close, make_company, make_respondent, make_user, uniform

NEW_ROUND = {"title": "Autumn", "anonymity_threshold": 5, "sales_head": "later"}
NEW_ROUND |= {"marketing_head": "later"}


def update(round_, threshold: int):
    return services.update_round(
        survey_round=round_, title="T", threshold=threshold, closes_at=None, actor=None
    )


# Lowering k


def test_k_can_be_lowered_while_nobody_is_invited_and_raised_at_any_time(round_):
    assert update(round_, 3).anonymity_threshold == 3
    make_respondent(round_)
    assert update(round_, 7).anonymity_threshold == 7
    with pytest.raises(services.ThresholdLocked):
        update(round_, 6)
    round_.refresh_from_db()
    assert round_.anonymity_threshold == 7
    assert list(round_.audit_events.values_list("detail", flat=True)) == ["3 → 7", "5 → 3"]


def test_a_shared_link_turned_on_locks_k_as_an_invitation_does(round_):
    SharedLink.objects.create(round=round_, department="sales", role="staff", is_active=False)
    with pytest.raises(services.ThresholdLocked):
        update(round_, 4)  # even turned off again: people may have it


def edit(client, round_, **data):
    return client.post(f"/rounds/{round_.pk}/edit/", {"title": "Spring"} | data)


@pytest.mark.parametrize("answered", [False, True])
def test_the_edit_forms_refusal_reads_the_same_whether_or_not_anyone_answered(
    client, round_, manager, answered
):
    make_respondent(round_, ratings=uniform(3) if answered else None)
    client.force_login(manager)
    page = edit(client, round_, anonymity_threshold=3).content.decode()
    assert "People are already invited (or a shared link was turned on)" in page
    assert "Answers are in" not in page


def test_the_form_says_why_before_anyone_is_invited_lowering_works(client, round_, manager):
    client.force_login(manager)
    assert edit(client, round_, anonymity_threshold=3).status_code == 302
    round_.refresh_from_db()
    assert round_.anonymity_threshold == 3


# One open round per company


def test_create_round_refuses_a_second_open_round(company, round_, owner):
    with pytest.raises(services.RoundAlreadyOpen) as refused:
        services.create_round(
            company=company,
            title="Twin",
            anonymity_threshold=5,
            closes_at=None,
            heads=[],
            actor=owner,
            base_url="http://testserver",
        )
    assert refused.value.open_round == round_
    assert list(company.rounds.values_list("title", flat=True)) == ["Spring"]


def test_a_round_past_its_close_date_is_closed_before_the_next_one_opens(company, round_, owner):
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    new, _ = services.create_round(
        company=company,
        title="Autumn",
        anonymity_threshold=5,
        closes_at=None,
        heads=[],
        actor=owner,
        base_url="http://testserver",
    )
    round_.refresh_from_db()
    assert round_.closed_at is not None and round_.published is not None
    assert new.is_open
    assert round_.audit_events.filter(action=AuditEvent.Action.CLOSED, actor=None).exists()


def test_the_new_round_page_points_to_the_open_round_instead_of_a_form(client, round_, owner):
    client.force_login(owner)
    url = f"/companies/{round_.company_id}/rounds/new/"
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "“Spring” is still open. A company has one open round at a time" in html
    assert f'href="/rounds/{round_.pk}/manage/"' in html
    assert 'name="title"' not in html  # no form
    refused = client.post(url, NEW_ROUND)
    assert refused.status_code == 409 and "is still open" in refused.content.decode()
    assert Round.objects.count() == 1
    close(round_)
    assert 'name="title"' in client.get(url).content.decode()
    assert client.post(url, NEW_ROUND).status_code == 302
    assert Round.objects.filter(title="Autumn", closed_at__isnull=True).exists()


def test_the_page_speaks_vietnamese(client, round_, owner):
    client.force_login(owner)
    client.cookies["django_language"] = "vi"
    html = client.get(f"/companies/{round_.company_id}/rounds/new/").content.decode()
    assert "“Spring” vẫn đang mở" in html and "Đến “Spring”" in html


def test_the_database_refuses_a_second_open_round_even_past_its_close_date(company, round_):
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(IntegrityError), transaction.atomic():
        company.rounds.create(title="Twin")
    company.rounds.create(title="Old", closed_at=timezone.now())  # closed ones are not limited
    make_company(slug="other").rounds.create(title="Theirs")  # nor other companies'


@pytest.mark.django_db(transaction=True)
def test_two_leaders_opening_a_round_at_the_same_moment_open_one():
    company = make_company(slug="race")
    leaders = [make_user(f"l{n}@race.test", company, role="owner") for n in range(2)]
    start = threading.Barrier(len(leaders))
    statuses: list[int] = []

    def open_round(user):
        try:
            client = Client()
            client.force_login(user)
            start.wait()
            url = f"/companies/{company.pk}/rounds/new/"
            statuses.append(client.post(url, NEW_ROUND).status_code)
        except Exception as error:  # a 500 would show here, not as a status
            statuses.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=open_round, args=(u,)) for u in leaders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 302] or sorted(statuses) == [302, 409], statuses
    assert company.rounds.filter(closed_at__isnull=True).count() == 1
