"""A company's webhook endpoints, the events written for them (the outbox) and each try.

The services that open and close rounds and change actions write a `WebhookDelivery` per
subscribed endpoint in their own transaction (survey.webhooks.outbox); the worker sends it
once that commits, and the scheduler sends again what failed, with backoff, for a day."""

import base64
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    ROUND_OPENED = "round.opened", _("A round opened")
    ROUND_CLOSED = "round.closed", _("A round closed (with its published results)")
    ACTION_CREATED = "action.created", _("An action was added to the plan")
    ACTION_UPDATED = "action.updated", _("An action of the plan changed")
    ACTION_OVERDUE = "action.overdue", _("An action is past its due date")


SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    """A Standard Webhooks secret: "whsec_" and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookEndpoint(models.Model):
    """Where a company's events go. The secret signs each delivery; the owner sees it once,
    when the endpoint is created (it must be kept to sign, so it is stored as it is)."""

    company = models.ForeignKey(
        "survey.Company", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=100, default=new_secret)
    language = models.CharField(max_length=10, default="en")  # of the owner's e-mails
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)  # switched off after failures

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One event for one endpoint: its id (`webhook-id`, the same on every try), the body
    as sent, and how its last try went."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Delivered")
        FAILED = "failed", _("Failed, will try again")
        GAVE_UP = "gave_up", _("Failed for a day: given up")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=40, choices=Event.choices)
    message_id = models.CharField(max_length=40, unique=True)
    # For events the scheduler finds (action.overdue): written once per endpoint.
    dedupe_key = models.CharField(max_length=100, blank=True, default="")
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    response_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="webhook_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id} ({self.status})"
