"""The heads' short message to everyone invited, sent and shown with the results.

Kept apart from survey/models.py, which re-exports it, so the playback of results to staff
stays in its own files (survey.writes.playback).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from survey.models import Round

MAX_MESSAGE_LENGTH = 1000


class ResultsMessage(models.Model):
    """What the two heads want to tell everyone when the results are published; optional,
    written by a leader before or at the close, one per round."""

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="results_message")
    text = models.TextField(_("message from the heads"), max_length=MAX_MESSAGE_LENGTH)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("heads' message with the results")
        verbose_name_plural = _("heads' messages with the results")

    def __str__(self) -> str:
        return f"{self.round}: {self.text[:40]}"
