"""Errors as RFC 9457 problem details (application/problem+json), in English."""

from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse

PROBLEM = "application/problem+json"


class ApiProblem(Exception):
    """An error to answer with its status; `headers` e.g. WWW-Authenticate, Retry-After."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers or {}


def unauthorized(detail: str) -> ApiProblem:
    return ApiProblem(401, detail, {"WWW-Authenticate": 'Bearer realm="api"'})


def problem(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    return JsonResponse(
        {
            "type": "about:blank",
            "title": HTTPStatus(status).phrase,
            "status": status,
            "detail": detail,
            "instance": request.path,
        },
        status=status,
        content_type=PROBLEM,
    )


def answer_problem(request: HttpRequest, error: ApiProblem) -> HttpResponse:
    response = problem(request, error.status, error.detail)
    for name, value in error.headers.items():
        response[name] = value
    return response
