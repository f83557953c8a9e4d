"""A leader's account: the name the e-mails carry, and deleting it.

The name is kept in Django's `User.first_name`, whole ("Lan Nguyen", "Nguyễn Thị Lan"): one
field, as the person writes it, so nobody has to guess which part is the family name.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Count

from survey.models import AuditEvent, Company, Membership
from survey.writes.services import record


def rename(*, user: AbstractBaseUser, name: str) -> None:
    user.first_name = " ".join(name.split())  # type: ignore[attr-defined]
    user.last_name = ""  # type: ignore[attr-defined]
    user.save(update_fields=["first_name", "last_name"])


def companies_only_owned_by(user: AbstractBaseUser) -> list[Company]:
    """Companies where the user is the only owner: they must hand them over (or delete them)
    before the account can go, or the company would be left with nobody to run it."""
    owners = Membership.objects.filter(role=Membership.Role.OWNER)
    owned = owners.filter(user=user).values("company_id")
    alone = (
        owners.filter(company_id__in=owned)
        .values("company_id")
        .annotate(owners=Count("pk"))
        .filter(owners=1)
        .values("company_id")
    )
    return list(Company.objects.filter(pk__in=alone).order_by("name"))


def delete_account(*, user: AbstractBaseUser) -> None:
    """On each company's record (with the name and address: the other leaders must know who
    left), then the user and their memberships, second factors and SSO links are deleted.
    What they did stays on the record without them (the actor becomes empty)."""
    with transaction.atomic():
        who = f"{user.get_full_name()} <{user.email}>".strip()  # type: ignore[attr-defined]
        for membership in Membership.objects.filter(user=user).select_related("company"):
            record(
                company=membership.company,
                action=AuditEvent.Action.ACCOUNT_DELETED,
                actor=None,
                survey_round=None,
                detail=who,
            )
        user.delete()
