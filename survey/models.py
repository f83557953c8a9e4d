import hashlib
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from survey.statements import STATEMENTS

MIN_ANONYMITY_THRESHOLD = 3
MAX_ANONYMITY_THRESHOLD = 10


def new_token() -> str:
    """A 192-bit random link token (32 URL-safe characters); see survey.converters."""
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    """Only this digest is stored, so a database leak does not leak working links."""
    return hashlib.sha256(token.encode()).hexdigest()


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


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MANAGER = "manager", _("Manager")

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
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

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
    def is_open(self) -> bool:
        return self.closed_at is None


class Department(models.TextChoices):
    SALES = "sales", _("Sales")
    MARKETING = "marketing", _("Marketing")


class Role(models.TextChoices):
    LEADER = "leader", _("Head of department")
    STAFF = "staff", _("Staff")


class Respondent(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="respondents")
    department = models.CharField(_("department"), max_length=10, choices=Department.choices)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last changed"), null=True, blank=True)
    last_reminded_at = models.DateTimeField(_("last reminded"), null=True, blank=True)

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
                condition=~Q(email=""),
                name="respondent_email_once_per_round",
            ),
        ]

    def __str__(self) -> str:
        who = self.name or self.email or _("anonymous")
        return f"{who} ({self.get_department_display()}, {self.get_role_display()})"

    def issue_token(self) -> str:
        """Give this respondent a fresh link token; the previous one stops working on save."""
        token = new_token()
        self.token_hash = hash_token(token)
        return token


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
