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
    # Even a real link waits from this address, so a hit cannot be told from a miss...
    assert client.get(f"/s/{token}/").status_code == 429
    # ...while people elsewhere are not affected.
    assert Client(REMOTE_ADDR="10.0.0.2").get(f"/s/{token}/").status_code == 302


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
