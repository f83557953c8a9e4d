"""What the two heads decide together: the workshop's agreements, the two-key guide's heads.

Kept apart from scoring/models.py, which scoring.models re-exports them from, so that the
models of the round's published results and plan stay in one short file.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scoring.models import PlannedAction
from survey.models import Department, Round


class WorkshopAgreement(models.Model):
    """What the room agreed about one statement in the workshop of a closed round.

    One per round and statement, in the leaders' own words; `action` is the plan action it
    became, once someone turned it into one.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="agreements")
    statement = models.PositiveSmallIntegerField(_("statement"))
    text = models.TextField(_("what the room agrees"), max_length=2000)
    action = models.OneToOneField(
        PlannedAction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreement",
        verbose_name=_("plan action"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("workshop agreement")
        verbose_name_plural = _("workshop agreements")
        ordering = ["round", "statement"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "statement"], name="one_agreement_per_round_statement"
            ),
            models.CheckConstraint(
                condition=Q(statement__gte=1) & Q(statement__lte=20),
                name="agreement_statement_1_to_20",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} #{self.statement}: {self.text[:40]}"


class RoundHead(models.Model):
    """The head of one department for the round's two-key guide, and their own answers.

    Each head ticks the conditions that hold on their own; the two-key page compares them
    (guide.two_key_verdict). `ticked` holds condition keys of every type the guide starts
    from (keys are unique across types); `answered_at` is None until the head has answered.
    """

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="heads")
    department = models.CharField(_("department"), max_length=10, choices=Department.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("head"),
    )
    ticked = models.JSONField(_("conditions that hold"), default=list, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("head of department for the guide")
        verbose_name_plural = _("heads of department for the guide")
        constraints = [
            models.UniqueConstraint(fields=["round", "department"], name="one_head_per_department"),
            models.UniqueConstraint(fields=["round", "user"], name="one_department_per_head"),
        ]

    def __str__(self) -> str:
        return f"{self.round}: {self.department}"


class ActionOwner(models.Model):
    """One of an action's two owners: one from sales, one from marketing.

    Either a member of the company (`user`) or a named person with an email; the email
    telling them they own the action is written in `language`.
    """

    action = models.ForeignKey(PlannedAction, on_delete=models.CASCADE, related_name="owners")
    department = models.CharField(_("department"), max_length=10, choices=Department.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    assigned_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    # The two reminders (before the due date, when overdue), each sent once: set only once
    # sent; failed sends in a row, so a bad address is not tried for ever.
    due_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminder_failures = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("action owner")
        verbose_name_plural = _("action owners")
        ordering = ["action", "-department"]  # sales, then marketing
        constraints = [
            models.UniqueConstraint(fields=["action", "department"], name="one_owner_per_side"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.user is not None:
            return self.user.get_full_name() or self.user.email or self.user.get_username()
        return self.name or self.email

    @property
    def address(self) -> str:
        return self.user.email if self.user is not None else self.email


class ActionProgress(models.Model):
    """One line of an action's progress log."""

    action = models.ForeignKey(PlannedAction, on_delete=models.CASCADE, related_name="progress")
    text = models.CharField(_("progress"), max_length=500)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text[:40]
