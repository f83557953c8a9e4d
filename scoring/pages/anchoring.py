"""On what a round's anonymity rested, in the reader's language: the hand-delivered answers
beside the figures they are part of, the roster statement and the staff's flags.

A round published before the roster was anchored (`Published.roster` None) gets none of
these: its pages read as they did when it was published.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from scoring.core.scores import STAFF
from scoring.results.published import SOURCES, Published, Roster
from survey.models import Department, Via

HAND_DELIVERED = "hand_delivered"  # the files' code: hand_delivered_screen, ..._shared, ...


def domains_text(domains: tuple[str, ...]) -> str:
    return _(" or ").join(domains)


def _how(via: str, n: int, domains: tuple[str, ...]) -> str:
    if via == Via.SCREEN:
        return ngettext(
            "%(n)s through a link shown on screen", "%(n)s through links shown on screen", n
        ) % {"n": n}
    if via == Via.SHARED:
        return ngettext("%(n)s through the shared link", "%(n)s through the shared link", n) % {
            "n": n
        }
    if domains:
        return ngettext(
            "%(n)s from an address outside %(domains)s",
            "%(n)s from addresses outside %(domains)s",
            n,
        ) % {"n": n, "domains": domains_text(domains)}
    return ngettext(
        "%(n)s not through a link emailed to the person",
        "%(n)s not through links emailed to the people",
        n,
    ) % {"n": n}


def hand_delivered_sentence(sources: dict[str, int], roster: Roster) -> str:
    """ "Includes 2 answers that did not count toward the threshold: 1 through a link shown
    on screen, 1 from an address outside acme.com." """
    total = sum(sources.get(via, 0) for via in SOURCES)
    if not total:
        return _("Every staff answer counted toward the threshold.")
    parts = [_how(via, sources[via], roster.domains) for via in SOURCES if sources.get(via)]
    return ngettext(
        "Includes %(n)s answer that did not count toward the threshold: %(how)s.",
        "Includes %(n)s answers that did not count toward the threshold: %(how)s.",
        total,
    ) % {"n": total, "how": _(", ").join(parts)}


def pooled_sentence(hand_delivered: int, roster: Roster | None) -> str | None:
    """The pooled small-team view's sources: how many of its answers did not count."""
    if roster is None:
        return None
    if not hand_delivered:
        return _("Every staff answer counted toward the threshold.")
    return ngettext(
        "Includes %(n)s answer that did not count toward the threshold (through a link "
        "shown on screen, the shared link or an address a leader chose outside the "
        "company's verified domains).",
        "Includes %(n)s answers that did not count toward the threshold (through links "
        "shown on screen, the shared link or addresses a leader chose outside the "
        "company's verified domains).",
        hand_delivered,
    ) % {"n": hand_delivered}


def roster_statement(roster: Roster | None, threshold: int) -> str | None:
    """What the threshold rested on: the leaders' word, or the verified domains."""
    if roster is None:
        return None
    if roster.on_leaders_word:
        return _(
            "The leaders chose the addresses the survey went to, and no company domain was "
            "verified: the anonymity of staff rests on the leaders' word that every address "
            "belongs to a real colleague."
        )
    return ngettext(
        "Only people emailed at %(domains)s counted toward the threshold of %(k)s person.",
        "Only people emailed at %(domains)s counted toward the threshold of %(k)s people.",
        threshold,
    ) % {"domains": domains_text(roster.domains), "k": threshold}


def flag_sentence(department: str, roster: Roster | None) -> str | None:
    """ "2 Sales staff said they did not recognise someone in the list of names they were
    counted among." """
    n = 0 if roster is None else roster.flags.get(department, 0)
    if not n:
        return None
    return ngettext(
        "%(n)s %(department)s staff member said they did not recognise someone in the list "
        "of names they were counted among.",
        "%(n)s %(department)s staff said they did not recognise someone in the list of "
        "names they were counted among.",
        n,
    ) % {"n": n, "department": Department(department).label}


def department_lines(published: Published) -> list[dict[str, str]]:
    """Per department whose staff are shown: the hand-delivered sentence and the flags."""
    roster = published.roster
    if roster is None:
        return []
    lines: list[dict[str, str]] = []
    for name in Department.values:
        if (name, STAFF) not in published.respondents:
            continue
        lines.append(
            {
                "key": name,
                "label": str(Department(name).label),
                "sources": hand_delivered_sentence(published.sources.get(name, {}), roster),
                "flags": flag_sentence(name, roster) or "",
            }
        )
    return lines
