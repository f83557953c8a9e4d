"""The names a staff member is counted among, shown on their start page where the company
has no verified domain (so the list rests on the leaders' word alone).

Built from the name column only, of everyone the leaders put in the same round, department
and staff role with an e-mail address and not removed: never an address, and nothing that
moves when someone starts or answers (a planted "Colleague 3" shows whether or not it
answered). People who came through a shared link have no address and never count toward k,
so they are not listed.
"""

import unicodedata
from dataclasses import dataclass

from survey.identity.anchor import Anchor
from survey.models import Respondent, Role


@dataclass(frozen=True, kw_only=True)
class Roster:
    names: list[str]  # sorted, without the empty ones
    unnamed: int  # people listed without a name


def roster_of(respondent: Respondent, anchor: Anchor) -> Roster | None:
    """The staff group's names, in one query; None where the list is not shown (a verified
    domain anchors the count, or the person answers as a head)."""
    if not anchor.on_leaders_word or respondent.role != Role.STAFF:
        return None
    names = list(
        Respondent.objects.filter(
            round_id=respondent.round_id,
            department=respondent.department,
            role=Role.STAFF,
            removed_at__isnull=True,
        )
        .exclude(email="")
        .values_list("name", flat=True)
    )
    named = sorted((name.strip() for name in names if name.strip()), key=sort_key)
    return Roster(names=named, unnamed=len(names) - len(named))


def sort_key(name: str) -> tuple[str, str]:
    """Letters before their accents, as a reader expects in English and Vietnamese: "Đỗ"
    among the Ds, "Ánh" among the As (Python's plain order puts both after "Z")."""
    base = unicodedata.normalize("NFD", name.casefold().replace("đ", "d"))
    return "".join(c for c in base if not unicodedata.combining(c)), name.casefold()
