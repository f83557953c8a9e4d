"""A staff member's "I don't recognise someone in this list"."""

from survey.models import Respondent


def flag_roster(*, respondent: Respondent) -> None:
    """Mark that this person does not recognise someone among the names they are counted
    among. Idempotent, and only the flag itself is stored: no audit event while the round is
    open (one would tell the leaders that someone opened the page); the flags of a group are
    counted at the close and shown on its results (scoring.results.published)."""
    Respondent.objects.filter(pk=respondent.pk, flagged_roster=False).update(flagged_roster=True)
