from django.test import Client

from tests.factories import make_respondent, start_survey


def unknown(index: int) -> str:
    return f"/s/{index:032d}/"


def test_guessing_links_is_paused_after_20_unknown_tokens_from_one_address(client, round_):
    _, token = make_respondent(round_)
    for index in range(20):
        assert client.get(unknown(index)).status_code == 404
    paused = client.get(unknown(99))
    assert paused.status_code == 429
    assert "Please wait a little" in paused.content.decode()
    assert 590 <= int(paused["Retry-After"]) <= 600  # the window's end, not a guess
    # A real link still opens from this address (the rule until issue 20 paused it too):
    # colleagues behind one office address must not lock each other out. Telling a hit
    # from a miss gains a guesser nothing: a link is 192 random bits.
    assert client.get(f"/s/{token}/").status_code == 302
    assert Client(REMOTE_ADDR="10.0.0.2").get(f"/s/{token}/").status_code == 302


def test_a_shared_office_opens_every_own_link_however_many_guessed_wrong(round_):
    """Fifty people behind one address; a few mistype or guess, and keep going: everyone's
    own link opens, and only the unknown links are paused, each 429 saying how long."""
    office = "203.0.113.5"
    tokens = [make_respondent(round_)[1] for _ in range(50)]
    guesser = Client(REMOTE_ADDR=office)
    refused = [guesser.get(unknown(i)) for i in range(60)]
    assert {r.status_code for r in refused[20:]} == {429}
    assert all(r.has_header("Retry-After") for r in refused[20:])
    for token in tokens:
        assert Client(REMOTE_ADDR=office).get(f"/s/{token}/").status_code == 302


def test_fresh_links_are_limited_per_survey_and_every_refusal_says_when_to_come_back(round_):
    respondent, token = make_respondent(round_)
    respondent.email = "mai@acme.test"
    respondent.save(update_fields=["email"])
    url = start_survey(Client(), token)
    key = url.split("/")[3]
    other = Client(REMOTE_ADDR="203.0.113.5")
    codes = [other.post(f"/s/r/{key}/fresh-link/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    refused = other.post(f"/s/r/{key}/fresh-link/")
    assert 3590 <= int(refused["Retry-After"]) <= 3600
    # Colleagues at the same address each get theirs: the address allows a whole office.
    for _ in range(10):
        colleague, their_token = make_respondent(round_)
        colleague.email = f"{colleague.key}@acme.test"
        colleague.save(update_fields=["email"])
        their_key = start_survey(Client(), their_token).split("/")[3]
        assert other.post(f"/s/r/{their_key}/fresh-link/").status_code == 200


def test_known_links_do_not_count_as_guesses(client, round_):
    _, token = make_respondent(round_)
    for _ in range(30):
        assert client.get(f"/s/{token}/").status_code == 302


def test_starting_and_answering_need_a_csrf_token(round_):
    _, token = make_respondent(round_)
    client = Client(enforce_csrf_checks=True)
    client.get(f"/s/{token}/")
    assert client.post("/s/start/").status_code == 403
    url = start_survey(Client(), token)
    assert client.post(url, {"s1": "3"}).status_code == 403
