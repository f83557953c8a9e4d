"""The round page's "invite everyone in the directory" section, as one tag (the round view
need not know about the directory)."""

from django import template

from survey.identity import directory
from survey.identity.models import DirectoryRound
from survey.models import Round

register = template.Library()


@register.inclusion_tag("survey/workspace/_directory_invite.html")
def directory_invite(survey_round: Round) -> dict:
    company = survey_round.company
    has_directory = company.directory_people.exists()
    return {
        "round": survey_round,
        "has_directory": has_directory,
        "invitable": len(directory.invitable(company)) if has_directory else 0,
        "follows": DirectoryRound.objects.filter(round=survey_round).exists(),
    }
