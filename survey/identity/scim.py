"""The company's directory over SCIM 2.0 (RFC 7643, RFC 7644), at /scim/v2/.

The bearer token is the company: every query is filtered by the token's company, so another
company's users and groups are a 404 as they are on every page. Parsing, validation,
serialisation and PATCH are the `scim2-models` library's (pydantic models of RFC 7643, with
the PATCH semantics of RFC 7644 §3.5.2, including the shapes Entra ID and Okta send); filters
are parsed by `scim2-filter-parser` into a Django Q. We keep only the storage and the tenant.

What a directory person means for a round is survey.identity.directory's business.
"""

import json
import uuid
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from django.db import DataError, IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError
from scim2_filter_parser.lexer import SCIMLexer
from scim2_filter_parser.parser import SCIMParser
from scim2_filter_parser.transpilers.django_q_object import Transpiler
from scim2_models import (
    URN,
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    Context,
    EnterpriseUser,
    Error,
    ETag,
    Extension,
    Filter,
    Group,
    GroupMember,
    GroupMembership,
    InvalidFilterException,
    InvalidValueException,
    ListResponse,
    Meta,
    NotFoundException,
    Patch,
    PatchOp,
    ResourceType,
    ResponseParameters,
    Schema,
    SCIMException,
    ServiceProviderConfig,
    Sort,
    UniquenessException,
    User,
)

from survey.identity import directory
from survey.identity.models import DirectoryGroup, DirectoryPerson, ScimToken
from survey.models import Company

ASSESSMENT_URN = "urn:ietf:params:scim:schemas:extension:salesmarketing:2.0:User"
CONTENT_TYPE = "application/scim+json"
MAX_COUNT = 200


class Assessment(Extension):
    """Our extension: where the person stands in the assessment, when the directory says it
    per user rather than through the groups "Sales", "Marketing" and "Heads"."""

    __schema__ = URN(ASSESSMENT_URN)

    role: str | None = None
    """"leader" (head of the department) or "staff" (the default)."""

    department: str | None = None
    """"sales" or "marketing"; wins over the enterprise extension's department."""


ScimUser = User[EnterpriseUser | Assessment]

USER_FILTERS = {
    ("userName", None, None): "user_name",
    ("externalId", None, None): "external_id",
    ("id", None, None): "scim_id",
    ("emails", "value", None): "email",
    ("emails", None, None): "email",
    ("displayName", None, None): "display_name",
    ("active", None, None): "active",
}
GROUP_FILTERS = {
    ("displayName", None, None): "display_name",
    ("externalId", None, None): "external_id",
    ("id", None, None): "scim_id",
    ("members", "value", None): "members__scim_id",
}


# The door: a bearer token, SCIM errors --------------------------------------------------------


def scim_response(payload: dict[str, Any], status: int = 200) -> HttpResponse:
    return HttpResponse(json.dumps(payload), status=status, content_type=CONTENT_TYPE)


def error_response(status: int, detail: str, scim_type: str | None = None) -> HttpResponse:
    error = Error(status=status, detail=detail, scim_type=scim_type)
    response = scim_response(error.model_dump(), status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="SCIM"'
    return response


def scim_view(*methods: str) -> Callable:
    """Bearer token, method, and SCIM error JSON for whatever goes wrong."""

    def decorate(view: Callable) -> Callable:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            token = authenticated(request)
            if token is None:
                return error_response(401, "A valid bearer token is required.")
            if request.method not in methods:
                response = error_response(405, f"{request.method} is not supported here.")
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, token.company, *args, **kwargs)
            except SCIMException as exc:
                return scim_response(exc.to_error().model_dump(), exc.status)
            except ValidationError as exc:
                return error_response(400, scim_detail(exc), "invalidValue")
            except (ValueError, json.JSONDecodeError) as exc:
                return error_response(400, str(exc) or "Invalid request.", "invalidSyntax")
            except IntegrityError:
                return error_response(409, "userName is already in use.", "uniqueness")
            except DataError:
                return error_response(400, "A value does not fit.", "invalidValue")

        return wrapped

    return decorate


