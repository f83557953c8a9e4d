"""The emails to an action's owners, in the language chosen for each, sent by the worker:
when they are assigned, a few days before the due date, and once it is overdue (each
reminder once, recorded only when the mail server took it)."""

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from scoring.models import ActionOwner, PlannedAction
from survey.writes.emails import Askers, heads_of, heads_reply_to, render_message
from survey.writes.tasks import MAX_FAILURES, REMINDER_INTERVAL, retry_later, send_each

DUE_SOON = timedelta(days=3)
ASSIGNED, DUE, OVERDUE = "assigned", "due", "overdue"
REMINDED = {DUE: "due_reminded_at", OVERDUE: "overdue_reminded_at"}


def owner_message(*, owner: ActionOwner, base_url: str, kind: str) -> EmailMultiAlternatives:
    action = owner.action
    others = [o.display_name for o in action.owners.all() if o.pk != owner.pk]
    heads = heads_of(action.round) if action.round_id else []
    context = {
        "askers": Askers(heads, action.company.name),
        "kind": kind,
        "owner": owner,
        "title": action.display_title,
        "company": action.company.name,
        "due_date": action.due_date,
        "co_owner": others[0] if others else "",
        "link": base_url
        + reverse("scoring:action", kwargs={"round_id": action.round_id, "action_id": action.pk}),
        "language": owner.language,
    }
    return render_message(
        "action_owner",
        context,
        owner.address,
        owner.language,
        action.company.name,
        reply_to=heads_reply_to(heads),
    )


@task()
def send_owner_emails(
    *, ids: list[int], kind: str, base_url: str, attempt: int = 1
) -> dict[str, int]:
    """Reminders are recorded as each is sent and tried again by the scheduler while not
    recorded; an assignment e-mail that failed is queued again after a pause."""
    owners = ActionOwner.objects.select_related("action__company", "user").filter(pk__in=ids)
    if kind in REMINDED:
        owners = owners.filter(**{f"{REMINDED[kind]}__isnull": True}).exclude(
            action__status=PlannedAction.Status.DONE
        )
    messages = [
        (o.pk, owner_message(owner=o, base_url=base_url, kind=kind)) for o in owners if o.address
    ]
    if kind in REMINDED:

        def record(pk: int) -> None:
            ActionOwner.objects.filter(pk=pk).update(
                **{REMINDED[kind]: timezone.now()}, reminder_failures=0
            )

        sent, failed = send_each(messages, record)
        ActionOwner.objects.filter(pk__in=failed).update(
            reminder_failures=F("reminder_failures") + 1
        )
    else:
        sent, failed = send_each(messages)
        if failed:
            retry_later(send_owner_emails, attempt, ids=failed, kind=kind, base_url=base_url)
    return {"sent": len(sent), "failed": len(failed)}


def email_owners(*, owners: Sequence[ActionOwner], base_url: str, kind: str = ASSIGNED) -> None:
    """Queue the emails once the owners are committed."""
    ids = [o.pk for o in owners]
    if ids:
        transaction.on_commit(
            lambda: send_owner_emails.enqueue(ids=ids, kind=kind, base_url=base_url)
        )


def due_kind(owner: ActionOwner, today: date, now: datetime) -> str | None:
    """Which reminder an owner of an open action is due, if any: a few days before the due
    date and once it has passed, never within a day of the assignment."""
    due_date = owner.action.due_date
    if due_date is None:
        return None
    if owner.assigned_at > now - REMINDER_INTERVAL:
        return None
    if today > due_date:
        return OVERDUE if owner.overdue_reminded_at is None else None
    if today >= due_date - DUE_SOON and owner.due_reminded_at is None:
        return DUE
    return None


def send_due_owner_reminders(*, now: datetime, base_url: str) -> int:
    today = timezone.localdate(now)
    owners = (
        ActionOwner.objects.select_related("action", "user")
        .filter(action__due_date__isnull=False, reminder_failures__lt=MAX_FAILURES)
        .exclude(action__status=PlannedAction.Status.DONE)
        .filter(action__due_date__lte=today + DUE_SOON)
    )
    by_kind: dict[str, list[ActionOwner]] = {DUE: [], OVERDUE: []}
    for owner in owners:
        kind = due_kind(owner, today, now)
        if kind is not None and owner.address:
            by_kind[kind].append(owner)
    for kind, due in by_kind.items():
        email_owners(owners=due, base_url=base_url, kind=kind)
    return sum(len(due) for due in by_kind.values())
