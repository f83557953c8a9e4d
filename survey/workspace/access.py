"""Every leader page finds its objects through the user's memberships: another company's
objects are a 404, so a user of another company cannot even learn that they exist."""

from datetime import timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone

from survey.models import (
    CompanyDomain,
    CompanyInvitation,
    Membership,
    Respondent,
    Round,
    SharedLink,
    hash_token,
)
from survey.writes.services import close_due

User = AbstractBaseUser | AnonymousUser
INVITATION_LIFETIME = timedelta(days=14)


def membership_or_404(user: User, company_id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("company"), company_id=company_id, user=user
    )


def owner_membership_or_404(user: User, company_id: int) -> Membership:
    """Owners manage members; a manager of the same company is refused (403), not misled."""
    membership = membership_or_404(user, company_id)
    if membership.role != Membership.Role.OWNER:
        raise PermissionDenied
    return membership


def member_round_or_404(user: User, round_id: int) -> Round:
    """A round of the user's companies, closed first if its close date has passed."""
    survey_round = get_object_or_404(
        Round.objects.select_related("company"), pk=round_id, company__memberships__user=user
    )
    return close_due(survey_round)


def member_shared_link_or_404(user: User, link_id: int) -> SharedLink:
    return get_object_or_404(
        SharedLink.objects.select_related("round__company"),
        pk=link_id,
        round__company__memberships__user=user,
    )


def pending_invitation_or_404(token: str) -> CompanyInvitation:
    return get_object_or_404(
        CompanyInvitation.objects.select_related("company"),
        token_hash=hash_token(token),
        accepted_at__isnull=True,
        created_at__gte=timezone.now() - INVITATION_LIFETIME,
    )


def member_participant_or_404(user: User, round_id: int, respondent_id: int) -> Respondent:
    """Someone invited by email to a round of the user's companies; people who came in
    through a shared link have no address and are nobody's to manage."""
    survey_round = member_round_or_404(user, round_id)
    respondent = get_object_or_404(survey_round.respondents.exclude(email=""), pk=respondent_id)
    respondent.round = survey_round
    return respondent


def owner_domain_or_404(user: User, company_id: int, domain_id: int) -> CompanyDomain:
    """A domain of a company the user owns; managers see domains but do not change them."""
    membership = owner_membership_or_404(user, company_id)
    return get_object_or_404(
        CompanyDomain.objects.select_related("company"),
        pk=domain_id,
        company_id=membership.company_id,
    )