def authenticated(request: HttpRequest) -> ScimToken | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    address = request.META.get("REMOTE_ADDR", "")
    return directory.token_in_use(value.strip(), address)


def scim_detail(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}" for error in exc.errors()
    )[:500]


def body(request: HttpRequest) -> dict[str, Any]:
    data = json.loads(request.body or b"{}")
    if not isinstance(data, dict):
        raise ValueError("The body must be a JSON object.")
    return data


def location(request: HttpRequest, name: str, scim_id: object = None) -> str:
    path = reverse(f"scim:{name}", kwargs={"scim_id": scim_id} if scim_id else None)
    return request.build_absolute_uri(path)


# Discovery ------------------------------------------------------------------------------------


def config(request: HttpRequest) -> ServiceProviderConfig:
    return ServiceProviderConfig(
        documentation_uri=request.build_absolute_uri("/") + "#directory-scim",
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_COUNT),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=False),
        authentication_schemes=[
            AuthenticationScheme(
                type="oauthbearertoken",
                name="Bearer token",
                description="A directory token created by the company's owner.",
                primary=True,
            )
        ],
        meta=Meta(resource_type="ServiceProviderConfig", location=location(request, "config")),
    )


def resource_types(request: HttpRequest) -> list[ResourceType]:
    user = ResourceType.from_resource(ScimUser)
    group = ResourceType.from_resource(Group)
    user.meta = Meta(
        resource_type="ResourceType", location=location(request, "resource_types") + "/User"
    )
    group.meta = Meta(
        resource_type="ResourceType", location=location(request, "resource_types") + "/Group"
    )
    return [user, group]


def schemas(request: HttpRequest) -> list[Schema]:
    found = []
    for model in (User, EnterpriseUser, Assessment, Group):
        schema = model.to_schema()
        schema.meta = Meta(
            resource_type="Schema", location=f"{location(request, 'schemas')}/{schema.id}"
        )
        found.append(schema)
    return found


def listing(model: type, items: list) -> dict:
    response = ListResponse[model](  # type: ignore[valid-type]
        total_results=len(items), start_index=1, items_per_page=len(items), resources=items
    )
    return response.model_dump(scim_ctx=Context.SEARCH_RESPONSE)


