import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from survey.statements import STATEMENTS

MIN_ANONYMITY_THRESHOLD = 3


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
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.company}: {self.title}"

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

    class Meta:
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        constraints = [
            models.CheckConstraint(
                condition=Q(department__in=Department.values), name="respondent_known_department"
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="respondent_known_role"),
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
