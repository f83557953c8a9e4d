"""The worker's side: send one delivery, record how it went, and schedule the next try.

A delivery that fails is tried again after RETRY_DELAYS (the scheduler, `manage.py
send_due_emails`, queues what is due), for a little under a day; when its last try fails
the endpoint is switched off and the company's owners are e-mailed. A 2xx answer is a
success; anything else (3xx included: redirects are not followed) or no answer a failure.
The address is checked again before each try, after resolving the name, and the
connection goes to the checked address (survey.webhooks.safety)."""

import json
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from survey.models import Membership
from survey.webhooks import signing, transport
from survey.webhooks.models import WebhookDelivery, WebhookEndpoint
from survey.webhooks.safety import Refused, check
from survey.writes.tasks import STALE, send_each

logger = logging.getLogger(__name__)

# After the 1st, 2nd, ... failed try; the 7th failure gives up (about 23.5 hours in).
RETRY_DELAYS = [
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=8),
    timedelta(hours=8),
]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
OPEN = (WebhookDelivery.Status.PENDING, WebhookDelivery.Status.FAILED)


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()


def attempt(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """(status code or None, error) of one POST of the delivery, signed now."""
    endpoint = delivery.endpoint
    body = body_of(delivery)
    headers = signing.headers(
        secret=endpoint.secret,
        message_id=delivery.message_id,
        timestamp=int(timezone.now().timestamp()),
        body=body,
    )
    try:
        target = check(endpoint.url)
    except Refused as error:
        return None, str(error)
    try:
        return transport.post(target, body, headers), ""
    except Exception as error:  # refused, reset, timeout, TLS: the receiver did not answer
        return None, f"{type(error).__name__}: {error}"[:300]


@task()
def deliver_webhook(*, delivery_id: int, manual: bool = False) -> str:
    """Send one delivery (`manual`: the owner's "send again", also to a switched-off
    endpoint). A copy queued twice sends once: the row is claimed under a lock."""
    now = timezone.now()
    with transaction.atomic():
        rows = WebhookDelivery.objects.select_for_update().select_related("endpoint__company")
        delivery = rows.filter(pk=delivery_id).first()
        if delivery is None or (not manual and delivery.status not in OPEN):
            return "skipped"
        if not manual and not delivery.endpoint.is_active:
            return "endpoint off"
        if delivery.status == WebhookDelivery.Status.SENDING:
            return "under way"
        delivery.status = WebhookDelivery.Status.SENDING
        delivery.last_attempt_at = now
        delivery.attempts += 1
        delivery.save(update_fields=["status", "last_attempt_at", "attempts"])
    code, error = attempt(delivery)
    record(delivery, code, error)
    return delivery.status


def record(delivery: WebhookDelivery, code: int | None, error: str) -> None:
    delivery.response_code = code
    delivery.error = error or ("" if code and 200 <= code < 300 else f"HTTP {code}")
    if code is not None and 200 <= code < 300:
        delivery.status = WebhookDelivery.Status.SENT
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = WebhookDelivery.Status.GAVE_UP
    else:
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = timezone.now() + RETRY_DELAYS[delivery.attempts - 1]
    delivery.save(update_fields=["response_code", "error", "status", "next_attempt_at"])
    if delivery.status == WebhookDelivery.Status.GAVE_UP:
        switch_off(delivery.endpoint)


def switch_off(endpoint: WebhookEndpoint) -> None:
    """After a day of failures: no more deliveries to it until an owner switches it on
    again; the company's owners are told by e-mail."""
    switched = WebhookEndpoint.objects.filter(pk=endpoint.pk, is_active=True).update(
        is_active=False, disabled_at=timezone.now()
    )
    if switched:
        email_owners(endpoint)


def email_owners(endpoint: WebhookEndpoint) -> None:
    owners = Membership.objects.filter(
        company=endpoint.company, role=Membership.Role.OWNER
    ).select_related("user")
    addresses = [m.user.email for m in owners if m.user.email]
    if not addresses:
        return
    page = settings.SITE_URL.rstrip("/") + reverse(
        "workspace:webhook", kwargs={"company_id": endpoint.company_id, "endpoint_id": endpoint.pk}
    )
    context = {"endpoint": endpoint, "company": endpoint.company, "page": page}
    with translation.override(endpoint.language):
        subject = render_to_string("emails/webhook_off_subject.txt", context)
        text = render_to_string("emails/webhook_off.txt", context)
    message = EmailMessage(" ".join(subject.split()), text, to=addresses)
    sent, _failed = send_each([(endpoint.pk, message)])
    if not sent:
        logger.error("could not tell the owners that webhook %s was switched off", endpoint.pk)


def queue_due(*, now: datetime) -> int:
    """The scheduler's step: queue the failed deliveries whose pause has passed, and those
    queued or sending for more than STALE (their task or worker was lost); each is marked
    pending again at `now`, so the next run does not queue it twice."""
    due = WebhookDelivery.objects.filter(endpoint__is_active=True).filter(
        Q(status=WebhookDelivery.Status.FAILED, next_attempt_at__lte=now)
        | Q(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now - STALE)
        | Q(status=WebhookDelivery.Status.SENDING, last_attempt_at__lte=now - STALE)
    )
    ids = list(due.values_list("pk", flat=True))
    WebhookDelivery.objects.filter(pk__in=ids).update(
        status=WebhookDelivery.Status.PENDING, next_attempt_at=now
    )
    from survey.webhooks.outbox import queue

    transaction.on_commit(lambda: queue(ids))
    return len(ids)
