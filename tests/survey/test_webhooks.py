"""Webhooks against a real receiver on 127.0.0.1 (an HTTP server thread) that verifies every
delivery with the reference `standardwebhooks` library; retries with backoff, switching
off and the owner's e-mail; refused addresses (server-side request forgery); the pages."""

import json
import socket
import threading
from collections.abc import Iterator
from contextlib import closing
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from standardwebhooks.webhooks import Webhook

from scoring.files import exports
from scoring.models import PlannedAction
from scoring.results.services import save_action, set_action_status
from scoring.views.downloads import summary_of
from survey.webhooks import safety
from survey.webhooks.delivery import MAX_ATTEMPTS, RETRY_DELAYS, queue_due
from survey.webhooks.models import Event, WebhookDelivery, WebhookEndpoint
from survey.webhooks.outbox import announce_overdue_actions
from tests.factories import close, make_respondent, make_user, uniform

pytest_plugins = ["tests.dns_server"]


class Receiver:
    """Answers each POST with the next of `codes` (the last one from then on), verifying
    the signature with the reference library; keeps what it verified."""

    def __init__(self, secret: str = "", codes: tuple[int, ...] = (200,)) -> None:
        self.secret = secret
        self.codes = list(codes)
        self.verified: list[dict] = []
        self.headers: list[dict[str, str]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {k.lower(): v for k, v in self.headers.items()}
                receiver.headers.append(headers)
                receiver.verified.append(Webhook(receiver.secret).verify(body, headers))
                code = receiver.codes.pop(0) if len(receiver.codes) > 1 else receiver.codes[0]
                self.send_response(code)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks?x=1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def local(settings):
    settings.WEBHOOKS_ALLOW_HTTP = True
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    settings.WEBHOOKS_TIMEOUT = 2


@pytest.fixture
def receiver(local) -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.stop()


def endpoint_for(company, url: str, events=(Event.ROUND_CLOSED,)) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(company=company, url=url, events=list(events))


def closed_round(round_, django_capture_on_commit_callbacks):
    for department in ("sales", "marketing"):
        make_respondent(round_, department, "leader", ratings=uniform(4))
        for _ in range(5):
            make_respondent(round_, department, "staff", ratings=uniform(3))
    with django_capture_on_commit_callbacks(execute=True):
        close(round_)


@pytest.mark.django_db
def test_a_closed_round_reaches_the_receiver_signed_with_its_published_results(
    company, round_, receiver, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(company, receiver.url)
    receiver.secret = endpoint.secret
    assert endpoint.secret.startswith("whsec_")
    closed_round(round_, django_capture_on_commit_callbacks)
    (event,) = receiver.verified  # Webhook.verify raised if the signature were wrong
    assert event["type"] == "round.closed"
    data = event["data"]
    assert data["company"] == "acme"
    assert data["round"]["id"] == round_.pk
    assert data["combined_level"] is not None
    assert data["departments"]["sales"]["staff"] == {
        "respondents": 5,
        "shown": True,
        "score": data["departments"]["sales"]["staff"]["score"],
        "type": data["departments"]["sales"]["staff"]["type"],
    }
    with translation.override("en"):  # exactly the round's summary.json: the pages' figures
        page = exports.summary_json(round_, *summary_of(round_))
    assert data == json.loads(json.dumps(page))
    delivery = WebhookDelivery.objects.get()
    assert receiver.headers[0]["webhook-id"] == delivery.message_id
    assert (delivery.status, delivery.response_code, delivery.attempts) == ("sent", 200, 1)


@pytest.mark.django_db
def test_a_forged_signature_is_refused_by_the_reference_library(
    company, round_, receiver, django_capture_on_commit_callbacks
):
    endpoint_for(company, receiver.url)
    receiver.secret = WebhookEndpoint(company=company).secret  # another secret
    closed_round(round_, django_capture_on_commit_callbacks)
    assert receiver.verified == []  # verification raised inside the receiver: no 2xx either
    assert WebhookDelivery.objects.get().status == "failed"


@pytest.mark.django_db
def test_nothing_is_sent_when_the_transaction_rolls_back(company, round_, receiver):
    endpoint_for(company, receiver.url)
    for department in ("sales", "marketing"):
        make_respondent(round_, department, "leader", ratings=uniform(4))
    close(round_)  # inside the test's transaction: on_commit never fires
    assert receiver.verified == []
    assert WebhookDelivery.objects.get().status == "pending"


@pytest.mark.django_db
def test_a_receiver_answering_500_then_200_gets_it_on_the_retry(
    company, round_, local, django_capture_on_commit_callbacks
):
    server = Receiver(codes=(500, 200))
    try:
        endpoint = endpoint_for(company, server.url)
        server.secret = endpoint.secret
        closed_round(round_, django_capture_on_commit_callbacks)
        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.response_code) == ("failed", 500)
        first = delivery.next_attempt_at
        with django_capture_on_commit_callbacks(execute=True):
            assert queue_due(now=timezone.now()) == 0  # not yet: its pause is 5 minutes
        with django_capture_on_commit_callbacks(execute=True):
            assert queue_due(now=first + timedelta(seconds=1)) == 1
        delivery.refresh_from_db()
        assert (delivery.status, delivery.response_code, delivery.attempts) == ("sent", 200, 2)
        ids = {headers["webhook-id"] for headers in server.headers}
        assert ids == {delivery.message_id}  # the same id on each try, as the spec says
        assert len(server.verified) == 2
    finally:
        server.stop()


def closed_port() -> int:
    with closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db
def test_a_receiver_down_is_retried_for_a_day_then_switched_off_and_the_owner_emailed(
    company, round_, owner, local, django_capture_on_commit_callbacks
):
    endpoint = endpoint_for(company, f"http://127.0.0.1:{closed_port()}/")
    closed_round(round_, django_capture_on_commit_callbacks)
    delivery = WebhookDelivery.objects.get()
    now = timezone.now()
    waits = []
    for _ in range(MAX_ATTEMPTS - 1):
        delivery.refresh_from_db()
        assert delivery.status == "failed" and "Connection" in delivery.error
        waits.append(delivery.next_attempt_at - delivery.last_attempt_at)
        now = delivery.next_attempt_at + timedelta(seconds=1)
        # the scheduler runs as if at `now`; the worker's clock is the real one
        with django_capture_on_commit_callbacks(execute=True):
            assert queue_due(now=now) == 1
    delivery.refresh_from_db()
    endpoint.refresh_from_db()
    assert [round(w.total_seconds() / 60) for w in waits] == [
        round(d.total_seconds() / 60) for d in RETRY_DELAYS
    ]
    assert sum(RETRY_DELAYS, timedelta()) < timedelta(days=1)
    assert (delivery.status, delivery.attempts) == ("gave_up", MAX_ATTEMPTS)
    assert not endpoint.is_active and endpoint.disabled_at is not None
    (message,) = [m for m in mail.outbox if "switched off" in m.subject]
    assert message.to == ["owner@acme.test"]
    assert endpoint.url in message.body
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_due(now=now + timedelta(days=1)) == 0  # off: nothing more


@pytest.mark.django_db
def test_action_events_and_overdue_once(
    company, round_, receiver, django_capture_on_commit_callbacks
):
    events = (Event.ACTION_CREATED, Event.ACTION_UPDATED, Event.ACTION_OVERDUE)
    endpoint = endpoint_for(company, receiver.url, events)
    receiver.secret = endpoint.secret
    with django_capture_on_commit_callbacks(execute=True):
        action = save_action(
            action=PlannedAction(title="Meet monthly", due_date=timezone.localdate()),
            survey_round=round_,
        )
    with django_capture_on_commit_callbacks(execute=True):
        set_action_status(action=action, status="in_progress")
    tomorrow = timezone.localdate() + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_overdue_actions(today=tomorrow) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert announce_overdue_actions(today=tomorrow) == 0
    types = [event["type"] for event in receiver.verified]
    assert types == ["action.created", "action.updated", "action.overdue"]
    assert receiver.verified[1]["data"]["action"]["status"] == "in_progress"


@pytest.mark.django_db
def test_an_endpoint_gets_only_its_events(company, receiver, django_capture_on_commit_callbacks):
    endpoint_for(company, receiver.url, (Event.ROUND_CLOSED,))
    with django_capture_on_commit_callbacks(execute=True):
        save_action(action=PlannedAction(title="x"), survey_round=company.rounds.create(title="R"))
    assert WebhookDelivery.objects.count() == 0


# Server-side request forgery -------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/hook",  # http outside tests
        "https://10.0.0.1/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://127.0.0.1/hook",
        "https://[::1]/hook",
        "https://192.168.1.4/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "https://user:pw@example.com/hook",
    ],
)
def test_these_addresses_are_refused_in_production(settings, url):
    settings.DEBUG = False
    settings.WEBHOOKS_ALLOW_HTTP = False
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    with pytest.raises(safety.Refused):
        safety.check(url)


