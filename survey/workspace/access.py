"""Every leader page finds its objects through the user's memberships: another company's
objects are a 404, so a user of another company cannot even learn that they exist."""

from datetime import timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
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


class ViewerRefused(PermissionDenied):
    """A viewer asked to change something: the 403 page says that viewers only read."""


def refuse_viewer(membership: Membership) -> None:
    """The one rule of the viewer role: it reads published results, downloads and the plan,
    and changes nothing (no round opened, closed or changed, nobody invited, no plan
    changed), and it does not see who is invited (the participants list, shared links)."""
    if membership.role == Membership.Role.VIEWER:
        raise ViewerRefused


def membership_or_404(user: User, company_id: int, *, to_change: bool = False) -> Membership:
    """The user's membership of the company; `to_change`: a viewer is refused (403)."""
    membership = get_object_or_404(
        Membership.objects.select_related("company"), company_id=company_id, user=user
    )
    if to_change:
        refuse_viewer(membership)
    return membership


def owner_membership_or_404(user: User, company_id: int) -> Membership:
    """Owners manage members; a manager of the same company is refused (403), not misled."""
    membership = membership_or_404(user, company_id)
    if membership.role != Membership.Role.OWNER:
        raise PermissionDenied
    return membership


def member_round_or_404(user: User, round_id: int, *, to_change: bool = False) -> Round:
    """A round of the user's companies, closed first if its close date has passed.
    `to_change`: the page changes or runs the round (or shows who is invited), so a
    viewer is refused with a 403 that says why."""
    survey_round = get_object_or_404(
        Round.objects.select_related("company"), pk=round_id, company__memberships__user=user
    )
    if to_change:
        membership_or_404(user, survey_round.company_id, to_change=True)
    return close_due(survey_round)


def member_shared_link_or_404(user: User, link_id: int) -> SharedLink:
    """A shared link is an invitation: viewers do not see it."""
    link = get_object_or_404(
        SharedLink.objects.select_related("round__company"),
        pk=link_id,
        round__company__memberships__user=user,
    )
    membership_or_404(user, link.round.company_id, to_change=True)
    return link


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
    survey_round = member_round_or_404(user, round_id, to_change=True)
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


def refused(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 403 page (urls.handler403): it says whether owners only may do this, or
    whether the user's role (viewer) only reads."""
    context = {"viewer": isinstance(exception, ViewerRefused)}
    return render(request, "403.html", context, status=403)


def can_change(user: User, company_id: int) -> bool:
    """Whether the user is a member of the company who may change things (not a viewer);
    remembered on the user object for the request, as templates ask it many times."""
    if not user.is_authenticated:
        return False
    roles = user.__dict__.setdefault("_company_roles", {})
    if company_id not in roles:
        roles[company_id] = (
            Membership.objects.filter(user=user, company_id=company_id)
            .values_list("role", flat=True)
            .first()
        )
    return roles[company_id] not in (None, Membership.Role.VIEWER)
