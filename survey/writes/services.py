import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from scoring.results.published import publish_round
from survey.core.csv_import import Person
from survey.core.statements import STATEMENTS
from survey.models import (
    Answer,
    AuditEvent,
    Comment,
    Company,
    CompanyInvitation,
    Membership,
    Respondent,
    Round,
    SharedLink,
    SurveyLink,
    Via,
    hash_token,
)
from survey.webhooks.models import Event
from survey.webhooks.outbox import record_event
from survey.webhooks.payloads import round_closed_data, round_data
from survey.writes.playback import announce_on_commit
from survey.writes.tasks import (
    REMINDER_INTERVAL,
    new_link,
    not_queued,
    queue_invitations,
    queue_reminders,
    send_manager_invitation,
    unanswered,
)
from survey.writes.tasks import send_fresh_link as fresh_link_task

FRESH_LINK_LIFETIME = timedelta(days=3)
# A link shown on screen passed through a leader's hands: it starts a survey only for this
# long, so a kept copy soon opens nothing at all (survey.staff.views.start).
SCREEN_LINK_LIFETIME = timedelta(hours=48)
User = AbstractBaseUser


class RoundClosed(Exception):
    """The round closed before the answers arrived."""


class InUseElsewhere(Exception):
    """The survey belongs to another browser, and this link cannot move it."""


class LinkExpired(Exception):
    """A link shown on screen more than SCREEN_LINK_LIFETIME ago: it no longer starts a survey."""


class Withdrawn(Exception):
    """A leader removed the respondent: its links and survey page stop working."""


class RoundAlreadyOpen(Exception):
    """The company has an open round: one at a time, so no two rounds' counts can be
    subtracted from each other (README, "Who sees what")."""

    def __init__(self, open_round: Round) -> None:
        super().__init__(f"round {open_round.pk} is open")
        self.open_round = open_round


class ThresholdLocked(Exception):
    """The threshold can no longer be lowered: the first invitation has gone out."""


def lock_round_for_answers(round_id: int) -> Round:
    """The round, locked so it cannot close while answers to it are being stored.

    On PostgreSQL a shared lock: submissions do not wait for each other, and closing (which
    locks the row for update) waits for the submissions under way, then refuses later ones.
    SQLite runs one write transaction at a time (IMMEDIATE), which gives the same order.
    """
    if connection.vendor == "postgresql":
        return Round.objects.raw("SELECT * FROM survey_round WHERE id = %s FOR SHARE", [round_id])[
            0
        ]
    return Round.objects.get(pk=round_id)


@transaction.atomic
def submit_answers(
    *,
    respondent: Respondent,
    ratings: Mapping[int, int],
    comments: Mapping[int, str] | None = None,
    guess: str | None = None,
) -> Respondent:
    """Store a complete answer set for one respondent, replacing any earlier one.

    `comments` (statement, or 0 for the open question -> plain text), when given, replace
    the earlier ones: a statement left out has no comment any more. `guess`, when given,
    is the respondent's guess of the other department's view ("" for none).

    The respondent row is locked first, so two posts of the same survey at the same moment
    run one after the other; the upsert on (respondent, statement) means the second simply
    overwrites the first and there is never a second answer set. A round that is closed,
    or past its close date, refuses the answers.
    """
    if set(ratings) != set(STATEMENTS):
        raise ValueError("a submission needs a rating for every statement")
    survey_round = lock_round_for_answers(respondent.round_id)
    if not survey_round.is_open:
        raise RoundClosed
    locked = Respondent.objects.select_for_update().get(pk=respondent.pk)
    if locked.removed_at is not None:
        raise Withdrawn
    Answer.objects.bulk_create(
        [Answer(respondent=locked, statement=n, rating=r) for n, r in ratings.items()],
        update_conflicts=True,
        unique_fields=["respondent", "statement"],
        update_fields=["rating"],
    )
    if comments is not None:
        replace_comments(locked, comments)
    fields = ["submitted_at", "updated_at"]
    if guess is not None:
        locked.guess = guess
        fields.append("guess")
    now = timezone.now()
    locked.submitted_at = locked.submitted_at or now
    locked.updated_at = now
    locked.save(update_fields=fields)
    return locked


