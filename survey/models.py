import hashlib
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from scoring.core.disclosure import comment_threshold
from survey.core.statements import STATEMENTS

MIN_ANONYMITY_THRESHOLD = 3
MAX_ANONYMITY_THRESHOLD = 10


def new_token() -> str:
    """A 192-bit random link token (32 URL-safe characters); see survey.converters."""
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    """Only this digest is stored, so a database leak does not leak working links."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_key() -> str:
    """A respondent's address in token-free survey URLs (22 URL-safe characters). It opens
    nothing by itself: only the browser holding the respondent's device secret gets in."""
    return secrets.token_urlsafe(16)


class Company(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    anonymity_threshold = models.PositiveSmallIntegerField(
        _("anonymity threshold"),
        default=5,
        help_text=_(
            "Staff answers are shown only for groups of at least this many people, "
            "so nobody's answers can be singled out."
        ),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="companies"
    )
    # Days after a round's close when its personal data is erased (survey.lifecycle.retention);
    # None: kept until an owner erases it or deletes the company.
    retention_days = models.PositiveIntegerField(_("keep personal data for"), null=True, blank=True)
    # An owner asked to delete the company: erased by the daily job once the grace period
    # (survey.lifecycle.deletion.GRACE) has passed, unless an owner undoes it before.
    deletion_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    deletion_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Leaders sign in with a second factor (survey.identity.mfa); set by an owner, on the record.
    require_mfa = models.BooleanField(_("require a second factor"), default=False)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymity_threshold__gte=MIN_ANONYMITY_THRESHOLD),
                name="company_anonymity_threshold_at_least_3",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class CompanyDomain(models.Model):
    """An e-mail domain a company claims as its own. Verified by a DNS TXT record that only
    whoever runs the domain can publish (survey.identity.domains); once verified, it is
    the company's for no other. A respondent emailed at a verified domain counts toward
    the anonymity threshold without resting on the leaders' word (survey.identity.anchor)."""

    company = models.ForeignKey("Company", on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("domain"), max_length=253)
    # The value the TXT record must hold; not a secret (it is published in DNS).
    token = models.CharField(max_length=32, default=new_token, editable=False)
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)

    class Meta:
        verbose_name = _("company domain")
        verbose_name_plural = _("company domains")
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(fields=["company", "domain"], name="domain_once_per_company"),
            models.UniqueConstraint(
                fields=["domain"],
                condition=Q(verified_at__isnull=False),
                name="domain_verified_for_one_company",
            ),
            models.CheckConstraint(
                condition=Q(domain=Lower("domain")), name="domain_in_lower_case"
            ),
        ]

    def __str__(self) -> str:
        return self.domain


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MANAGER = "manager", _("Manager")
        # Reads published results, downloads and the plan; changes nothing (see
        # survey.workspace.access.refuse_viewer).
        VIEWER = "viewer", _("Viewer")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MANAGER)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "company"], name="membership_once_per_company")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company} ({self.role})"


