"""A database outage is explained (503, Retry-After, the visitor's language); a stale form
gets a friendly page instead of Django's raw CSRF error."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from tests.factories import make_respondent

# Every query fails as when PostgreSQL refuses connections (django wraps psycopg's error).


def test_every_page_answers_503_with_retry_after_during_an_outage(round_, owner):
    _, token = make_respondent(round_)
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    pages = ["/", f"/s/{token}/", f"/rounds/{round_.pk}/", "/login/", "/signup/"]
    with mock.patch.object(
        BaseDatabaseWrapper, "ensure_connection", side_effect=OperationalError("refused")
    ):
        responses = [client.get(url) for url in pages]
        posted = client.post(f"/s/{token}/", {"s1": "4"})
    for url, response in zip(pages + ["POST"], responses + [posted], strict=True):
        assert response.status_code == 503, url
        assert response["Retry-After"] == "30"
        html = response.content.decode()
        assert "Back in a moment" in html and "safely stored" in html
        assert "no-store" in response["Cache-Control"]
        assert "Content-Security-Policy" in response


def test_the_outage_page_speaks_the_visitors_language(round_):
    _, token = make_respondent(round_)
    client = Client(raise_request_exception=False, headers={"accept-language": "vi"})
    with mock.patch.object(
        BaseDatabaseWrapper, "ensure_connection", side_effect=OperationalError("refused")
    ):
        response = client.get(f"/s/{token}/")
    assert response.status_code == 503
    assert '<html lang="vi">' in response.content.decode()
    assert "Sẽ hoạt động lại ngay" in response.content.decode()


@pytest.mark.urls("tests.ops.urls_for_tests")
def test_other_errors_stay_500(db):
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500 and "Retry-After" not in response


def test_health_says_whether_the_database_answers(client, db):
    ok = client.get("/health/", headers={"host": "anything.internal"})
    assert ok.status_code == 200 and ok.content == b"ok\n"
    with mock.patch.object(
        BaseDatabaseWrapper, "ensure_connection", side_effect=OperationalError("refused")
    ):
        down = client.get("/health/")
    assert down.status_code == 503 and down["Retry-After"] == "30"


def test_a_stale_form_gets_a_translated_page_not_djangos_raw_403(db):
    client = Client(enforce_csrf_checks=True)
    client.cookies["django_language"] = "vi"
    response = client.post("/login/", {"username": "a@acme.test", "password": "x"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Vui lòng thử lại" in html and "CSRF" not in html
    english = Client(enforce_csrf_checks=True).post("/login/", {"username": "a@acme.test"})
    assert "you logged in or out in another tab" in english.content.decode()