def replace_comments(respondent: Respondent, comments: Mapping[int, str]) -> None:
    kept = {n: text for n, text in comments.items() if text}
    respondent.comments.exclude(statement__in=list(kept)).delete()
    Comment.objects.bulk_create(
        [Comment(respondent=respondent, statement=n, text=text) for n, text in kept.items()],
        update_conflicts=True,
        unique_fields=["respondent", "statement"],
        update_fields=["text"],
    )


def device_hash(secret: str) -> str:
    return hash_token(secret)


def is_claimed_by(respondent: Respondent, secret: str | None) -> bool:
    """Whether the browser holding `secret` is the one that answers for the respondent."""
    return bool(secret and respondent.device_hash) and hmac.compare_digest(
        respondent.device_hash, device_hash(secret or "")
    )


def usable_fresh_link(link: SurveyLink) -> bool:
    return (
        link.kind == SurveyLink.Kind.FRESH
        and link.used_at is None
        and link.created_at > timezone.now() - FRESH_LINK_LIFETIME
    )


def screen_link_expired(link: SurveyLink) -> bool:
    """A link shown on screen, older than SCREEN_LINK_LIFETIME, whether or not it was used."""
    return (
        link.kind == SurveyLink.Kind.SCREEN
        and link.created_at <= timezone.now() - SCREEN_LINK_LIFETIME
    )


@transaction.atomic
def claim(*, link: SurveyLink, secret: str) -> Respondent:
    """Give the respondent to the browser holding `secret`.

    Repeatable: the browser that already holds the survey gets it again (a second press
    of Start, or a press whose answer was lost), whatever the link. Otherwise any link
    claims a respondent nobody has claimed, except a screen link past SCREEN_LINK_LIFETIME
    (LinkExpired); only an unused fresh link (emailed on request to the person's own
    address) moves a claimed respondent to a new browser, and is then used up.
    InUseElsewhere otherwise: whether or not anyone answered, the other browser learns
    only that the survey was started elsewhere first.
    """
    respondent = Respondent.objects.select_for_update().get(pk=link.respondent_id)
    if is_claimed_by(respondent, secret):
        return respondent
    if screen_link_expired(link):
        raise LinkExpired
    if respondent.device_hash and not usable_fresh_link(link):
        raise InUseElsewhere
    if link.kind == SurveyLink.Kind.FRESH:
        SurveyLink.objects.filter(pk=link.pk).update(used_at=timezone.now())
    respondent.device_hash = device_hash(secret)
    # A browser that got in through a link a leader could hold keeps its mark when the
    # survey moves: the answers it gave may still stand, so they count as such.
    if respondent.claimed_via not in (Via.SCREEN, Via.SHARED):
        screen = link.kind == SurveyLink.Kind.SCREEN
        respondent.claimed_via = Via.SCREEN if screen else Via.EMAIL
    respondent.save(update_fields=["device_hash", "claimed_via"])
    return respondent


def record(
    *, company: Company, action: str, actor: User | None, survey_round: Round | None, detail=""
) -> None:
    AuditEvent.objects.create(
        company=company, round=survey_round, actor=actor, action=action, detail=str(detail)[:1000]
    )


@dataclass(frozen=True, kw_only=True)
class Added:
    """New respondents with the links to show on screen (tokens shown once, never stored),
    how many were emailed their own link, and how many were already in the round."""

    new: int
    shown: list[tuple[Respondent, str]]
    emailed: int
    already_invited: int


def company_slug(name: str) -> str:
    base = slugify(name)[:40].strip("-") or "company"
    if not Company.objects.filter(slug=base).exists():
        return base
    return f"{base}-{secrets.token_hex(3)}"


@transaction.atomic
def create_company(*, owner: AbstractBaseUser, name: str, anonymity_threshold: int) -> Company:
    company = Company.objects.create(
        name=name, slug=company_slug(name), anonymity_threshold=anonymity_threshold
    )
    Membership.objects.create(user=owner, company=company, role=Membership.Role.OWNER)
    return company


