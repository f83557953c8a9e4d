"""Pages for when things go wrong, and what robots and container probes ask for."""

import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.views import defaults
from django.views.decorators.http import require_safe

from survey.plumbing.throttle import LimitsUnavailable

RETRY_AFTER_SECONDS = 30


def health(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, else 503: what the compose healthchecks ask."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse(
            "database unreachable\n",
            status=503,
            content_type="text/plain",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"},
        )
    return HttpResponse("ok\n", content_type="text/plain", headers={"Cache-Control": "no-store"})


def service_unavailable(*, limits: bool = False) -> HttpResponse:
    """The outage page. Rendered without the request: the usual context (the signed-in user,
    their companies) needs the database that is down. `limits`: the database answers but
    the cache holding the sign-in limits does not."""
    html = render_to_string("503.html", {"LANGUAGE_CODE": get_language(), "limits": limits})
    return HttpResponse(html, status=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django calls it while handling the exception, so sys.exc_info() says
    what failed. A database that cannot be reached is an outage to explain, not a bug."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        return service_unavailable()
    if isinstance(error, LimitsUnavailable):  # Redis down: sign-in fails closed, briefly
        return service_unavailable(limits=True)
    return defaults.server_error(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with an old or missing security token: usually a page left open, or a
    log-in in another tab. Say so in the visitor's language, and how to go on."""
    return render(request, "403_csrf.html", status=403)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", "Disallow: /s/", "Disallow: /invitations/", "Disallow: /admin/"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
