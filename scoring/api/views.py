"""The read-only API, /api/v1/: thin operations over the same reads as the pages.

Each operation: the token (scoring.api.auth), its scope, one access rule (another
company's round is a 404, as on the pages), one read (scoring.results.published,
scoring.results.history, scoring.results.reads, survey.reads.tracking), one presenter
(scoring.api.present), then the JSON with an ETag (a 304 when If-None-Match holds it).

Built on django-ninja: its schemas are typed pydantic classes checked against what we
send, and it writes the OpenAPI 3 document from the same classes, so the schema cannot
drift from the answers; its Swagger UI ships as static files (no CDN).
"""

import hashlib
import re
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import NinjaAPI, Schema, Swagger
from ninja.errors import HttpError, ValidationError
from ninja.params.functions import Path, Query
from pydantic import BeforeValidator

from scoring.api import schemas
from scoring.api.auth import BearerToken, TokenRequest, require_scope
from scoring.api.present import actions_json, results_json, round_json, trends_json
from scoring.api.problems import PROBLEM, ApiProblem, answer_problem, problem
from scoring.results.history import published_until
from scoring.results.published import RoundResults, results_of
from scoring.results.reads import actions_of
from survey.identity.models import ApiToken
from survey.models import Round
from survey.reads.tracking import round_tracking, rounds_tracking

DESCRIPTION = """Read-only access to one company's survey rounds and their published results.

Every figure is the one the results pages show, rounded the same way (one decimal), with
the same groups hidden: no group smaller than the round's anonymity threshold (k), no
comments of a group with fewer than max(k, 5) comments on a statement. There is nothing
per person. Send `Authorization: Bearer <token>`; an owner creates tokens on the
company's API page, or `python manage.py api_token --company SLUG --name NAME`.
Answers carry an ETag: send it back as If-None-Match to get a 304 when nothing changed.
Errors are RFC 9457 problem details."""


ROUND_LINKS = {
    "GetRound": {"operationId": "getRound", "parameters": {"round_id": "$response.body#/id"}},
    "GetResults": {"operationId": "getResults", "parameters": {"round_id": "$response.body#/id"}},
    "GetTrends": {"operationId": "getTrends", "parameters": {"round_id": "$response.body#/id"}},
    "GetActions": {"operationId": "getActions", "parameters": {"round_id": "$response.body#/id"}},
}


FIRST_ROUND = {
    name: {
        "operationId": link["operationId"],
        "parameters": {"round_id": "$response.body#/items/0/id"},
    }
    for name, link in ROUND_LINKS.items()
}
# The OpenAPI links a client (and schemathesis's stateful run) follows, by operation.
LINKS = {"listRounds": FIRST_ROUND, "getRound": ROUND_LINKS}


class Api(NinjaAPI):
    """ninja's API with errors documented as what they are (application/problem+json),
    and the links from a round to its results, trends and plan."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema["paths"].values():
            for operation in operations.values():
                for status, response in operation["responses"].items():
                    if int(status) == 200 and operation["operationId"] in LINKS:
                        response["links"] = LINKS[operation["operationId"]]
                    if int(status) >= 400 and "content" in response:
                        response["content"] = {PROBLEM: response["content"]["application/json"]}
        return schema


api = Api(
    title="Sales & Marketing Alignment API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    openapi_url="/schema/",
    docs_url="/docs/",
    # No deep links: they put a link inside each operation's button (nested controls).
    docs=Swagger(settings={"deepLinking": False}),
    auth=BearerToken(),
)

ERRORS: dict[int, Any] = {
    304: None,
    401: schemas.Problem,
    403: schemas.Problem,
    404: schemas.Problem,
    422: schemas.Problem,
    429: schemas.Problem,
}
ROUND_ID: Any = Path(..., ge=1, le=2**31 - 1, description="The round's number.")
MAX_OFFSET = 1_000_000
STATUS: Any = Query(None, description="Only open or closed rounds.")


def iso_day(value: object) -> object:
    """A day only as YYYY-MM-DD: pydantic would also read a number as a Unix time."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("a day as YYYY-MM-DD")
    if isinstance(value, int | float):
        raise ValueError("a day as YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(iso_day)]
OPENED_AFTER: Any = Query(None, description="Only rounds opened on or after this day.")
OPENED_BEFORE: Any = Query(None, description="Only rounds opened on or before this day.")
LIMIT: Any = Query(20, ge=1, le=100, description="At most this many rounds per page.")
OFFSET: Any = Query(0, ge=0, le=MAX_OFFSET, description="Skip this many matching rounds.")


@api.exception_handler(ApiProblem)
def on_problem(request: HttpRequest, error: ApiProblem) -> HttpResponse:
    return answer_problem(request, error)


@api.exception_handler(ValidationError)
def on_invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    where = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in error.errors
    )
    return problem(request, 422, f"The request is not valid: {where}")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return problem(request, 404, str(error) or "Not found.")


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    return problem(request, error.status_code, str(error))


def etagged(request: HttpRequest, schema: type[Schema], data: dict[str, Any]) -> HttpResponse:
    """The answer checked against its schema, with a strong ETag of its bytes; a 304 when
    the client already holds them."""
    body = schema.model_validate(data).model_dump_json()
    etag = f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"'
    held = [
        t.strip().removeprefix("W/") for t in request.headers.get("If-None-Match", "").split(",")
    ]
    response = (
        HttpResponse(status=304)
        if etag in held or "*" in held
        else HttpResponse(body, content_type="application/json")
    )
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Authorization, Accept-Language"
    return response


