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
