"""deploy/kubernetes/ as kustomize renders it (`kubectl kustomize deploy`, or the files as
written without kubectl): what the README promises of it. The schemas are `make lint`'s."""

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def objects() -> dict[tuple[str, str], dict]:
    if shutil.which("kubectl"):
        text = subprocess.run(
            ["kubectl", "kustomize", str(ROOT / "deploy")],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
    else:
        text = "\n---\n".join(p.read_text() for p in (ROOT / "deploy/kubernetes").glob("*.yaml"))
    found = {}
    for document in yaml.safe_load_all(text):
        if document:
            name = document["metadata"]["name"]
            if document["kind"] == "ConfigMap" and "-" in name:
                name = name.rsplit("-", 1)[0]  # kustomize's content hash
            found[(document["kind"], name)] = document
    return found


def container(objects, kind: str, name: str) -> dict:
    return objects[(kind, name)]["spec"]["template"]["spec"]["containers"][0]


def test_web_is_ready_and_live_on_health_and_waits_for_migrations(objects):
    web = container(objects, "Deployment", "web")
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert web[probe]["httpGet"]["path"] == "/health/", probe
    assert web["command"] == ["gunicorn", "-c", "deploy/gunicorn.conf.py", "survey.wsgi"]
    init = objects[("Deployment", "web")]["spec"]["template"]["spec"]["initContainers"][0]
    assert "migrate --check" in init["command"][-1]
    assert objects[("HorizontalPodAutoscaler", "web")]["spec"]["scaleTargetRef"]["name"] == "web"
    assert objects[("PodDisruptionBudget", "web")]["spec"]["minAvailable"] == 1


def test_every_container_requests_cpu_and_memory(objects):
    for (kind, name), document in objects.items():
        if kind not in ("Deployment", "Job"):
            continue
        spec = document["spec"]["template"]["spec"]
        for each in spec["containers"] + spec.get("initContainers", []):
            requests = each["resources"]["requests"]
            assert {"cpu", "memory"} <= requests.keys(), (name, each["name"])
            assert "memory" in each["resources"]["limits"], (name, each["name"])


def test_the_scheduler_is_a_singleton_and_migrate_goes_straight_to_postgresql(objects):
    scheduler = objects[("Deployment", "scheduler")]["spec"]
    assert scheduler["replicas"] == 1 and scheduler["strategy"]["type"] == "Recreate"
    assert container(objects, "Deployment", "scheduler")["command"][-3:] == [
        "send_due_emails", "--every", "300",
    ]  # fmt: skip
    migrate = container(objects, "Job", "migrate")
    assert migrate["command"] == ["python", "manage.py", "migrate", "--no-input"]
    (database,) = [e for e in migrate["env"] if e["name"] == "DATABASE_URL"]
    assert database["valueFrom"]["secretKeyRef"]["key"] == "DIRECT_DATABASE_URL"


def test_the_app_reaches_postgresql_through_pgbouncer_in_transaction_mode(objects):
    ini = configparser.ConfigParser(inline_comment_prefixes=None, comment_prefixes=(";", "#"))
    ini.read_string((ROOT / "deploy/kubernetes/pgbouncer.ini").read_text())
    assert ini["pgbouncer"]["pool_mode"] == "transaction"
    assert ini["pgbouncer"]["server_login_retry"] == "1"
    secret = yaml.safe_load_all((ROOT / "deploy/kubernetes/secret.example.yaml").read_text())
    keys = next(secret)["stringData"]
    assert "@pgbouncer:6432/" in keys["DATABASE_URL"]
    assert "pgbouncer" not in keys["DIRECT_DATABASE_URL"]
    env = (ROOT / "deploy/kubernetes/app.env").read_text().splitlines()
    assert "DISABLE_SERVER_SIDE_CURSORS=1" in env


@pytest.mark.skipif(not shutil.which("kubectl"), reason="kustomize renders the ConfigMaps")
def test_nginx_runs_deploy_nginx_unchanged_with_its_error_log_redactor(objects):
    config = objects[("ConfigMap", "nginx")]["data"]
    nginx = ROOT / "deploy/nginx"
    assert config["nginx.conf"] == (nginx / "nginx.conf").read_text()
    assert config["00-common.conf"] == (nginx / "common.conf").read_text()
    assert config["proxy.inc"] == (nginx / "proxy.inc").read_text()
    assert config["errors.inc"] == (nginx / "errors.inc").read_text()
    pod = objects[("Deployment", "nginx")]["spec"]["template"]["spec"]
    (sidecar,) = pod["initContainers"]
    assert sidecar["restartPolicy"] == "Always"
    assert sidecar["command"][:2] == ["python", "deploy/nginx/error_log.py"]
    assert ("Service", "web") in objects  # common.conf's upstream, web:8000
    assert objects[("Service", "web")]["spec"]["ports"][0]["port"] == 8000