def test_a_public_address_is_allowed_and_pinned(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    target = safety.check("https://8.8.8.8:8443/in?a=1")
    assert (target.ip, target.port, target.path) == ("8.8.8.8", 8443, "/in?a=1")


def test_loopback_only_when_the_setting_allows_it(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    assert safety.check("https://127.0.0.1/x").ip == "127.0.0.1"
    with pytest.raises(safety.Refused):
        safety.check("https://10.0.0.1/x")  # loopback allowed, private still not


@pytest.mark.django_db
def test_a_name_is_checked_after_resolution_and_the_checked_address_is_used(settings, dns_server):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    dns_server.address("hooks.evil.test", "127.0.0.1")
    dns_server.address("metadata.evil.test", "169.254.169.254")
    dns_server.address("mixed.evil.test", "8.8.8.8", "10.0.0.1")
    dns_server.address("public.example.test", "8.8.4.4")
    for name in ("hooks.evil.test", "metadata.evil.test", "mixed.evil.test", "nowhere.test"):
        with pytest.raises(safety.Refused):
            safety.check(f"https://{name}/x")
    target = safety.check("https://public.example.test/x")
    assert (target.host, target.ip) == ("public.example.test", "8.8.4.4")


@pytest.mark.django_db
def test_a_name_resolving_to_loopback_reaches_the_receiver_when_allowed_connecting_to_the_checked_ip(
    company, round_, receiver, dns_server, django_capture_on_commit_callbacks
):
    dns_server.address("receiver.test", "127.0.0.1")
    port = receiver.server.server_port
    endpoint = endpoint_for(company, f"http://receiver.test:{port}/in")
    receiver.secret = endpoint.secret
    closed_round(round_, django_capture_on_commit_callbacks)
    assert len(receiver.verified) == 1
    assert receiver.headers[0]["host"] == f"receiver.test:{port}"  # the name, not the IP


# The pages -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_owner_adds_an_endpoint_and_sees_its_secret_once(client, company, owner, settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    client.force_login(owner)
    url = reverse("workspace:webhooks", kwargs={"company_id": company.pk})
    response = client.post(url, {"url": "https://8.8.8.8/in", "events": ["round.closed"]})
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret in response.content.decode()
    assert endpoint.events == ["round.closed"]
    assert endpoint.secret not in client.get(url).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["http://8.8.8.8/in", "https://10.0.0.1/in", "https://169.254.169.254/"]
)
def test_the_form_refuses_unsafe_addresses(client, company, owner, settings, url):
    settings.DEBUG = False
    settings.WEBHOOKS_ALLOW_HTTP = False
    client.force_login(owner)
    page = reverse("workspace:webhooks", kwargs={"company_id": company.pk})
    response = client.post(page, {"url": url, "events": ["round.closed"]})
    assert response.status_code == 200
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.django_db
def test_send_again_from_the_log(
    company, round_, owner, client, local, django_capture_on_commit_callbacks
):
    server = Receiver(codes=(500, 204))
    try:
        endpoint = endpoint_for(company, server.url)
        server.secret = endpoint.secret
        closed_round(round_, django_capture_on_commit_callbacks)
        delivery = WebhookDelivery.objects.get()
        client.force_login(owner)
        log = reverse(
            "workspace:webhook", kwargs={"company_id": company.pk, "endpoint_id": endpoint.pk}
        )
        assert "500" in client.get(log).content.decode()
        again = reverse(
            "workspace:webhook_resend",
            kwargs={
                "company_id": company.pk,
                "endpoint_id": endpoint.pk,
                "delivery_id": delivery.pk,
            },
        )
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(again).status_code == 302
        delivery.refresh_from_db()
        assert (delivery.status, delivery.response_code, delivery.attempts) == ("sent", 204, 1)
    finally:
        server.stop()


@pytest.mark.django_db
def test_a_manager_and_an_outsider_cannot_see_an_owners_endpoints(client, company):
    endpoint = endpoint_for(company, "https://8.8.8.8/")
    kwargs = {"company_id": company.pk, "endpoint_id": endpoint.pk}
    client.force_login(make_user("m@acme.test", company, role="manager"))
    assert client.get(reverse("workspace:webhook", kwargs=kwargs)).status_code == 403
    client.force_login(make_user("x@other.test"))
    assert client.get(reverse("workspace:webhook", kwargs=kwargs)).status_code == 404


def test_the_payload_is_compact_json():
    from survey.webhooks.delivery import body_of

    body = body_of(WebhookDelivery(payload={"a": "Việt"}))
    assert json.loads(body) == {"a": "Việt"}


# Through the database queue and the real worker, as in production ----------------------


@pytest.fixture
def database_tasks(settings, transactional_db):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker() -> None:
    from io import StringIO

    from django.core.management import call_command

    call_command("db_worker", "--batch", "--no-startup-delay", stdout=StringIO())


def test_the_worker_sends_after_commit_and_the_scheduler_retries(
    company, round_, local, database_tasks
):
    from io import StringIO

    from django.core.management import call_command

    server = Receiver(codes=(503, 200))
    try:
        endpoint = endpoint_for(company, server.url)
        server.secret = endpoint.secret
        for department in ("sales", "marketing"):
            make_respondent(round_, department, "leader", ratings=uniform(4))
        close(round_)  # committed (transactional test): the task waits in the queue
        assert server.verified == [] and WebhookDelivery.objects.get().status == "pending"
        run_worker()
        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.response_code) == ("failed", 503)
        WebhookDelivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        out = StringIO()
        call_command("send_due_emails", base_url="http://testserver", stdout=out)
        assert "1 webhook deliveries to retry" in out.getvalue()
        run_worker()
        delivery.refresh_from_db()
        assert (delivery.status, delivery.response_code, delivery.attempts) == ("sent", 200, 2)
        assert [event["type"] for event in server.verified] == ["round.closed", "round.closed"]
    finally:
        server.stop()


