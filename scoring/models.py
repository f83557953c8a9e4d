"""What leaders decide from a round's results: the guide's answer and the action plan."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scoring.core import RelationshipType
from scoring.playbook import ACTIONS_BY_KEY
from survey.models import Company, Department, Round

TYPE_CHOICES = [(t.value, t.value) for t in RelationshipType]


class MoveDecision(models.Model):
    """The leaders' answer to "Do we need to move?" for one round; one per round."""

    class Recommendation(models.TextChoices):
        NONE = "none", _("No recommendation yet")
        STAY = "stay", _("Stay")
        TIGHTEN = "tighten", _("Tighten")
        REVISIT = "revisit", _("Stay for now and revisit")

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="move_decision")
    relationship_type = models.CharField(
        _("combined type when decided"), max_length=12, choices=TYPE_CHOICES
    )
    ticked = models.JSONField(_("conditions that hold"), default=list, blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=10, choices=Recommendation.choices
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided"))

    class Meta:
        verbose_name = _("move decision")
        verbose_name_plural = _("move decisions")

    def __str__(self) -> str:
        return f"{self.round}: {self.recommendation}"


class PlannedAction(models.Model):
    """One action of a company's plan, from the playbook or in the leaders' own words."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="planned_actions")
    round = models.ForeignKey(
        Round,
        on_delete=models.CASCADE,
        related_name="planned_actions",
        verbose_name=_("created in round"),
    )
    playbook_key = models.CharField(_("playbook action"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("planned action")
        verbose_name_plural = _("planned actions")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(playbook_key="") | ~Q(title=""),
                name="planned_action_has_playbook_key_or_title",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "in_progress", "done"]),
                name="planned_action_known_status",
            ),
        ]

    def __str__(self) -> str:
        return str(self.display_title)

    @property
    def playbook_action(self):
        return ACTIONS_BY_KEY.get(self.playbook_key)

    @property
    def display_title(self):
        """The leaders' own title if they gave one, else the playbook action's title."""
        action = self.playbook_action
        return self.title or (action.title if action else self.playbook_key)

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.DONE


class PublishedResult(models.Model):
    """A round's results, computed once when it closes and never changed afterwards.

    `groups` holds only the groups that may be shown (core.publishable_groups): for each,
    keyed "department:role", how many answered, how many gave each rating 1..5 to each
    statement, and how many have each score. `sources` counts, per department, the staff
    answers that came through a link shown on screen or through the shared link.
    """

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="published")
    threshold = models.PositiveSmallIntegerField(_("anonymity threshold"))
    groups = models.JSONField(default=dict)
    sources = models.JSONField(default=dict)
    published_at = models.DateTimeField(_("published"))

    class Meta:
        verbose_name = _("published result")
        verbose_name_plural = _("published results")

    def __str__(self) -> str:
        return f"{self.round} ({self.published_at:%Y-%m-%d})"


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
