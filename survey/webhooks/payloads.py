"""What each event carries under "data": codes and figures, never a person. The round.closed
payload is the round's summary.json (scoring.files.exports.summary_json), so its figures
are the pages' figures with the pages' hiding; a machine payload, so its texts are English."""

from typing import Any

from django.utils import translation

from scoring.files import exports
from scoring.models import PlannedAction
from scoring.results.published import published
from survey.models import Round


def round_data(survey_round: Round) -> dict[str, Any]:
    return {
        "company": survey_round.company.slug,
        "company_name": survey_round.company.name,
        "round": {
            "id": survey_round.pk,
            "title": survey_round.title,
            "opened": survey_round.opened_at.isoformat(timespec="seconds"),
            "closes_at": survey_round.closes_at.isoformat(timespec="seconds")
            if survey_round.closes_at
            else None,
            "anonymity_threshold": survey_round.anonymity_threshold,
        },
    }


def round_closed_data(survey_round: Round) -> dict[str, Any] | None:
    """The published results of a closed round as summary.json has them (None before they
    are published). Shared with any other reader of a round's results (the API)."""
    result = published(survey_round)
    if result is None:
        return None
    with translation.override("en"):
        return exports.summary_json(survey_round, result.score, result)


def action_data(action: PlannedAction) -> dict[str, Any]:
    return {
        "company": action.company.slug,
        "company_name": action.company.name,
        "action": {
            "id": action.pk,
            "round": action.round_id,
            "title": action.title,
            "playbook_key": action.playbook_key,
            "status": action.status,
            "due_date": action.due_date.isoformat() if action.due_date else None,
            "updated_at": action.updated_at.isoformat(timespec="seconds")
            if action.updated_at
            else None,
        },
    }
