"""Actions co-owned across the two departments, through the real views: owners, emails, log."""

import re

import pytest
from django.core import mail

from scoring.models import ActionOwner, ActionProgress, PlannedAction, WorkshopAgreement
from tests.factories import make_user
from tests.insight_factories import answered_round


def text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def action(company):
    survey_round = answered_round(company)
    return PlannedAction.objects.create(
        company=company,
        round=survey_round,
        playbook_key="",
        title="Meet every month",
        due_date="2027-03-31",
    )


def url(action) -> str:
    return f"/rounds/{action.round_id}/plan/{action.pk}/"


def owners_post(sales_member="", marketing_name="", marketing_email="", **extra):
    data = {
        "form": "owners",
        "sales_member": sales_member,
        "sales_language": "vi",
        "marketing_member": "",
        "marketing_name": marketing_name,
        "marketing_email": marketing_email,
        "marketing_language": "en",
    }
    return data | extra


def test_an_action_with_two_owners_emails_each_in_their_language(
    client, company, action, manager, django_capture_on_commit_callbacks
):
    head_of_sales = make_user("lan@acme.test", company)
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(action),
            owners_post(head_of_sales.pk, "Quynh Pham", "quynh@acme.test"),
        )
    assert response.status_code == 302 and response["Location"] == url(action)
    assert sorted(m.to[0] for m in mail.outbox) == ["lan@acme.test", "quynh@acme.test"]
    to_sales = next(m for m in mail.outbox if m.to == ["lan@acme.test"])
    to_marketing = next(m for m in mail.outbox if m.to == ["quynh@acme.test"])
    assert "Bạn phụ trách một hành động" in to_sales.subject
    assert "Meet every month" in to_sales.subject
    assert "Quynh Pham" in to_sales.body  # shared with the other side's owner
    assert "You own an action at Acme: Meet every month" == to_marketing.subject
    assert "Hello Quynh Pham," in to_marketing.body
    assert "lan@acme.test" in to_marketing.body
    assert f"http://testserver{url(action)}" in to_marketing.body
    page = re.sub(r"<[^>]+>", "", text(client.get(url(action))))
    assert "Sales: lan@acme.test" in page
    assert "Marketing: Quynh Pham (quynh@acme.test)" in page

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url(action),
            owners_post(head_of_sales.pk, "Minh Tran", "minh@acme.test"),
        )
    assert [m.to for m in mail.outbox] == [["minh@acme.test"]]  # only the new owner
    assert ActionOwner.objects.filter(action=action).count() == 2


def test_each_department_needs_an_owner(client, action, manager):
    client.force_login(manager)
    page = text(client.post(url(action), owners_post(marketing_name="Quynh")))
    assert page.count("Choose a member, or give a name and an email.") == 2
    assert not ActionOwner.objects.exists() and not mail.outbox


def test_a_non_member_cannot_be_chosen_as_a_member(client, action, manager, outsider):
    client.force_login(manager)
    page = text(client.post(url(action), owners_post(outsider.pk, "Q", "q@acme.test")))
    assert "Select a valid choice" in page
    assert not ActionOwner.objects.exists()


def test_the_progress_log_keeps_short_notes_newest_first(client, action, manager):
    client.force_login(manager)
    client.post(url(action), {"form": "progress", "text": "First meeting held"})
    client.post(url(action), {"form": "progress", "text": "Agenda agreed"})
    blank = client.post(url(action), {"form": "progress", "text": "  "}, follow=True)
    assert "Write what has happened first." in text(blank)
    page = text(client.get(url(action)))
    assert page.index("Agenda agreed") < page.index("First meeting held")
    assert ActionProgress.objects.count() == 2
    assert "manager@acme.test" in page


def test_statement_links_are_labelled_as_the_products_suggestion(client, company, manager):
    survey_round = answered_round(company)
    action = PlannedAction.objects.create(
        company=company, round=survey_round, playbook_key="rules_of_engagement"
    )
    WorkshopAgreement.objects.create(round=survey_round, statement=3, text="x", action=action)
    client.force_login(manager)
    page = text(client.get(url(action)))
    assert "(the product's suggestion, not the source's)" in page.replace("&#x27;", "'")
    numbers = re.findall(r'<span class="fw-semibold">(\d+)\.</span>', page)
    assert numbers[0] == "3" and len(numbers) > 1


def test_the_plan_links_each_action_to_its_page(client, action, manager):
    client.force_login(manager)
    assert (
        f'href="{url(action)}"' in client.get(f"/rounds/{action.round_id}/plan/").content.decode()
    )


def test_another_company_cannot_see_or_assign(client, action, outsider):
    client.force_login(outsider)
    assert client.get(url(action)).status_code == 404
    assert client.post(url(action), owners_post("", "Q", "q@x.test")).status_code == 404
    assert client.post(url(action), {"form": "progress", "text": "x"}).status_code == 404
    assert not ActionOwner.objects.exists() and not ActionProgress.objects.exists()
