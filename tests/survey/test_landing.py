"""The home address: a landing page for visitors, the workspace home for members."""

import re

import pytest
from django.test import Client

from tests.factories import make_user


def links(html: str) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', html))


def test_a_visitor_at_the_home_address_sees_what_the_product_does(client, db):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "landing.html"
    assert "rate the same 20 statements" in html
    assert "How privacy works" in html
    assert {"/signup/", "/login/"} <= links(html)


def test_the_sample_result_has_a_text_alternative(client, db):
    html = client.get("/").content.decode()
    svg = re.search(r"<svg[^>]*role=\"img\"[^>]*aria-labelledby=\"(\w[\w-]*)\"", html)
    assert svg, "the sample figure is an image with a name"
    title = re.search(rf'<title id="{svg.group(1)}">(.*?)</title>', html, re.S).group(1)
    assert "sales at 58, in the Defined band" in " ".join(title.split())


def test_the_landing_page_speaks_vietnamese(db):
    client = Client(headers={"accept-language": "vi"})
    html = client.get("/").content.decode()
    assert '<html lang="vi">' in html
    assert "Tạo tài khoản" in html  # Create an account
    assert "Đăng nhập" in html  # Log in
    assert "How privacy works" not in html


def test_a_member_at_the_home_address_gets_their_home_page(client, company):
    client.force_login(make_user("lan@acme.test", company))
    response = client.get("/")
    html = response.content.decode()
    assert [t.name for t in response.templates][0] == "home.html"
    assert "Your companies" in html
    assert company.name in html
    assert "How privacy works" not in html


def test_decorative_icons_are_hidden_from_screen_readers(client, db):
    html = client.get("/").content.decode()
    icons = re.findall(r'<span class="icon [^"]*"[^>]*>', html)
    assert len(icons) >= 4
    assert all('aria-hidden="true"' in tag for tag in icons)


@pytest.mark.parametrize("path", ["/", "/login/", "/signup/"])
def test_the_visitors_pages_have_no_inline_styles(client, db, path):
    """A strict Content-Security-Policy will refuse style attributes."""
    assert "style=" not in client.get(path).content.decode()


def test_favicon_ico_points_to_the_static_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("img/favicon.ico")