@transaction.atomic
def create_round(
    *,
    company: Company,
    title: str,
    anonymity_threshold: int,
    closes_at: datetime | None,
    heads: Sequence[Person],
    actor: User,
    base_url: str,
) -> tuple[Round, Added]:
    """Open a round; the heads answer as leaders of their departments and get their links
    by email. The creator's own link as a head is also shown to them (it is theirs).

    RoundAlreadyOpen when the company has an open round. The company row is locked, so two
    leaders opening rounds at the same moment go one after the other and the second is
    refused; rounds past their close date are closed first (close_due), as the first
    request after the date would. The database refuses a second open round as well
    (Round's constraint "one_open_round_per_company").
    """
    Company.objects.select_for_update().filter(pk=company.pk).first()
    current = open_round_of(company)
    if current is not None:
        raise RoundAlreadyOpen(current)
    try:
        with transaction.atomic():
            survey_round = Round.objects.create(
                company=company,
                title=title,
                anonymity_threshold=anonymity_threshold,
                closes_at=closes_at,
            )
    except IntegrityError:  # opened by another request the lock did not hold back
        open_now = Round.objects.get(company=company, closed_at__isnull=True)
        raise RoundAlreadyOpen(open_now) from None
    record(
        company=company,
        action=AuditEvent.Action.ROUND_OPENED,
        actor=actor,
        survey_round=survey_round,
        detail=f"k = {anonymity_threshold}",
    )
    record_event(company=company, event=Event.ROUND_OPENED, data=round_data(survey_round))
    own = [h for h in heads if h.email == actor.email.lower()]
    added = add_respondents(
        survey_round=survey_round,
        people=heads,
        actor=actor,
        base_url=base_url,
        email=True,
        show=own,
    )
    return survey_round, added


def open_round_of(company: Company) -> Round | None:
    """The company's open round, if any, after closing those past their close date."""
    for survey_round in Round.objects.filter(company=company, closed_at__isnull=True):
        if not close_due(survey_round).is_open:
            continue
        return survey_round
    return None


@transaction.atomic
def add_respondents(
    *,
    survey_round: Round,
    people: Sequence[Person],
    actor: User | None,
    base_url: str,
    email: bool,
    show: bool | Sequence[Person],
) -> Added:
    """Add people by e-mail; an address already in the round is the same respondent.

    With `email`, each new person gets a link of their own by email. With `show` (True, or
    the people whose links to show), their links are also returned to be shown on screen
    once, to send by chat: a different link, recorded in the audit log, and every answer
    that comes through it is counted as such in the published results.
    """
    emails = {person.email for person in people}
    existing = set(
        survey_round.respondents.filter(email__in=emails, removed_at__isnull=True).values_list(
            "email", flat=True
        )
    )
    new = []
    for person in people:
        if person.email in existing:
            continue
        new.append(
            Respondent(
                round=survey_round,
                email=person.email,
                name=person.name,
                department=person.department,
                role=person.role,
                language=person.language,
            )
        )
        existing.add(person.email)
    Respondent.objects.bulk_create(new)
    shown_emails = {p.email for p in people} if show is True else {p.email for p in show or []}
    links, shown = [], []
    for respondent in new:
        if respondent.email in shown_emails:
            link, token = new_link(respondent, SurveyLink.Kind.SCREEN)
            links.append(link)
            shown.append((respondent, token))
    SurveyLink.objects.bulk_create(links)
    if email:
        deliver_invitations(respondents=new, base_url=base_url)
    company = survey_round.company
    if new:
        record(
            company=company,
            action=AuditEvent.Action.PEOPLE_ADDED,
            actor=actor,
            survey_round=survey_round,
            detail=people_detail(new),
        )
    if shown:
        record(
            company=company,
            action=AuditEvent.Action.LINKS_SHOWN,
            actor=actor,
            survey_round=survey_round,
            detail=people_detail([respondent for respondent, _ in shown]),
        )
    return Added(
        new=len(new),
        shown=shown,
        emailed=len(new) if email else 0,
        already_invited=len(people) - len(new),
    )


def deliver_invitations(*, respondents: Sequence[Respondent], base_url: str) -> None:
    """E-mail each respondent an invitation with a new link of their own, from the worker
    once committed; each respondent's invitation_status says whether it is queued, was
    sent or failed (the participants list shows it, the worker retries failures)."""
    ids = [r.pk for r in respondents if r.email]
    queue_invitations(ids, base_url, invitation_failures=0)


def people_detail(respondents: Sequence[Respondent]) -> str:
    """Who, for the audit log: the addresses, or how many when the list is long."""
    names = [r.email or str(r) for r in respondents]
    if len(names) > 20:
        return f"{len(names)}: {', '.join(names[:20])}, …"
    return f"{len(names)}: {', '.join(names)}"