@scim_view("GET")
def service_provider_config(request: HttpRequest, company: Company) -> HttpResponse:
    return scim_response(config(request).model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


@scim_view("GET")
def resource_type_list(request: HttpRequest, company: Company) -> HttpResponse:
    return scim_response(listing(ResourceType, resource_types(request)))


@scim_view("GET")
def resource_type_detail(request: HttpRequest, company: Company, name: str) -> HttpResponse:
    for found in resource_types(request):
        if found.id == name:
            return scim_response(found.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
    return error_response(404, "No such resource type.")


@scim_view("GET")
def schema_list(request: HttpRequest, company: Company) -> HttpResponse:
    return scim_response(listing(Schema, schemas(request)))


@scim_view("GET")
def schema_detail(request: HttpRequest, company: Company, urn: str) -> HttpResponse:
    for found in schemas(request):
        if found.id == urn:
            return scim_response(found.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
    return error_response(404, "No such schema.")


# Lists: filter and pages ------------------------------------------------------------------------


class StrictTranspiler(Transpiler):
    """The library's transpiler drops a comparison on an attribute it has no column for,
    which would widen `userName eq "a" and title eq "b"` to every "a": refuse it instead."""

    def visit_AttrPath(self, node: Any) -> Any:
        column = super().visit_AttrPath(node)
        if column is None:
            raise InvalidFilterException(detail=f"Filtering on {node.attr_name} is not supported.")
        return column


def asked(request: HttpRequest) -> dict[str, Any]:
    """The query's parameters: the URL's, or a POST to .search's body (RFC 7644 §3.4.3)."""
    if request.method == "POST":
        return body(request)
    return request.GET.dict()


def shape(model: type, params: Mapping[str, Any]) -> ResponseParameters:
    """attributes / excludedAttributes (RFC 7644 §3.9), resolved against the model."""
    chosen = {k: params[k] for k in ("attributes", "excludedAttributes") if params.get(k)}
    return ResponseParameters[model].model_validate(chosen)  # type: ignore[valid-type]


def filtered(queryset: QuerySet, params: Mapping[str, Any], attributes: dict) -> QuerySet:
    text = str(params.get("filter") or "").strip()
    if not text:
        return queryset
    try:
        tree = SCIMParser().parse(SCIMLexer().tokenize(text))
        query = StrictTranspiler(attributes).transpile(tree)
    except InvalidFilterException:
        raise
    except Exception:  # the parser raises plain exceptions of its own on bad syntax
        raise InvalidFilterException(detail=f"This filter is not supported: {text}"[:300]) from None
    if not isinstance(query, Q):
        raise InvalidFilterException(detail=f"This filter is not supported: {text}"[:300])
    return queryset.filter(query).distinct()


def page(
    request: HttpRequest,
    params: Mapping[str, Any],
    queryset: QuerySet,
    model: type,
    render: Callable,
) -> HttpResponse:
    """RFC 7644 §3.4.2.4: startIndex is 1-based (below 1 means 1), count at most MAX_COUNT
    (negative means 0: the total only)."""
    start = max(1, whole(params.get("startIndex"), 1))
    count = min(MAX_COUNT, max(0, whole(params.get("count"), MAX_COUNT)))
    chosen = shape(model, params)
    total = queryset.count()
    items = [render(request, item) for item in queryset[start - 1 : start - 1 + count]]
    response = ListResponse[model](  # type: ignore[valid-type]
        total_results=total, start_index=start, items_per_page=len(items), resources=items
    )
    dumped = response.model_dump(scim_ctx=Context.SEARCH_RESPONSE, response_parameters=chosen)
    return scim_response(dumped)


def whole(value: object, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise InvalidValueException(detail="startIndex and count must be integers.") from None


# Users --------------------------------------------------------------------------------------


def user_resource(request: HttpRequest, person: DirectoryPerson) -> ScimUser:
    stored = {k: v for k, v in person.resource.items() if k not in ("id", "meta", "groups")}
    user = ScimUser.model_validate(stored)
    user.id = str(person.scim_id)
    user.groups = [
        GroupMembership(
            value=str(g.scim_id), display=g.display_name, ref=location(request, "group", g.scim_id)
        )
        for g in person.directory_groups.all()
    ] or None
    user.meta = Meta(
        resource_type="User",
        created=person.created_at,
        last_modified=person.updated_at,
        location=location(request, "user", person.scim_id),
    )
    return user


def dumped_user(request: HttpRequest, person: DirectoryPerson) -> dict:
    chosen = shape(ScimUser, request.GET.dict())
    return user_resource(request, person).model_dump(
        scim_ctx=Context.RESOURCE_QUERY_RESPONSE, response_parameters=chosen
    )


def store_user(person: DirectoryPerson, user: ScimUser) -> None:
    """Copy what we use into columns, and keep the whole resource as sent."""
    emails = user.emails or []
    primary = (
        next((e for e in emails if e.primary), None)
        or next((e for e in emails if str(e.type or "") == "work"), None)
        or (emails[0] if emails else None)
    )
    enterprise = user[EnterpriseUser]
    ours = user[Assessment]
    person.user_name = user.user_name or ""
    person.external_id = user.external_id or ""
    person.email = str(primary.value) if primary and primary.value else ""
    person.given_name = (user.name.given_name if user.name else None) or ""
    person.family_name = (user.name.family_name if user.name else None) or ""
    person.display_name = user.display_name or ""
    person.language = user.preferred_language or user.locale or ""
    person.active = user.active is not False
    person.department_attribute = (
        (ours.department if ours else None) or (enterprise.department if enterprise else None) or ""
    )
    person.role_attribute = (ours.role if ours else None) or ""
    person.resource = user.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    person.updated_at = timezone.now()
    if not person.user_name:
        raise InvalidValueException(detail="userName is required.")
    if len(person.user_name) > 255:
        raise InvalidValueException(detail="userName is longer than 255 characters.")
    for column in (
        "external_id",
        "email",
        "given_name",
        "family_name",
        "display_name",
        "language",
        "department_attribute",
        "role_attribute",
    ):
        fits(person, column)
    with transaction.atomic():
        person.save()


def fits(person: DirectoryPerson, column: str) -> None:
    """What we copy into a column is cut to its length (the whole resource is kept as sent):
    a made-up locale of 40 characters is no reason to refuse a user."""
    limit = DirectoryPerson._meta.get_field(column).max_length
    setattr(person, column, getattr(person, column)[:limit])


def person_or_404(company: Company, scim_id: str) -> DirectoryPerson:
    found = DirectoryPerson.objects.filter(company=company, scim_id=uuid_or_none(scim_id)).first()
    if found is None:
        raise NotFoundException(detail="Resource not found.")
    return found


def uuid_or_none(value: str) -> str | None:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def people(company: Company) -> QuerySet:
    return DirectoryPerson.objects.filter(company=company).prefetch_related("directory_groups")


@scim_view("GET", "POST")
def users(request: HttpRequest, company: Company) -> HttpResponse:
    if request.method == "POST":
        user = ScimUser.model_validate(body(request), scim_ctx=Context.RESOURCE_CREATION_REQUEST)
        person = DirectoryPerson(company=company)
        with transaction.atomic():
            if taken(company, user.user_name):
                raise UniquenessException(detail="userName is already in use.")
            store_user(person, user)
            directory.follow(person, base_url=base_url(request))
        response = scim_response(dumped_user(request, person), 201)
        response["Location"] = location(request, "user", person.scim_id)
        return response
    return user_page(request, company)


def user_page(request: HttpRequest, company: Company) -> HttpResponse:
    params = asked(request)
    found = filtered(people(company), params, USER_FILTERS)
    return page(request, params, found, ScimUser, user_resource)


@scim_view("POST")
def user_search(request: HttpRequest, company: Company) -> HttpResponse:
    return user_page(request, company)


def taken(company: Company, user_name: str | None, but: DirectoryPerson | None = None) -> bool:
    found = DirectoryPerson.objects.filter(company=company, user_name__iexact=user_name or "")
    if but is not None:
        found = found.exclude(pk=but.pk)
    return found.exists()


@scim_view("GET", "PUT", "PATCH", "DELETE")
def user(request: HttpRequest, company: Company, scim_id: str) -> HttpResponse:
    person = person_or_404(company, scim_id)
    if request.method == "GET":
        return scim_response(dumped_user(request, person))
    with transaction.atomic():
        person = DirectoryPerson.objects.select_for_update().get(pk=person.pk)
        former = [directory.address_of(person)]
        if request.method == "DELETE":
            person.active = False
            directory.follow(person, base_url=base_url(request), deleted=True)
            person.delete()
            return HttpResponse(status=204)
        if request.method == "PUT":
            changed = ScimUser.model_validate(
                body(request), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST
            )
        else:
            changed = user_resource(request, person)
            operations = PatchOp[ScimUser].model_validate(
                body(request), scim_ctx=Context.RESOURCE_PATCH_REQUEST
            )
            operations.patch(changed)
        changed.groups = None
        if taken(company, changed.user_name, but=person):
            raise UniquenessException(detail="userName is already in use.")
        store_user(person, changed)
        directory.follow(person, base_url=base_url(request), former_addresses=former)
    return scim_response(dumped_user(request, person))


# Groups -------------------------------------------------------------------------------------


def group_resource(request: HttpRequest, group: DirectoryGroup) -> Group:
    found = Group(
        id=str(group.scim_id),
        external_id=group.external_id or None,
        display_name=group.display_name,
        members=[
            GroupMember(
                value=str(p.scim_id),
                display=group.displays.get(str(p.scim_id)) or directory.name_of(p) or p.user_name,
                ref=location(request, "user", p.scim_id),
                type="User",
            )
            for p in group.members.all()
        ]
        or None,
        meta=Meta(
            resource_type="Group",
            created=group.created_at,
            last_modified=group.updated_at,
            location=location(request, "group", group.scim_id),
        ),
    )
    return found


def dumped_group(request: HttpRequest, group: DirectoryGroup) -> dict:
    chosen = shape(Group, request.GET.dict())
    return group_resource(request, group).model_dump(
        scim_ctx=Context.RESOURCE_QUERY_RESPONSE, response_parameters=chosen
    )


def store_group(request: HttpRequest, company: Company, group: DirectoryGroup, sent: Group) -> None:
    """Members are the company's own people only: an id of anyone else is refused."""
    if not sent.display_name:
        raise InvalidValueException(detail="displayName is required.")
    ids = [uuid_or_none(str(m.value)) for m in sent.members or []]
    members = list(DirectoryPerson.objects.filter(company=company, scim_id__in=ids))
    if len(members) != len(set(ids)):
        raise InvalidValueException(detail="A member is not a user of this directory.")
    before = set(group.members.all()) if group.pk else set()
    group.display_name = sent.display_name
    group.external_id = sent.external_id or ""
    group.displays = {
        uuid_or_none(str(m.value)): m.display for m in sent.members or [] if m.display
    }
    group.updated_at = timezone.now()
    group.save()
    group.members.set(members)
    for person in before | set(members):  # the name or the members may place them elsewhere
        directory.follow(person, base_url=base_url(request))


def groups_of(company: Company) -> QuerySet:
    return DirectoryGroup.objects.filter(company=company).prefetch_related("members")


@scim_view("GET", "POST")
def groups(request: HttpRequest, company: Company) -> HttpResponse:
    if request.method == "POST":
        sent = Group.model_validate(body(request), scim_ctx=Context.RESOURCE_CREATION_REQUEST)
        group = DirectoryGroup(company=company)
        with transaction.atomic():
            store_group(request, company, group, sent)
        response = scim_response(dumped_group(request, group), 201)
        response["Location"] = location(request, "group", group.scim_id)
        return response
    return group_page(request, company)


def group_page(request: HttpRequest, company: Company) -> HttpResponse:
    params = asked(request)
    found = filtered(groups_of(company), params, GROUP_FILTERS)
    return page(request, params, found, Group, group_resource)


@scim_view("POST")
def group_search(request: HttpRequest, company: Company) -> HttpResponse:
    return group_page(request, company)


@scim_view("GET", "PUT", "PATCH", "DELETE")
def group(request: HttpRequest, company: Company, scim_id: str) -> HttpResponse:
    found = DirectoryGroup.objects.filter(company=company, scim_id=uuid_or_none(scim_id)).first()
    if found is None:
        raise NotFoundException(detail="Resource not found.")
    if request.method == "GET":
        return scim_response(dumped_group(request, found))
    with transaction.atomic():
        found = DirectoryGroup.objects.select_for_update().get(pk=found.pk)
        if request.method == "DELETE":
            members = list(found.members.all())
            found.delete()
            for person in members:
                directory.follow(person, base_url=base_url(request))
            return HttpResponse(status=204)
        if request.method == "PUT":
            sent = Group.model_validate(
                body(request), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST
            )
        else:
            sent = group_resource(request, found)
            operations = PatchOp[Group].model_validate(
                body(request), scim_ctx=Context.RESOURCE_PATCH_REQUEST
            )
            operations.patch(sent)
        store_group(request, company, found, sent)
    # Entra ID and Okta do not read the answer to a member change; the whole group is fine.
    return scim_response(dumped_group(request, found))


@scim_view("POST")
def root_search(request: HttpRequest, company: Company) -> HttpResponse:
    """RFC 7644 §3.4.3 lets a server search one resource type at a time: 501 here."""
    return error_response(501, "Search Users/.search or Groups/.search.")


@scim_view("GET", "POST", "PUT", "PATCH", "DELETE")
def unknown(request: HttpRequest, company: Company, rest: str = "") -> HttpResponse:
    return error_response(404, "Not found.")
