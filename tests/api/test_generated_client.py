"""A Python client generated from the schema (openapi-python-client, installed into a
temporary directory, not into the project) reads a demo round through the live API."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from scoring.files.exports import summary_json
from scoring.results.published import results_of
from survey.models import Company, Round

READ = """
import json, sys
from sma_client import AuthenticatedClient
from sma_client.api.default import get_results, list_rounds
client = AuthenticatedClient(base_url=sys.argv[1], token=sys.argv[2])
page = list_rounds.sync(client=client, status="closed")
results = get_results.sync(client=client, round_id=page.items[0].id)
print(json.dumps({"round": page.items[0].id, "count": page.count,
                  "combined_level": results.combined_level, "gap": results.gap,
                  "sales": results.departments.sales.total.score}))
"""


@pytest.fixture(scope="session")
def generator(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("openapi-python-client")
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--target", str(target),
         "openapi-python-client>=0.21"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    if installed.returncode != 0:
        pytest.skip(f"openapi-python-client could not be installed: {installed.stderr[-500:]}")
    return target


def test_a_generated_client_reads_the_demo_round(live_server, generator, tmp_path, capsys):
    call_command("demo")
    capsys.readouterr()
    company = Company.objects.get(slug="demo")
    call_command("api_token", "--company", company.slug, "--name", "client test")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    schema = tmp_path / "openapi.json"
    schema.write_text(Client().get("/api/v1/schema/").content.decode())
    env = os.environ | {"PYTHONPATH": str(generator)}
    subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--path", str(schema),
         "--output-path", str(tmp_path / "sma_client"), "--meta", "none"],
        check=True, env=env, capture_output=True, timeout=120,
    )  # fmt: skip
    env["PYTHONPATH"] = f"{tmp_path}{os.pathsep}{generator}"
    read = subprocess.run(
        [sys.executable, "-c", READ, live_server.url, token],
        env=env, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    got = json.loads(read.stdout)
    survey_round = Round.objects.get(pk=got["round"])
    results = results_of(survey_round)
    summary = summary_json(survey_round, results.score, results.published)
    assert got["combined_level"] == summary["combined_level"] is not None
    assert got["gap"] == summary["gap"]
    assert got["sales"] == summary["departments"]["sales"]["total"]["score"]  # type: ignore[index]
    assert got["count"] == company.rounds.filter(closed_at__isnull=False).count()
