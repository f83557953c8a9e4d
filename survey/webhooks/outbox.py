"""Events go out through the writes: the service that opens or closes a round, or changes
an action, calls `record_event` inside its own transaction. It writes one delivery row per
endpoint of the company that takes the event (the outbox), and the worker sends them once
that transaction commits: an event is sent if and only if what it tells happened."""

import secrets
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from survey.models import Company
from survey.webhooks.models import Event, WebhookDelivery, WebhookEndpoint


def new_message_id() -> str:
    return "msg_" + secrets.token_urlsafe(18)


def envelope(event: str, data: dict[str, Any]) -> dict[str, Any]:
    """The Standard Webhooks shape: the event type, when it happened, and its data."""
    return {"type": event, "timestamp": timezone.now().isoformat(timespec="seconds"), "data": data}


def subscribed(company: Company, event: str) -> list[WebhookEndpoint]:
    return [e for e in company.webhook_endpoints.filter(is_active=True) if event in e.events]


def record_event(
    *, company: Company, event: str, data: dict[str, Any], dedupe_key: str = ""
) -> list[WebhookDelivery]:
    """A delivery of `event` for each active endpoint of `company` subscribed to it, sent by
    the worker after commit. With `dedupe_key`, an endpoint that already has a delivery
    under that key gets none (an action is announced overdue once per due date)."""
    body = envelope(event, data)
    deliveries = []
    for endpoint in subscribed(company, event):
        if dedupe_key and endpoint.deliveries.filter(dedupe_key=dedupe_key).exists():
            continue
        deliveries.append(
            WebhookDelivery.objects.create(
                endpoint=endpoint,
                event=event,
                message_id=new_message_id(),
                dedupe_key=dedupe_key,
                payload=body,
            )
        )
    if deliveries:
        ids = [d.pk for d in deliveries]
        transaction.on_commit(lambda: queue(ids))
    return deliveries


def queue(ids: list[int], manual: bool = False) -> None:
    from survey.webhooks.delivery import deliver_webhook

    for pk in ids:
        deliver_webhook.enqueue(delivery_id=pk, manual=manual)


def announce_overdue_actions(*, today: date) -> int:
    """The scheduler's step: action.overdue, once per action and due date, for each action
    of the plan not done and past its due date (an endpoint added later hears of the
    actions overdue by then)."""
    from scoring.models import PlannedAction
    from survey.webhooks.payloads import action_data

    overdue = (
        PlannedAction.objects.filter(due_date__lt=today, company__webhook_endpoints__is_active=True)
        .exclude(status=PlannedAction.Status.DONE)
        .select_related("company")
        .distinct()
    )
    count = 0
    for action in overdue:
        with transaction.atomic():
            count += len(
                record_event(
                    company=action.company,
                    event=Event.ACTION_OVERDUE,
                    data=action_data(action),
                    dedupe_key=f"overdue:{action.pk}:{action.due_date}",
                )
            )
    return count
