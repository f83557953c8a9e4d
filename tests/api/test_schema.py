"""The OpenAPI document is valid OpenAPI 3, describes every field in English, and the docs
page serves Swagger UI from our own static files."""

import re

from django.test import Client
from openapi_spec_validator import validate


def schema() -> dict:
    response = Client().get("/api/v1/schema/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()


def test_the_schema_is_valid_openapi_3(db):
    document = schema()
    assert document["openapi"].startswith("3.")
    validate(document)


def test_every_field_and_parameter_is_described(db):
    document = schema()
    missing = [
        f"{name}.{field}"
        for name, component in document["components"]["schemas"].items()
        for field, spec in component.get("properties", {}).items()
        if not spec.get("description")
    ]
    missing += [
        f"{path} {p['name']}"
        for path, operations in document["paths"].items()
        for operation in operations.values()
        for p in operation.get("parameters", [])
        if not p.get("description")
    ]
    assert missing == []
    assert all(c.get("description") for c in document["components"]["schemas"].values())


def test_errors_are_documented_as_problem_details(db):
    for operations in schema()["paths"].values():
        for operation in operations.values():
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert list(response["content"]) == ["application/problem+json"]


def test_the_docs_load_nothing_from_elsewhere(db):
    response = Client().get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    assert not re.search(r"<script(?![^>]*\b(src|type=\"application/json\"))[^>]*>", html)
    assert "script-src 'self'" in response["Content-Security-Policy"]