@transaction.atomic
def send_fresh_link(*, respondent: Respondent, base_url: str, actor: User | None) -> bool:
    """Email the person a fresh link, which moves their survey to the browser that opens
    it. It goes only to their own address and is never shown. False without an address."""
    if not respondent.email or respondent.removed_at or not respondent.round.is_open:
        return False
    if actor is not None:
        record(
            company=respondent.round.company,
            action=AuditEvent.Action.FRESH_LINK,
            actor=actor,
            survey_round=respondent.round,
            detail=respondent.email,
        )
    transaction.on_commit(
        lambda: fresh_link_task.enqueue(respondent_id=respondent.pk, base_url=base_url)
    )
    return True


@transaction.atomic
def send_reminders(
    *, base_url: str, survey_round: Round | None = None, actor: User | None = None
) -> int:
    """Remind, by e-mail, everyone in an open round who has not answered, at most once in
    REMINDER_INTERVAL and not within it of their invitation; how many reminders were queued. Only hashes of links are stored, so
    a reminder carries a new link; the earlier ones keep working. A reminder counts as
    given only once the mail server took it (survey/writes/tasks.py)."""
    now = timezone.now()
    # An invitation less than a day old is reminder enough.
    due = not_queued(unanswered(now), now).exclude(invitation_status_at__gt=now - REMINDER_INTERVAL)
    if survey_round is not None:
        due = due.filter(round=survey_round)
    ids = list(due.values_list("pk", flat=True))
    queue_reminders(ids, base_url)
    if survey_round is not None and actor is not None:
        record(
            company=survey_round.company,
            action=AuditEvent.Action.REMINDERS,
            actor=actor,
            survey_round=survey_round,
        )
    return len(ids)


@transaction.atomic
def set_auto_reminders(*, survey_round: Round, on: bool, actor: User) -> None:
    """Turn a round's automatic reminders on or off; a change goes in the audit log."""
    changed = Round.objects.filter(pk=survey_round.pk).exclude(auto_reminders=on)
    if changed.update(auto_reminders=on):
        record(
            company=survey_round.company,
            action=AuditEvent.Action.AUTO_REMINDERS_ON
            if on
            else AuditEvent.Action.AUTO_REMINDERS_OFF,
            actor=actor,
            survey_round=survey_round,
        )
    survey_round.auto_reminders = on


def shared_link_respondent(*, link: SharedLink, secret: str) -> Respondent | None:
    """The respondent this browser already started through the shared link, if any."""
    return link.round.respondents.filter(
        device_hash=device_hash(secret), department=link.department, role=link.role
    ).first()


@transaction.atomic
def join_shared_link(*, link: SharedLink, language: str, secret: str) -> Respondent:
    """A new respondent of the link's group, answering from the browser holding `secret`;
    the one it already has when this browser pressed Start before (the link's row is locked,
    so two presses at the same moment make one respondent)."""
    SharedLink.objects.select_for_update().filter(pk=link.pk).first()
    if (started := shared_link_respondent(link=link, secret=secret)) is not None:
        return started
    return Respondent.objects.create(
        round=link.round,
        department=link.department,
        role=link.role,
        language=language,
        device_hash=device_hash(secret),
        claimed_via=Via.SHARED,
    )


@transaction.atomic
def toggle_shared_link(
    *, survey_round: Round, department: str, role: str, actor: User
) -> SharedLink:
    link, created = SharedLink.objects.get_or_create(
        round=survey_round, department=department, role=role
    )
    if not created:
        link.is_active = not link.is_active
        link.save(update_fields=["is_active"])
    record(
        company=survey_round.company,
        action=AuditEvent.Action.SHARED_ON if link.is_active else AuditEvent.Action.SHARED_OFF,
        actor=actor,
        survey_round=survey_round,
        detail=f"{department}, {role}",
    )
    return link


