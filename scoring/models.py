"""What leaders decide from a round's results: the guide's answer and the action plan."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from scoring.advice.playbook import ACTIONS_BY_KEY, PlaybookAction
from scoring.core.scores import RelationshipType
from survey.models import Company, Round

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
    def playbook_action(self) -> PlaybookAction | None:
        return ACTIONS_BY_KEY.get(self.playbook_key)

    @property
    def display_title(self) -> str:
        """The leaders' own title if they gave one, else the playbook action's title."""
        action = self.playbook_action
        return self.title or (str(action.title) if action else self.playbook_key)

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
    # Comments, guesses and the small-team figures that may be shown (scoring.core.disclosure).
    voices = models.JSONField(default=dict)
    # On what the threshold rested (survey.identity.anchor): the verified domains, or none
    # (the leaders' word), and the staff's flags on the lists of names. None for rounds
    # published before the roster was anchored.
    roster = models.JSONField(null=True, blank=True)
    published_at = models.DateTimeField(_("published"))

    class Meta:
        verbose_name = _("published result")
        verbose_name_plural = _("published results")

    def __str__(self) -> str:
        return f"{self.round} ({self.published_at:%Y-%m-%d})"


# The workshop's agreements and the two-key guide's heads live in their own module.
from scoring.joint_models import (  # noqa: E402
    ActionOwner as ActionOwner,
)
from scoring.joint_models import (  # noqa: E402
    ActionProgress as ActionProgress,
)
from scoring.joint_models import (  # noqa: E402
    RoundHead as RoundHead,
)
from scoring.joint_models import (  # noqa: E402
    WorkshopAgreement as WorkshopAgreement,
)
