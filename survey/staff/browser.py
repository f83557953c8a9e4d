"""The cookies that tie a survey to one browser.

The device secret is a long random value kept by the browser that started a survey; only
its hash is stored (Respondent.device_hash). The link cookie carries, for a few minutes,
which personal or shared link the browser just opened, so the token never stays in a URL.
Behind HTTPS both take the `__Host-` prefix: sent only to this host, only over HTTPS.
"""

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from survey.models import SharedLink, SurveyLink, new_token

DEVICE_MAX_AGE = 400 * 24 * 3600  # the longest a browser keeps a cookie
LINK_MAX_AGE = 60 * 60


def cookie_name(base: str) -> str:
    return f"__Host-{base}" if settings.SESSION_COOKIE_SECURE else base


def _set(response: HttpResponse, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        cookie_name(name),
        value,
        max_age=max_age,
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def new_device_secret() -> str:
    return new_token()


def device_secret(request: HttpRequest) -> str | None:
    return request.COOKIES.get(cookie_name("survey_device"))


def remember_device(response: HttpResponse, secret: str) -> None:
    _set(response, "survey_device", secret, DEVICE_MAX_AGE)


def _remember(response: HttpResponse, name: str, pk: int) -> None:
    _set(response, name, signing.dumps(pk, salt=name), LINK_MAX_AGE)


def _recall(request: HttpRequest, name: str) -> int | None:
    value = request.COOKIES.get(cookie_name(name))
    if not value:
        return None
    try:
        return int(signing.loads(value, salt=name, max_age=LINK_MAX_AGE))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def remember_link(response: HttpResponse, pk: int) -> None:
    _remember(response, "survey_link", pk)


def opened_link(request: HttpRequest) -> SurveyLink | None:
    pk = _recall(request, "survey_link")
    if pk is None:
        return None
    return SurveyLink.objects.select_related("respondent__round__company").filter(pk=pk).first()


def remember_shared_link(response: HttpResponse, pk: int) -> None:
    _remember(response, "survey_join", pk)


def opened_shared_link(request: HttpRequest) -> SharedLink | None:
    pk = _recall(request, "survey_join")
    if pk is None:
        return None
    return SharedLink.objects.select_related("round__company").filter(pk=pk).first()