@transaction.atomic
def update_round(
    *, survey_round: Round, title: str, threshold: int, closes_at: datetime | None, actor: User
) -> Round:
    """Change a round's settings; a new threshold or close date goes in the audit log.

    ThresholdLocked when the threshold would fall after the first invitation went out
    (can_lower_threshold): raising is always allowed."""
    before = Round.objects.select_for_update().get(pk=survey_round.pk)
    if threshold < before.anonymity_threshold and not can_lower_threshold(before):
        raise ThresholdLocked
    if before.anonymity_threshold != threshold:
        record(
            company=before.company,
            action=AuditEvent.Action.THRESHOLD,
            actor=actor,
            survey_round=before,
            detail=f"{before.anonymity_threshold} → {threshold}",
        )
    if before.closes_at != closes_at:
        record(
            company=before.company,
            action=AuditEvent.Action.CLOSE_DATE,
            actor=actor,
            survey_round=before,
            detail=f"{date_text(before.closes_at)} → {date_text(closes_at)}",
        )
    before.title, before.anonymity_threshold, before.closes_at = title, threshold, closes_at
    before.save(update_fields=["title", "anonymity_threshold", "closes_at"])
    return before


def can_lower_threshold(survey_round: Round) -> bool:
    """Only before the first invitation goes out: nobody in the round and no shared link.

    Never whether anyone answered: a refusal that appeared only once someone had answered
    would tell the leader that someone (in a round of one, who) had. People were invited on
    the promise of groups at least this large, answered or not."""
    return not (survey_round.respondents.exists() or survey_round.shared_links.exists())


def date_text(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "–"


@transaction.atomic
def close_round(*, survey_round: Round, actor: User | None) -> Round:
    """Close the round for good and publish its results, counting every answer given.

    The round row is locked for update: submissions under way finish first, later ones
    find it closed. `actor` None means it closed by itself at its close date.
    """
    locked = Round.objects.select_for_update().select_related("company").get(pk=survey_round.pk)
    if locked.closed_at is None:
        locked.closed_at = timezone.now()
        if actor is None and locked.closes_at is not None:
            locked.closed_at = min(locked.closed_at, locked.closes_at)
        locked.save(update_fields=["closed_at"])
        record(
            company=locked.company,
            action=AuditEvent.Action.CLOSED,
            actor=actor,
            survey_round=locked,
            detail="" if actor else "at the close date",
        )
        announce_on_commit(locked)
        row = publish_round(survey_round=locked)
        closed = round_closed_data(locked)
        if closed is not None:
            record_event(company=locked.company, event=Event.ROUND_CLOSED, data=closed)
        # The staff's flags on their lists go on the record now, not while the round was
        # open (a flag then would tell a leader someone had opened the page); only those
        # of published groups, as the results show them.
        flags = {d: n for d, n in sorted(((row.roster or {}).get("flags") or {}).items()) if n}
        if flags:
            record(
                company=locked.company,
                action=AuditEvent.Action.ROSTER_FLAGGED,
                actor=None,
                survey_round=locked,
                detail=", ".join(f"{department}: {n}" for department, n in flags.items()),
            )
    publish_round(survey_round=locked)
    survey_round.closed_at = locked.closed_at
    return locked


def close_due(survey_round: Round) -> Round:
    """The first request after a round's close date closes it (no scheduler needed)."""
    if survey_round.closed_at is None and survey_round.is_past_close_date:
        close_round(survey_round=survey_round, actor=None)
    return survey_round


@transaction.atomic
def invite_manager(
    *,
    company: Company,
    email: str,
    invited_by: AbstractBaseUser,
    base_url: str,
    language: str,
    role: str = Membership.Role.MANAGER,
) -> CompanyInvitation:
    """Invite a manager by e-mail, in the language they answered the company's surveys in,
    else in `language`; the worker issues the link it sends (the token issued here is never
    sent, so none waits in the queue)."""
    invitation = CompanyInvitation(
        company=company, email=email.lower(), invited_by=invited_by, role=role
    )
    known = (
        Respondent.objects.filter(round__company=company, email=invitation.email)
        .order_by("-round__opened_at")
        .values_list("language", flat=True)
        .first()
    )
    language = known or language
    invitation.issue_token()
    invitation.save()
    transaction.on_commit(
        lambda: send_manager_invitation.enqueue(
            invitation_id=invitation.pk, base_url=base_url, language=language
        )
    )
    return invitation


@transaction.atomic
def accept_invitation(*, invitation: CompanyInvitation, user: AbstractBaseUser) -> Membership:
    """The invited person becomes a manager or a viewer, as invited (a member who follows it
    keeps their role: an invitation never demotes an owner, nor promotes anyone)."""
    membership, _ = Membership.objects.get_or_create(
        user=user, company=invitation.company, defaults={"role": invitation.role}
    )
    CompanyInvitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    return membership
