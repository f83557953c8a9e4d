import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from tests.factories import make_user

STRONG = "correct-horse-battery-9"


def sign_up(client, mailoutbox, email="lan@acme.test", password=STRONG, name="Lan Nguyen", **extra):
    """Ask for the link by email, open it, give a name and choose the password: the
    response of the last."""
    sent = client.post("/signup/", {"email": email} | extra)
    assert sent["Location"] == "/signup/sent/"
    link = re.search(r"http://testserver(/signup/finish/\S+/)", mailoutbox[-1].body).group(1)
    return client.post(link, {"name": name, "password1": password, "password2": password})


def test_signing_up_by_email_link_creates_an_account_named_by_email_and_logs_in(
    client, db, mailoutbox
):
    response = sign_up(client, mailoutbox, email="Lan@Acme.test")
    assert mailoutbox[0].to == ["lan@acme.test"]
    assert response.status_code == 302 and response["Location"] == "/"
    user = get_user_model().objects.get()
    assert user.username == user.email == "lan@acme.test"
    assert user.get_full_name() == "Lan Nguyen"
    home = client.get("/").content.decode()
    assert "Create your company" in home
    assert "Welcome! Your account is ready." in home


def test_sign_up_applies_djangos_password_validators(client, db, mailoutbox):
    response = sign_up(client, mailoutbox, password="12345678")
    html = response.content.decode()
    assert response.status_code == 200
    assert "This password is too common." in html
    assert not get_user_model().objects.exists()


def test_sign_up_never_says_whether_an_account_exists(client, db, mailoutbox):
    make_user("lan@acme.test")
    taken = client.post("/signup/", {"email": "LAN@acme.test"})
    free = client.post("/signup/", {"email": "new@acme.test"})
    assert taken["Location"] == free["Location"] == "/signup/sent/"
    # The owner of the address learns it, by email: no link, a way to log in instead.
    exists, invited = mailoutbox
    assert exists.to == ["lan@acme.test"] and "You already have one" in exists.body
    assert "/signup/finish/" not in exists.body and "/password-reset/" in exists.body
    assert "/signup/finish/" in invited.body
    assert get_user_model().objects.count() == 1


def test_a_sign_up_link_works_once_and_not_when_tampered_with(client, db, mailoutbox):
    sign_up(client, mailoutbox)
    link = re.search(r"http://testserver(/signup/finish/\S+/)", mailoutbox[0].body).group(1)
    client.logout()
    again = client.get(link).content.decode()
    assert "An account with this email exists already." in again
    token = link.split("/")[-2]
    forged_token = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    forged = client.get(link.replace(token, forged_token)).content.decode()
    assert "This link no longer works" in forged


def test_sign_up_continues_to_a_safe_next_page_only(client, db, mailoutbox):
    assert sign_up(client, mailoutbox, next="/companies/new/")["Location"] == "/companies/new/"
    client.logout()
    evil = sign_up(client, mailoutbox, email="b@acme.test", next="https://evil.example/")
    assert evil["Location"] == "/"


def test_sign_up_is_limited_per_address_and_emails_per_address_of_mail(client, db, mailoutbox):
    for number in range(10):
        assert client.post("/signup/", {"email": f"p{number}@acme.test"}).status_code == 302
    refused = client.post("/signup/", {"email": "p10@acme.test"})
    assert "Too many sign-ups from your connection" in refused.content.decode()
    assert len(mailoutbox) == 10
    other = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(5):
        other.post("/signup/", {"email": "victim@acme.test"})
    assert len(mailoutbox) == 13  # at most 3 emails an hour to one address


def test_login_with_email_then_logout(client, db):
    make_user("lan@acme.test")
    response = client.post("/login/", {"username": "lan@acme.test", "password": "pw-for-tests-1"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert client.post("/logout/").status_code == 302
    after = client.get("/")  # signed out, the home address shows the visitors' landing page
    assert [t.name for t in after.templates][0] == "landing.html"
    assert "Your companies" not in after.content.decode()


def test_a_wrong_login_speaks_of_the_email_and_the_email_is_not_case_sensitive(client, db):
    make_user("lan@acme.test")
    wrong = client.post("/login/", {"username": "lan@acme.test", "password": "wrong"})
    html = wrong.content.decode()
    assert "Please enter a correct email and password." in html
    assert "correct username" not in html
    right = client.post("/login/", {"username": " LAN@acme.test", "password": "pw-for-tests-1"})
    assert right.status_code == 302


def test_ten_wrong_passwords_make_the_account_wait_from_that_address_only(client, db):
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
    # The owner, from their own address, is not locked out by the stranger's guesses.
    owner = Client(REMOTE_ADDR="198.51.100.7")
    mine = owner.post("/login/", {"username": "lan@acme.test", "password": "pw-for-tests-1"})
    assert mine.status_code == 302


def test_one_address_cannot_guess_many_accounts(client, db):
    for number in range(50):
        client.post("/login/", {"username": f"p{number}@acme.test", "password": "wrong"})
    make_user("lan@acme.test")
    refused = client.post("/login/", {"username": "lan@acme.test", "password": "pw-for-tests-1"})
    assert "Too many wrong passwords from your connection" in refused.content.decode()


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


def test_password_reset_never_says_whether_an_account_exists_and_is_limited(client, db, mailoutbox):
    make_user("lan@acme.test")
    known = client.post("/password-reset/", {"email": "lan@acme.test"})
    unknown = client.post("/password-reset/", {"email": "nobody@acme.test"})
    assert known["Location"] == unknown["Location"] == "/password-reset/sent/"
    assert len(mailoutbox) == 1
    # At most three links an hour to one mailbox, from anywhere: the page looks the same.
    for number in range(4):
        other = Client(REMOTE_ADDR=f"198.51.100.{number}")
        assert other.post("/password-reset/", {"email": "lan@acme.test"}).status_code == 302
    assert len(mailoutbox) == 3
    # And ten requests an hour from one address.
    for number in range(8):
        client.post("/password-reset/", {"email": f"p{number}@acme.test"})
    refused = client.post("/password-reset/", {"email": "lan@acme.test"})
    assert "Too many requests from your connection" in refused.content.decode()


def test_sessions_end_after_idleness_and_each_request_extends_them():
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert 15 * 60 <= settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