# Over https, to a name the local DNS server resolves to 127.0.0.1 ------------------------


def certificate_for(name: str, directory) -> tuple[str, str]:
    """A self-signed certificate for `name` (its own CA): (certificate, key) PEM paths."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_path), str(key_path)


@pytest.mark.django_db
def test_https_to_a_name_connects_to_the_checked_address_and_checks_the_certificate(
    company, round_, settings, dns_server, tmp_path, django_capture_on_commit_callbacks
):
    import ssl

    settings.WEBHOOKS_ALLOW_HTTP = False
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    settings.WEBHOOKS_TIMEOUT = 2
    cert, key = certificate_for("hooks.receiver.test", tmp_path)
    settings.WEBHOOKS_CA_FILE = cert
    dns_server.address("hooks.receiver.test", "127.0.0.1")
    dns_server.address("other.receiver.test", "127.0.0.1")
    server = Receiver()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.server.socket = context.wrap_socket(server.server.socket, server_side=True)
    try:
        port = server.server.server_port
        good = endpoint_for(company, f"https://hooks.receiver.test:{port}/in")
        # The same receiver under a name its certificate does not hold: refused by TLS.
        wrong = endpoint_for(company, f"https://other.receiver.test:{port}/in")
        server.secret = good.secret
        closed_round(round_, django_capture_on_commit_callbacks)
        sent = WebhookDelivery.objects.get(endpoint=good)
        refused = WebhookDelivery.objects.get(endpoint=wrong)
        assert (sent.status, sent.response_code) == ("sent", 200)
        assert [event["type"] for event in server.verified] == ["round.closed"]
        assert refused.status == "failed" and "certificate" in refused.error.lower()
    finally:
        server.stop()


@pytest.mark.django_db
def test_opening_a_round_sends_round_opened(
    company, owner, receiver, django_capture_on_commit_callbacks
):
    from survey.core.csv_import import Person
    from survey.writes.services import create_round

    endpoint = endpoint_for(company, receiver.url, (Event.ROUND_OPENED, Event.ROUND_CLOSED))
    receiver.secret = endpoint.secret
    heads = [
        Person(email=f"{d}@acme.test", name="", department=d, role="leader", language="en")
        for d in ("sales", "marketing")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        opened, _added = create_round(
            company=company,
            title="Autumn",
            anonymity_threshold=5,
            closes_at=None,
            heads=heads,
            actor=owner,
            base_url="http://testserver",
        )
    (event,) = receiver.verified
    assert event["type"] == "round.opened"
    assert event["data"]["round"] == {
        "id": opened.pk,
        "title": "Autumn",
        "opened": opened.opened_at.isoformat(timespec="seconds"),
        "closes_at": None,
        "anonymity_threshold": 5,
    }
    assert "@" not in json.dumps(event)  # no addresses: nobody's name or e-mail goes out