class Round(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="rounds")
    title = models.CharField(_("title"), max_length=200)
    # No default: a new round takes its company's threshold (see save).
    anonymity_threshold = models.PositiveSmallIntegerField(
        _("anonymity threshold"),
        validators=[
            MinValueValidator(MIN_ANONYMITY_THRESHOLD),
            MaxValueValidator(MAX_ANONYMITY_THRESHOLD),
        ],
        help_text=_(
            "Staff answers are shown only for groups of at least this many people, "
            "so nobody's answers can be singled out."
        ),
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Reminders to those who have not answered, queued by send_due_emails (survey/writes/schedule.py).
    auto_reminders = models.BooleanField(_("automatic reminders"), default=True)
    # When the personal data of its people went (survey.lifecycle.retention): only the
    # published aggregates and the anonymous counts remain.
    personal_data_erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    anonymity_threshold__gte=MIN_ANONYMITY_THRESHOLD,
                    anonymity_threshold__lte=MAX_ANONYMITY_THRESHOLD,
                ),
                name="round_anonymity_threshold_3_to_10",
            ),
            # One open round per company: two open at once whose lists differ by one
            # person would let their counts be subtracted. A round past its close date
            # counts as open here until closed_at is set; opening a round closes those
            # first (survey.writes.services.create_round).
            models.UniqueConstraint(
                fields=["company"],
                condition=Q(closed_at__isnull=True),
                name="one_open_round_per_company",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company}: {self.title}"

    def save(self, *args, **kwargs) -> None:
        if self.anonymity_threshold is None:
            self.anonymity_threshold = min(
                MAX_ANONYMITY_THRESHOLD, self.company.anonymity_threshold
            )
        super().save(*args, **kwargs)

    @property
    def comment_threshold(self) -> int:
        """How many of a group must comment on a statement before its comments are shown."""
        return comment_threshold(self.anonymity_threshold)

    @property
    def is_past_close_date(self) -> bool:
        return self.closes_at is not None and self.closes_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        """Open until a leader closes it or its close date passes (the first request after
        the date then closes it for good: survey.writes.services.close_if_due)."""
        return self.closed_at is None and not self.is_past_close_date


class Department(models.TextChoices):
    SALES = "sales", _("Sales")
    MARKETING = "marketing", _("Marketing")


class Role(models.TextChoices):
    LEADER = "leader", _("Head of department")
    STAFF = "staff", _("Staff")


class Via(models.TextChoices):
    """How a respondent's answering browser got in: the kind of link it first used."""

    EMAIL = "email", _("a link sent only to their email")
    SCREEN = "screen", _("a link shown to a leader on screen")
    SHARED = "shared", _("the shared link")


class Guess(models.TextChoices):
    """Where a respondent thinks the other department would place the relationship."""

    UNDEFINED = "undefined", pgettext_lazy("relationship type", "Undefined")
    DEFINED = "defined", pgettext_lazy("relationship type", "Defined")
    ALIGNED = "aligned", pgettext_lazy("relationship type", "Aligned")
    INTEGRATED = "integrated", pgettext_lazy("relationship type", "Integrated")
    UNKNOWN = "unknown", _("I don't know")


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


MAX_COMMENT_LENGTH = 1000
OPEN_QUESTION = 0  # a Comment's statement number for the one open question at the end


class Respondent(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="respondents")
    department = models.CharField(_("department"), max_length=10, choices=Department.choices)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    key = models.CharField(max_length=22, unique=True, default=new_key, editable=False)
    # SHA-256 of the secret cookie of the one browser that may read and change the answers.
    device_hash = models.CharField(max_length=64, blank=True, editable=False)
    claimed_via = models.CharField(
        _("answering through"), max_length=10, choices=Via.choices, blank=True, editable=False
    )
    submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last changed"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)
    # The latest invitation e-mail only: reminders go to those who have not answered, so
    # their fate must never show against a person.
    invitation_status = models.CharField(
        _("invitation e-mail"), max_length=10, choices=EmailStatus.choices, blank=True
    )
    invitation_status_at = models.DateTimeField(null=True, blank=True, editable=False)
    # For the worker's retries (survey/writes/tasks.py), never shown: failed sends in a row of the
    # latest invitation, and of reminders; when a reminder was last queued.
    invitation_failures = models.PositiveSmallIntegerField(default=0, editable=False)
    reminder_failures = models.PositiveSmallIntegerField(default=0, editable=False)
    reminder_queued_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The e-mail that the results are published (survey/writes/playback.py), sent after
    # the close to everyone alike, and retried like invitations; never shown.
    results_status = models.CharField(
        max_length=10, choices=EmailStatus.choices, blank=True, editable=False
    )
    results_status_at = models.DateTimeField(null=True, blank=True, editable=False)
    results_failures = models.PositiveSmallIntegerField(default=0, editable=False)
    guess = models.CharField(
        _("guess of the other department"), max_length=10, choices=Guess.choices, blank=True
    )
    # Removed by a leader (added by mistake, or a mistyped address replaced by a new
    # respondent): the links stop, but any answers stay and count when the round closes.
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True, editable=False)
    # "I don't recognise someone in this list" (the names a staff member is counted among,
    # where the company has no verified domain). Counted per group at the close only.
    flagged_roster = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        constraints = [
            models.CheckConstraint(
                condition=Q(department__in=Department.values), name="respondent_known_department"
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="respondent_known_role"),
            models.UniqueConstraint(
                fields=["round", "email"],
                condition=~Q(email="") & Q(removed_at__isnull=True),
                name="respondent_email_once_per_round",
            ),
        ]

    def __str__(self) -> str:
        who = self.name or self.email or _("anonymous")
        return f"{who} ({self.get_department_display()}, {self.get_role_display()})"


