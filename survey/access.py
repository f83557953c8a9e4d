from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import get_object_or_404

from survey.models import Round


def member_round_or_404(user: AbstractBaseUser | AnonymousUser, round_id: int) -> Round:
    """A round of a company the user belongs to; any other round is a 404, so a user of
    another company cannot even learn that it exists."""
    return get_object_or_404(
        Round.objects.select_related("company"), pk=round_id, company__memberships__user=user
    )
