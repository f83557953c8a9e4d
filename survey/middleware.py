"""Headers every response needs in production, and a health probe for the containers."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils.cache import add_never_cache_headers

from survey.plumbing import throttle
from survey.plumbing.operations import health

Handler = Callable[[HttpRequest], HttpResponseBase]


def health_check(get_response: Handler) -> Handler:
    """/health/ answers before the host check and the HTTPS redirect, so a container probe
    (plain HTTP, any Host) reaches it; it says only whether the database answers."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        if request.path_info == "/health/":
            return health(request)
        return get_response(request)

    return middleware


def retry_after(get_response: Handler) -> Handler:
    """Every 429 says when to come back: when the window of the limit that refused ends
    (survey.plumbing.throttle notes it), else a minute."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        throttle.forget_refusals()
        response = get_response(request)
        if response.status_code == 429 and "Retry-After" not in response:
            response["Retry-After"] = str(throttle.refused_for() or 60)
        return response

    return middleware


class PrivacyHeadersMiddleware:
    """Our pages are private (dashboards, exports, someone's survey): no cache may keep them.
    Survey pages (/s/...) are also never indexed and their address never leaves in a Referer.
    A HEAD request is answered like a GET, without the body."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        head = request.method == "HEAD"
        if head:
            # Views accept GET and POST; the server (and the lines below) drop the body.
            request.method = "GET"
        response = self.get_response(request)
        if head:
            request.method = "HEAD"
            if isinstance(response, HttpResponse):
                length = len(response.content)
                response.content = b""
                response.headers["Content-Length"] = str(length)
            elif isinstance(response, StreamingHttpResponse):
                response = headers_only(response)  # an export is not even built for HEAD
        path = request.path_info
        if not path.startswith(self.static_prefix):
            add_never_cache_headers(response)
        if path.startswith("/s/"):
            # Never a path, to anyone, not even to us. Not "no-referrer": with it browsers
            # send "Origin: null" on the page's own forms, which Django's CSRF check refuses.
            response.headers["Referrer-Policy"] = "strict-origin"
            response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response


def headers_only(response: StreamingHttpResponse) -> HttpResponse:
    """The streamed response's status, headers and cookies, without its body."""
    response.close()
    empty = HttpResponse(status=response.status_code)
    for header, value in response.items():
        empty.headers[header] = value
    empty.cookies = response.cookies
    return empty
