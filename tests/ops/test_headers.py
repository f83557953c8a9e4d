"""Every URL of the project, walked from the resolver: the headers production needs."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_permission_matrix import TABLE, project_url_names, world  # noqa: F401

REQUIRED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "frame-ancestors": "'none'",
    "object-src": "'none'",
    "base-uri": "'none'",
}


def policy(response) -> dict[str, str]:
    directives = [part.strip() for part in response["Content-Security-Policy"].split(";")]
    return {d.split(" ", 1)[0]: d.split(" ", 1)[1] for d in directives if d}


def test_the_walk_covers_every_url_name():
    assert project_url_names() == TABLE.keys()


@pytest.mark.parametrize("name", sorted(TABLE))
def test_each_url_sends_the_production_headers(world, name):  # noqa: F811
    kwargs, users = world
    row = TABLE[name]
    client = Client()
    client.force_login(users["owner"])
    url = reverse(name, kwargs=kwargs[row.kwargs])
    response = getattr(client, row.method)(url)

    csp = policy(response)
    for directive, value in REQUIRED_CSP.items():
        assert csp[directive] == value, (url, directive)
    assert "unsafe" not in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    if url.startswith("/s/"):
        assert response["Referrer-Policy"] == "strict-origin"
        assert response["X-Robots-Tag"].startswith("noindex")
    else:
        assert response["Referrer-Policy"] == "same-origin"
        assert "X-Robots-Tag" not in response

    if row.method == "get":
        head = client.head(url)
        assert head.status_code == response.status_code, url
        assert head.content == b""
        assert head.get("Content-Type") == response.get("Content-Type")
        assert head.get("Location") == response.get("Location")


def test_robots_keep_out_of_survey_links(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /s/" in response.content.decode().splitlines()


def test_our_templates_have_no_inline_script_or_style():
    """The CSP refuses inline scripts, event handlers and style attributes: none may exist."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    offenders = []
    for template in root.rglob("*.html"):
        if template.parts[-2] == "emails" or template.stem.endswith("_email"):
            continue  # emails (and registration/*_email.html) are not served under our CSP
        text = template.read_text(encoding="utf-8")
        for needle in ("style=", "<style", "<script>", " onclick=", " onchange=", " onsubmit="):
            if needle in text:
                offenders.append(f"{template.relative_to(root)}: {needle}")
    assert offenders == []


def test_static_files_keep_their_long_cache(settings, db):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    response = Client().get("/static/css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