class Answer(models.Model):
    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="answers")
    statement = models.PositiveSmallIntegerField(_("statement"))
    rating = models.PositiveSmallIntegerField(_("rating"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="answer_rating_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(statement__gte=1, statement__lte=len(STATEMENTS)),
                name="answer_statement_1_to_20",
            ),
            models.UniqueConstraint(
                fields=["respondent", "statement"], name="answer_once_per_statement"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.statement}: {self.rating}"


class Comment(models.Model):
    """An optional "why?" under one statement, or the answer to the open question
    (statement 0). Plain text; published only in groups (scoring.core.disclosure)."""

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="comments")
    statement = models.PositiveSmallIntegerField(_("statement"))
    text = models.CharField(_("comment"), max_length=MAX_COMMENT_LENGTH)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.CheckConstraint(
                condition=Q(statement__gte=OPEN_QUESTION, statement__lte=len(STATEMENTS)),
                name="comment_statement_0_to_20",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="comment_not_empty"),
            models.UniqueConstraint(
                fields=["respondent", "statement"], name="comment_once_per_statement"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.statement}: {self.text[:40]}"


class SharedLink(models.Model):
    """One link per round, department and role for teams that talk in chat groups: each
    visitor gets a fresh respondent. Not a secret like a personal link (it is posted to a
    group on purpose), so the token is stored as is and can be shown again."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="shared_links")
    department = models.CharField(_("department"), max_length=10, choices=Department.choices)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    is_active = models.BooleanField(_("on"), default=True)

    class Meta:
        verbose_name = _("shared link")
        verbose_name_plural = _("shared links")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "department", "role"], name="shared_link_once_per_group"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.get_department_display()}, {self.get_role_display()}"


class CompanyInvitation(models.Model):
    """An owner's invitation to a manager; the emailed link is stored only as a hash."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # What the invited person becomes: a manager, or a viewer who only reads.
    role = models.CharField(
        _("role"), max_length=10, choices=Membership.Role.choices, default=Membership.Role.MANAGER
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        verbose_name = _("manager invitation")
        verbose_name_plural = _("manager invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} -> {self.company}"

    def issue_token(self) -> str:
        token = new_token()
        self.token_hash = hash_token(token)
        return token


class SurveyLink(models.Model):
    """One working personal link of a respondent; a person may hold several (reminders add
    links, they never replace one). Only the token's hash is stored. Every link stops when
    the round closes.

    An email or screen link claims the respondent for the first browser that starts the
    survey with it (a screen link only within SCREEN_LINK_LIFETIME of being shown); in any
    other browser pressing Start only says that the survey was started elsewhere first.
    A fresh link, emailed only to the person's own address on request, moves the survey to
    the browser that uses it, once, within FRESH_LINK_LIFETIME."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("emailed")
        SCREEN = "screen", _("shown on screen")
        FRESH = "fresh", _("fresh link, emailed on request")

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey link")
        verbose_name_plural = _("survey links")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["email", "screen", "fresh"]), name="survey_link_known_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.respondent} ({self.get_kind_display()})"


class AuditEvent(models.Model):
    """What a leader did that shapes who answers, shown to every leader of the company."""

    class Action(models.TextChoices):
        ROUND_OPENED = "round_opened", _("opened the round")
        PEOPLE_ADDED = "people_added", _("added people")
        LINKS_SHOWN = "links_shown", _("saw personal links on screen")
        FRESH_LINK = "fresh_link", _("had a fresh link emailed")
        REMINDERS = "reminders", _("sent reminders")
        SHARED_ON = "shared_on", _("turned a shared link on")
        SHARED_OFF = "shared_off", _("turned a shared link off")
        THRESHOLD = "threshold", _("changed the anonymity threshold")
        CLOSE_DATE = "close_date", _("changed the close date")
        CLOSED = "closed", _("closed the round")
        AUTO_REMINDERS_ON = "auto_reminders_on", _("turned automatic reminders on")
        AUTO_REMINDERS_OFF = "auto_reminders_off", _("turned automatic reminders off")
        RESENT = "resent", _("resent an invitation")
        EMAIL_CORRECTED = "email_corrected", _("corrected an email address")
        REMOVED = "removed", _("removed someone from the round")
        DOMAIN_ADDED = "domain_added", _("added a company domain")
        DOMAIN_VERIFIED = "domain_verified", _("verified a company domain")
        DOMAIN_REMOVED = "domain_removed", _("removed a company domain")
        ROSTER_FLAGGED = "roster_flagged", _("staff did not recognise someone in a list")
        SSO_CONFIGURED = "sso_configured", _("configured single sign-on")
        SSO_TESTED = "sso_tested", _("tested the single sign-on connection")
        SSO_ENFORCED = "sso_enforced", _("required single sign-on for the company's domains")
        SSO_RELAXED = "sso_relaxed", _("stopped requiring single sign-on")
        SSO_ACCOUNT = "sso_account", _("signed in through single sign-on with a new account")
        SSO_LINKED = "sso_linked", _("linked an existing account to single sign-on")
        RETENTION_SET = "retention_set", _("changed how long personal data is kept")
        DATA_ERASED = "data_erased", _("erased the personal data of a closed round")
        EXPORTED = "exported", _("downloaded everything the company has")
        DELETION_ASKED = "deletion_asked", _("asked to delete the company")
        DELETION_UNDONE = "deletion_undone", _("cancelled the company's deletion")
        API_TOKEN_CREATED = "api_token_created", _("created an API token")
        API_TOKEN_NEW_ADDRESS = "api_token_address", _("an API token was used from a new address")
        API_TOKEN_REVOKED = "api_token_revoked", _("revoked an API token")
        SCIM_TOKEN_CREATED = "scim_token_created", _("created a directory token")
        SCIM_TOKEN_USED = "scim_token_used", _("the directory token was used from a new address")
        SCIM_TOKEN_REVOKED = "scim_token_revoked", _("revoked a directory token")
        DIRECTORY_INVITED = "directory_invited", _("invited everyone in the directory")
        MFA_REQUIRED = "mfa_required", _("required a second factor of the company's leaders")
        MFA_RELAXED = "mfa_relaxed", _("stopped requiring a second factor")
        ACCOUNT_DELETED = "account_deleted", _("deleted their own account")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="audit_events")
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="audit_events", null=True, blank=True
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    detail = models.CharField(_("detail"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor}: {self.get_action_display()}"


class DailyRun(models.Model):
    """The last day a daily job ran (survey.lifecycle.daily): send_due_emails runs every few
    minutes, the erasures once a day."""

    job = models.CharField(max_length=40, unique=True)
    ran_on = models.DateField()

    def __str__(self) -> str:
        return f"{self.job}: {self.ran_on}"


# A company's single sign-on (survey.identity.sso) lives beside the rest of identity; the
# heads' message sent with the results lives in its own module (survey.writes.playback).
from survey.identity.models import (  # noqa: E402, F401
    ApiToken,
    CompanySSO,
    DirectoryGroup,
    DirectoryPerson,
    DirectoryRound,
    ScimToken,
)
from survey.playback_models import ResultsMessage  # noqa: E402, F401
from survey.webhooks.models import WebhookDelivery, WebhookEndpoint  # noqa: E402, F401
