"""The project's URLs plus one view with a bug, for tests/ops/test_outages.py."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from survey.urls import handler500  # noqa: F401
from survey.urls import urlpatterns as project_urlpatterns


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug, not an outage")


urlpatterns = [path("broken/", broken), *project_urlpatterns]
