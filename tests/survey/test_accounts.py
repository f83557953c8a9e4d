import re

from django.conf import settings
from django.contrib.auth import get_user_model

from tests.factories import make_user

STRONG = "correct-horse-battery-9"


def sign_up(client, email="lan@acme.test", password=STRONG, **extra):
    data = {"email": email, "password1": password, "password2": password}
    return client.post("/signup/", data | extra)


def test_signing_up_creates_an_account_named_by_email_and_logs_in(client, db):
    response = sign_up(client, email="Lan@Acme.test")
    assert response.status_code == 302 and response["Location"] == "/"
    user = get_user_model().objects.get()
    assert user.username == user.email == "lan@acme.test"
    home = client.get("/").content.decode()
    assert "Create your company" in home
    assert "Welcome! Your account is ready." in home


def test_sign_up_applies_djangos_password_validators(client, db):
    response = sign_up(client, password="12345678")
    html = response.content.decode()
    assert response.status_code == 200
    assert "This password is too common." in html
    assert not get_user_model().objects.exists()


def test_an_email_can_only_sign_up_once(client, db):
    make_user("lan@acme.test")
    html = sign_up(client, email="LAN@acme.test").content.decode()
    assert "already an account for this email" in html


def test_sign_up_continues_to_a_safe_next_page_only(client, db):
    assert sign_up(client, next="/companies/new/")["Location"] == "/companies/new/"
    client.logout()
    evil = sign_up(client, email="b@acme.test", next="https://evil.example/")
    assert evil["Location"] == "/"


def test_login_with_email_then_logout(client, db):
    make_user("lan@acme.test")
    response = client.post("/login/", {"username": "lan@acme.test", "password": "pw-for-tests-1"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert client.post("/logout/").status_code == 302
    after = client.get("/")  # signed out, the home address shows the visitors' landing page
    assert [t.name for t in after.templates][0] == "landing.html"
    assert "Your companies" not in after.content.decode()


def test_ten_wrong_passwords_make_the_account_wait_even_for_the_right_one(client, db):
    make_user("lan@acme.test")
    for _ in range(10):
        response = client.post("/login/", {"username": "lan@acme.test", "password": "wrong"})
        assert "Please enter a correct" in response.content.decode()
    right = client.post("/login/", {"username": "LAN@acme.test", "password": "pw-for-tests-1"})
    assert "Too many wrong passwords for this account" in right.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account is not affected.
    make_user("other@acme.test")
    ok = client.post("/login/", {"username": "other@acme.test", "password": "pw-for-tests-1"})
    assert ok.status_code == 302


def test_a_password_can_be_reset_by_email(client, db, mailoutbox):
    make_user("lan@acme.test")
    response = client.post("/password-reset/", {"email": "lan@acme.test"})
    assert response["Location"] == "/password-reset/sent/"
    assert len(mailoutbox) == 1
    link = re.search(r"http://testserver(/password-reset/\S+/)", mailoutbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    new = "another-long-passphrase-7"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done["Location"] == "/password-reset/done/"
    assert client.login(username="lan@acme.test", password=new)


def test_sessions_end_after_idleness_and_each_request_extends_them():
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert 15 * 60 <= settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
