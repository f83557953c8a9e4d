"""The models of the workshop, the two-key guide, the actions' owners and progress, and the
heads' message with the results are in the admin, read-only: they are written only by the
service functions behind the leaders' pages."""

import pytest
from django.contrib.auth import get_user_model

from scoring.models import ActionOwner, ActionProgress, PlannedAction, RoundHead, WorkshopAgreement
from survey.models import ResultsMessage
from tests.factories import close, make_respondent, uniform

MODELS = [
    ("scoring", "workshopagreement"),
    ("scoring", "roundhead"),
    ("scoring", "actionowner"),
    ("scoring", "actionprogress"),
    ("survey", "resultsmessage"),
]


@pytest.fixture
def rows(round_, manager):
    ResultsMessage.objects.create(round=round_, text="Thanks, all", written_by=manager)
    RoundHead.objects.create(round=round_, department="sales", user=manager)
    make_respondent(round_, "sales", ratings=uniform(3))
    close(round_)
    action = PlannedAction.objects.create(company=round_.company, round=round_, title="Meet")
    WorkshopAgreement.objects.create(round=round_, statement=4, text="Meet monthly", action=action)
    ActionOwner.objects.create(action=action, department="sales", user=manager)
    ActionProgress.objects.create(action=action, text="First meeting held", author=manager)


@pytest.mark.parametrize(("app", "model"), MODELS)
def test_the_admin_lists_and_shows_but_never_writes(client, rows, app, model):
    admin = get_user_model().objects.create_superuser("root", "root@acme.test", "pw-1-root")
    client.force_login(admin)
    listing = client.get(f"/admin/{app}/{model}/")
    assert listing.status_code == 200
    pk = listing.context["cl"].result_list[0].pk
    detail = client.get(f"/admin/{app}/{model}/{pk}/change/")
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    assert client.get(f"/admin/{app}/{model}/add/").status_code == 403
    assert client.post(f"/admin/{app}/{model}/{pk}/change/", {}).status_code == 403
    assert client.post(f"/admin/{app}/{model}/{pk}/delete/", {"post": "yes"}).status_code == 403
    model_class = listing.context["cl"].model
    assert model_class.objects.filter(pk=pk).exists()
