"""The write paths of the insights: the guide's decisions, the workshop's agreements, and
the owners and progress of planned actions."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from scoring.advice import guide
from scoring.core.scores import MARKETING, SALES, RelationshipType
from scoring.models import (
    ActionOwner,
    ActionProgress,
    MoveDecision,
    PlannedAction,
    RoundHead,
    WorkshopAgreement,
)
from scoring.results.action_emails import email_owners
from survey.models import Round
from survey.webhooks.models import Event
from survey.webhooks.outbox import record_event
from survey.webhooks.payloads import action_data


def announce(action: PlannedAction, event: str) -> None:
    """The action's webhook event, written in the caller's transaction."""
    record_event(company=action.company, event=event, data=action_data(action))


@transaction.atomic
def record_decision(
    *, round: Round, current: RelationshipType, ticked: Iterable[str], user: User
) -> MoveDecision:
    """Store which conditions hold for the round's current type, and the rule's answer.

    Keys that are not conditions of `current` are dropped, so a stale form cannot store them.
    """
    kept = [c.key for c in guide.ticked_conditions(current, ticked)]
    decision, _ = MoveDecision.objects.update_or_create(
        round=round,
        defaults={
            "relationship_type": current.value,
            "ticked": kept,
            "recommendation": guide.verdict(current, kept).recommendation.value,
            "decided_by": user,
            "decided_at": timezone.now(),
        },
    )
    return decision


@transaction.atomic
def record_agreement(
    *, survey_round: Round, statement: int, text: str, user: User
) -> WorkshopAgreement | None:
    """Save what the room agrees about `statement` in the round's workshop.

    Blank text removes the agreement (and returns None); the plan action it may already
    have become stays in the plan. ValueError for a statement outside 1..20 or an open round.
    """
    if not 1 <= statement <= 20:
        raise ValueError(f"no statement {statement!r}")
    if survey_round.closed_at is None:
        raise ValueError("the workshop opens when the round is closed")
    text = text.strip()
    if not text:
        WorkshopAgreement.objects.filter(round=survey_round, statement=statement).delete()
        return None
    agreement, _created = WorkshopAgreement.objects.update_or_create(
        round=survey_round, statement=statement, defaults={"text": text, "updated_by": user}
    )
    return agreement


TITLE_LENGTH = PlannedAction._meta.get_field("title").max_length or 200


@transaction.atomic
def agreement_to_action(*, agreement: WorkshopAgreement) -> PlannedAction:
    """Turn an agreement into an action of the company's plan, once: a second call returns
    the action the first one made. The title is the agreement's first line, shortened to
    fit; the notes keep the whole text and the statement it came from."""
    agreement = WorkshopAgreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.action is not None:
        return agreement.action
    first_line = agreement.text.splitlines()[0].strip()
    title = first_line if len(first_line) <= TITLE_LENGTH else first_line[: TITLE_LENGTH - 1] + "…"
    survey_round = agreement.round
    action = PlannedAction.objects.create(
        company_id=survey_round.company_id,
        round=survey_round,
        title=title,
        notes=_("Agreed in the workshop on statement %(number)s:") % {"number": agreement.statement}
        + "\n"
        + agreement.text,
    )
    agreement.action = action
    agreement.save(update_fields=["action"])
    announce(action, Event.ACTION_CREATED)
    return action


@transaction.atomic
def choose_heads(*, survey_round: Round, sales_head: User, marketing_head: User) -> None:
    """Make two members of the round's company the heads who answer the two-key guide.

    A department whose head changes starts with no answers; one whose head stays keeps
    them. ValueError if one person is chosen for both, or either is not a member.
    """
    if sales_head.pk == marketing_head.pk:
        raise ValueError("each department needs its own head")
    members = set(survey_round.company.memberships.values_list("user_id", flat=True))
    if not {sales_head.pk, marketing_head.pk} <= members:
        raise ValueError("a head must be a member of the company")
    chosen = {SALES: sales_head, MARKETING: marketing_head}
    current = {h.department: h for h in RoundHead.objects.filter(round=survey_round)}
    changed = [d for d, user in chosen.items() if d not in current or current[d].user_id != user.pk]
    RoundHead.objects.filter(round=survey_round, department__in=changed).delete()
    for department in changed:
        RoundHead.objects.create(round=survey_round, department=department, user=chosen[department])


@transaction.atomic
def record_head_answer(
    *,
    survey_round: Round,
    user: User,
    types: Iterable[RelationshipType],
    ticked: Iterable[str],
) -> RoundHead:
    """Store which conditions hold, in the eyes of `user`, a head of the round.

    Only keys of the conditions of `types` (the types the guide starts from) are kept.
    RoundHead.DoesNotExist if `user` is not a head of the round.
    """
    head = RoundHead.objects.select_for_update().get(round=survey_round, user=user)
    keys = set(ticked)
    head.ticked = [c.key for t in types for c in guide.CONDITIONS[t] if c.key in keys]
    head.answered_at = timezone.now()
    head.save(update_fields=["ticked", "answered_at"])
    return head


@dataclass(frozen=True, kw_only=True)
class OwnerChoice:
    """Who owns an action for one department: a company member, or a name and an email."""

    department: str
    user: User | None
    name: str
    email: str
    language: str


def _same_owner(owner: ActionOwner, choice: OwnerChoice) -> bool:
    user_id = choice.user.pk if choice.user is not None else None
    return (owner.user_id, owner.name, owner.email, owner.language) == (
        user_id,
        "" if user_id else choice.name,
        "" if user_id else choice.email,
        choice.language,
    )


@transaction.atomic
def assign_owners(
    *, action: PlannedAction, owners: Iterable[OwnerChoice], base_url: str
) -> list[ActionOwner]:
    """Give the action its owner from each department; each new owner is emailed once the
    change is committed. An owner who stays the same is not emailed again."""
    current = {o.department: o for o in ActionOwner.objects.filter(action=action)}
    new = []
    for choice in owners:
        existing = current.get(choice.department)
        if existing is not None and _same_owner(existing, choice):
            continue
        if existing is not None:
            existing.delete()
        member = choice.user is not None
        new.append(
            ActionOwner.objects.create(
                action=action,
                department=choice.department,
                user=choice.user,
                name="" if member else choice.name.strip(),
                email="" if member else choice.email.strip(),
                language=choice.language,
            )
        )
    email_owners(owners=new, base_url=base_url)
    return new


@transaction.atomic
def log_progress(*, action: PlannedAction, text: str, author: User) -> ActionProgress:
    """Add a line to the action's progress log; ValueError when the text is blank."""
    text = text.strip()
    if not text:
        raise ValueError("a progress note needs text")
    return ActionProgress.objects.create(action=action, text=text[:500], author=author)


@transaction.atomic
def save_action(*, action: PlannedAction, survey_round: Round | None = None) -> PlannedAction:
    """Store an action of the plan, as the form filled it in; a new one joins `survey_round`."""
    if survey_round is not None:
        action.company_id = survey_round.company_id
        action.round = survey_round
    created = action.pk is None
    action.save()
    announce(action, Event.ACTION_CREATED if created else Event.ACTION_UPDATED)
    return action


def delete_action(*, action: PlannedAction) -> None:
    action.delete()


@transaction.atomic
def set_action_status(*, action: PlannedAction, status: str) -> None:
    """ValueError for a status that does not exist, so a forged form changes nothing."""
    if status not in PlannedAction.Status.values:
        raise ValueError(f"unknown status {status!r}")
    action.status = status
    action.save(update_fields=["status", "updated_at"])
    announce(action, Event.ACTION_UPDATED)
