"""Who is asking: a company's API token, sent as `Authorization: Bearer <token>`.

Only the token's SHA-256 is stored (survey.models.hash_token). A missing, unknown, expired
or revoked token is a 401 with the same words (whoever holds a dead token learns nothing
about which it is); wrong tokens count per address, each token's requests per minute, in
the shared cache (survey.plumbing.throttle), and a refusal is a 429 with Retry-After.
"""

from django.http import HttpRequest
from ninja.security import HttpBearer

from scoring.api.problems import ApiProblem, unauthorized
from survey.identity.models import ApiToken
from survey.models import hash_token
from survey.plumbing.throttle import API_BAD_TOKENS, api_requests, client_address, refused_for
from survey.writes.api_tokens import note_use

NOT_ACCEPTED = "The bearer token is missing, unknown, expired or revoked."


class TokenRequest(HttpRequest):
    auth: ApiToken


def too_many(detail: str) -> ApiProblem:
    return ApiProblem(429, detail, {"Retry-After": str(refused_for() or 60)})


class BearerToken(HttpBearer):
    """ninja's bearer scheme (so the schema says how to sign in), our own checks."""

    def __call__(self, request: HttpRequest) -> ApiToken:
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise unauthorized(NOT_ACCEPTED)
        return self.authenticate(request, value.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        address = client_address(request)
        if API_BAD_TOKENS.exceeded(address):
            raise too_many("Too many wrong tokens from this address; try again later.")
        found = (
            ApiToken.objects.select_related("company").filter(token_hash=hash_token(token)).first()
        )
        if found is None or not found.is_active:
            API_BAD_TOKENS.hit(address)
            raise unauthorized(NOT_ACCEPTED)
        limit = api_requests()
        if limit.exceeded(found.token_hash):
            raise too_many("This token made too many requests this minute; try again later.")
        limit.hit(found.token_hash)
        note_use(token=found, address=address)
        return found


def require_scope(request: TokenRequest, scope: str) -> None:
    if scope not in request.auth.scopes:
        raise ApiProblem(403, f"This token does not have the {scope!r} scope.")