def round_of(token: ApiToken, round_id: int) -> Round:
    """A round of the token's company; any other is a 404, as on the pages."""
    found = Round.objects.select_related("company").filter(pk=round_id, company=token.company)
    survey_round = found.first()
    if survey_round is None:
        raise ApiProblem(404, "No such round.")
    return survey_round


def published_of(survey_round: Round) -> RoundResults:
    results = results_of(survey_round)
    if results is None:
        raise ApiProblem(404, "Results are published when the round closes.")
    return results


def results_url(request: HttpRequest, survey_round: Round) -> str | None:
    if survey_round.closed_at is None:
        return None
    return request.build_absolute_uri(reverse("api:results", kwargs={"round_id": survey_round.pk}))


@api.get("/company", response={200: schemas.CompanyOut, **ERRORS}, url_name="company",
         summary="The token's company", operation_id="getCompany")  # fmt: skip
def company(request: TokenRequest) -> HttpResponse:
    found = request.auth.company
    data = {
        "slug": found.slug,
        "name": found.name,
        "anonymity_threshold": found.anonymity_threshold,
        "scopes": list(request.auth.scopes),
    }
    return etagged(request, schemas.CompanyOut, data)


def page_url(request: HttpRequest, filters: dict[str, Any], limit: int, offset: int) -> str:
    query = {k: v for k, v in filters.items() if v is not None} | {"limit": limit, "offset": offset}
    return request.build_absolute_uri(f"{request.path}?{urlencode(query)}")


@api.get("/rounds", response={200: schemas.RoundPage, **ERRORS}, url_name="rounds",
         summary="The company's rounds, newest first", operation_id="listRounds")  # fmt: skip
def rounds(
    request: TokenRequest,
    status: schemas.RoundStatus | None = STATUS,
    opened_after: Day | None = OPENED_AFTER,
    opened_before: Day | None = OPENED_BEFORE,
    limit: int = LIMIT,
    offset: int = OFFSET,
) -> HttpResponse:
    require_scope(request, ApiToken.Scope.RESULTS)
    found = Round.objects.filter(company=request.auth.company).select_related("company")
    if status is not None:
        found = found.filter(closed_at__isnull=status == "open")
    if opened_after is not None:
        found = found.filter(opened_at__date__gte=opened_after)
    if opened_before is not None:
        found = found.filter(opened_at__date__lte=opened_before)
    count = found.count()
    page = list(found.order_by("-opened_at", "-pk")[offset : offset + limit])
    tracking = rounds_tracking(page)
    filters = {"status": status, "opened_after": opened_after, "opened_before": opened_before}
    data = {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": page_url(request, filters, limit, offset + limit)
        if offset + limit < count
        else None,
        "previous": page_url(request, filters, limit, max(0, offset - limit)) if offset else None,
        "items": [round_json(r, tracking[r.pk], results_url(request, r)) for r in page],
    }
    return etagged(request, schemas.RoundPage, data)


@api.get("/rounds/{round_id}", response={200: schemas.RoundOut, **ERRORS}, url_name="round",
         summary="One round, as its page shows it", operation_id="getRound")  # fmt: skip
def round_detail(request: TokenRequest, round_id: int = ROUND_ID) -> HttpResponse:
    require_scope(request, ApiToken.Scope.RESULTS)
    survey_round = round_of(request.auth, round_id)
    data = round_json(
        survey_round, round_tracking(survey_round), results_url(request, survey_round)
    )
    return etagged(request, schemas.RoundOut, data)


@api.get("/rounds/{round_id}/results", response={200: schemas.ResultsOut, **ERRORS},
         url_name="results", summary="A closed round's published results",
         operation_id="getResults")  # fmt: skip
def results(request: TokenRequest, round_id: int = ROUND_ID) -> HttpResponse:
    require_scope(request, ApiToken.Scope.RESULTS)
    found = published_of(round_of(request.auth, round_id))
    return etagged(request, schemas.ResultsOut, results_json(found))


@api.get("/rounds/{round_id}/trends", response={200: schemas.TrendsOut, **ERRORS},
         url_name="trends", summary="The closed rounds up to this one",
         operation_id="getTrends")  # fmt: skip
def trends(request: TokenRequest, round_id: int = ROUND_ID) -> HttpResponse:
    require_scope(request, ApiToken.Scope.RESULTS)
    survey_round = published_of(round_of(request.auth, round_id)).round
    return etagged(request, schemas.TrendsOut, trends_json(published_until(survey_round)))


@api.get("/rounds/{round_id}/actions", response={200: schemas.ActionList, **ERRORS},
         url_name="actions", summary="The plan's actions and their status",
         operation_id="getActions")  # fmt: skip
def actions(request: TokenRequest, round_id: int = ROUND_ID) -> HttpResponse:
    require_scope(request, ApiToken.Scope.PLAN)
    survey_round = round_of(request.auth, round_id)
    return etagged(
        request, schemas.ActionList, actions_json(survey_round, actions_of(survey_round))
    )
