import re
from io import StringIO

from django.core.management import call_command

from scoring.models import MoveDecision, PlannedAction
from survey.models import Answer, Round


def run_demo() -> str:
    out = StringIO()
    call_command("demo", base_url="http://testserver", stdout=out)
    return out.getvalue()


def test_the_demo_has_two_closed_rounds_an_open_one_and_is_safe_to_run_twice(client, db):
    first = run_demo()
    counts = (Round.objects.count(), Answer.objects.count(), PlannedAction.objects.count())
    second = run_demo()
    assert (Round.objects.count(), Answer.objects.count(), PlannedAction.objects.count()) == counts

    autumn, spring, current = Round.objects.order_by("opened_at")
    assert (autumn.title, spring.title, current.title) == (
        "Autumn 2025",
        "Spring 2026",
        "Autumn 2026",
    )
    assert not autumn.is_open and not spring.is_open and current.is_open
    assert autumn.published and spring.published and current.closes_at
    assert not autumn.respondents.filter(submitted_at__isnull=True).exists()
    assert MoveDecision.objects.get().round == autumn
    assert PlannedAction.objects.filter(round=autumn, status="done").count() == 1

    for output in (first, second):
        dashboard = re.search(r"Dashboard: (\S+)", output).group(1)
        assert dashboard == f"http://testserver/rounds/{spring.pk}/"
        assert re.search(r"with password (\S+)", output)
        assert len(re.findall(r"(http\S+/s/\S+/)\s+\(.*?, (\w+)\)", output)) == 4

    password = re.search(r"with password (\S+)", second).group(1)
    assert client.login(username="manager@demo.example", password=password)
    html = re.sub(r"\s+", " ", client.get(f"/rounds/{spring.pk}/").content.decode())
    assert "Carried over from Autumn 2025" in html
    trends = client.get(f"/rounds/{spring.pk}/trends/").content.decode()
    assert re.search(r'<th scope="row">Autumn 2025</th><td>\d', trends)  # it scored lower
    open_page = client.get(f"/rounds/{current.pk}/").content.decode()
    assert "Response rates" in open_page and "Results are published when" in open_page
