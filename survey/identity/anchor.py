"""Whether a respondent counts toward a round's anonymity threshold.

A leader chooses whom to invite, so a threshold counts only people whose survey did not
come from the leaders alone. A respondent is *independent* when their survey was started
through a link emailed to their own address and, once the company has verified a domain,
that address is at a verified domain: planting a colleague then takes a mailbox at the
company's own domain. Everyone else is *hand-delivered*: links shown on screen, the shared
link, addresses elsewhere. Hand-delivered answers count in any figure that is shown, and
their number stands beside it; they never make a group big enough to be shown.

A company with no verified domain keeps working: its emailed respondents count, and its
results and start pages say plainly that the leaders chose the addresses.
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q

from survey.identity.domains import unicode_form
from survey.models import Company, CompanyDomain, Respondent, Via


@dataclass(frozen=True, kw_only=True)
class Anchor:
    """What a company's threshold rests on: its verified domains, or the leaders' word."""

    domains: tuple[str, ...]

    @property
    def on_leaders_word(self) -> bool:
        return not self.domains

    @property
    def spellings(self) -> tuple[str, ...]:
        """The domains as addresses may spell them: stored in ASCII ("xn--bcher-kva.de"),
        typed by people in Unicode ("bücher.de")."""
        return tuple(dict.fromkeys([*self.domains, *map(unicode_form, self.domains)]))

    def at_domain(self, email: str) -> bool:
        return email.rpartition("@")[2].lower() in self.spellings

    def as_json(self) -> dict[str, list[str]]:
        return {"domains": list(self.domains)}


def anchor_of(company: Company) -> Anchor:
    domains = CompanyDomain.objects.filter(company=company, verified_at__isnull=False)
    return Anchor(domains=tuple(sorted(domains.values_list("domain", flat=True))))


def independent(anchor: Anchor, prefix: str = "") -> Q:
    """Respondents who count toward k, as a filter (`prefix` as in "respondent__")."""
    emailed = Q(**{f"{prefix}claimed_via": Via.EMAIL})
    if anchor.on_leaders_word:
        return emailed
    at_domain = reduce(or_, (Q(**{f"{prefix}email__iendswith": f"@{d}"}) for d in anchor.spellings))
    return emailed & at_domain


def is_independent(respondent: Respondent, anchor: Anchor) -> bool:
    if respondent.claimed_via != Via.EMAIL:
        return False
    return anchor.on_leaders_word or anchor.at_domain(respondent.email)
