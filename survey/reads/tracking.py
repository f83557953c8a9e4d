"""Who has been invited and how many answered, per department and role, counted in SQL.

Leaders see counts, never names, and nothing they see while a round is open moves with one
person's answer:

- Answers count as of midnight (the site's TIME_ZONE) at the start of today: the figures
  move at most once a day, never as someone answers, so they cannot be timed to one person.
- A staff group's answered count shows only once k of its *independent* people
  (survey.identity.anchor) answered before that midnight. Fewer, and the leader could have
  planted all but one of them. Hand-delivered answers count in a figure that is shown.
- Invited counts the people the leaders added (they know them: the participants list shows
  them), shown for every group, since reminders need them. People who came through a shared
  link exist only once they submit, from the next midnight, and only in a group whose
  answered count shows: otherwise a shared link sent to one person would tell whether that
  person answered.
- Heads answer as the heads' view, so their groups are always shown, counted at the same
  midnight as everyone else: one snapshot for the whole table, so no total or difference
  of two figures moves within a day.
- Totals only when every staff group the leaders invited into (people added, or a shared
  link turned on) is shown, so a hidden group cannot be worked out by subtraction.

People a leader removed still count as invited, and their answers, if any, as answered and
toward k: their answers count at the close, and leaving them out of either count would show,
the moment they were removed, whether they had answered.

Once the round is closed nothing moves any more: the counts take every answer given, with the
same threshold as the published results.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time

from django.db.models import Count, Q
from django.utils import timezone

from survey.identity.anchor import Anchor, independent
from survey.models import CompanyDomain, Department, Respondent, Role, Round, SharedLink, Via

GROUPS = [(d, r) for d in Department.values for r in (Role.LEADER, Role.STAFF)]
GroupKey = tuple[str, str]


def counted_until(now: datetime | None = None) -> datetime:
    """Midnight at the start of today in the site's time zone: answers before it count."""
    today = timezone.localdate(now or timezone.now())
    return timezone.make_aware(datetime.combine(today, time.min))


@dataclass(frozen=True, kw_only=True)
class GroupCount:
    department: str
    role: str
    invited: int
    answered: int  # 0 when not shown: never the hidden figure
    shown: bool
    removed: int = 0
    in_play: bool = False  # people added, or a shared link (else empty, and shown as such)


@dataclass(frozen=True, kw_only=True)
class Tracking:
    groups: list[GroupCount]
    threshold: int
    as_of: datetime | None  # the midnight answers are counted to; None once closed

    @property
    def totals_shown(self) -> bool:
        return all(group.shown for group in self.groups)

    @property
    def invited(self) -> int | None:
        return sum(g.invited for g in self.groups) if self.totals_shown else None

    @property
    def answered(self) -> int | None:
        return sum(g.answered for g in self.groups) if self.totals_shown else None

    @property
    def removed(self) -> int:
        return sum(g.removed for g in self.groups)

    @property
    def rate(self) -> int | None:
        """Answered as a whole percentage of invited."""
        if not self.invited or self.answered is None:
            return None
        return round(100 * self.answered / self.invited)


@dataclass(frozen=True, kw_only=True)
class Row:
    """One group's counts from the database."""

    added: int = 0  # people the leaders added (not through a shared link)
    removed: int = 0  # of those, removed since
    shared: int = 0  # shared-link respondents who submitted before the cut-off
    answered: int = 0  # everyone who submitted before the cut-off
    independent: int = 0  # independent people who submitted before the cut-off


def group_count(department: str, role: str, row: Row, *, threshold: int, link: bool) -> GroupCount:
    in_play = bool(row.added) or link  # otherwise nobody is in the group: nothing to hide
    shown = role == Role.LEADER or not in_play or row.independent >= threshold
    return GroupCount(
        department=department,
        role=role,
        invited=row.added + (row.shared if shown else 0),
        answered=row.answered if shown else 0,
        shown=shown,
        removed=row.removed,
        in_play=in_play,
    )


def tracking_from_rows(
    rows: dict[GroupKey, Row], *, threshold: int, links: set[GroupKey], as_of: datetime | None
) -> Tracking:
    groups = [
        group_count(d, r, rows.get((d, r), Row()), threshold=threshold, link=(d, r) in links)
        for d, r in GROUPS
    ]
    return Tracking(groups=groups, threshold=threshold, as_of=as_of)


def counts(anchor_filter: Q, cutoff: datetime | None) -> dict[str, Count]:
    shared = Q(claimed_via=Via.SHARED)
    before = Q(submitted_at__lt=cutoff) if cutoff else Q(submitted_at__isnull=False)
    return {
        "added": Count("id", filter=~shared),
        "removed": Count("id", filter=~shared & Q(removed_at__isnull=False)),
        "shared": Count("id", filter=shared & before),
        "answered": Count("id", filter=before),
        "independent": Count("id", filter=before & anchor_filter),
    }


def anchors(company_ids: set[int]) -> dict[int, Anchor]:
    """Each company's anchor, in one query (survey.identity.anchor.anchor_of, for many)."""
    domains: dict[int, list[str]] = {pk: [] for pk in company_ids}
    verified = CompanyDomain.objects.filter(company_id__in=company_ids, verified_at__isnull=False)
    for company_id, domain in verified.values_list("company_id", "domain"):
        domains[company_id].append(domain)
    return {pk: Anchor(domains=tuple(sorted(d))) for pk, d in domains.items()}


def rounds_tracking(rounds: Iterable[Round], now: datetime | None = None) -> dict[int, Tracking]:
    """Every round's tracking in a few queries: the anchors, the counts (one query per
    cut-off), the shared links. Open rounds count answers to today's midnight, closed ones
    every answer."""
    rounds = list(rounds)
    midnight = counted_until(now)
    cutoffs = {r.pk: midnight if r.closed_at is None else None for r in rounds}
    by_company = anchors({r.company_id for r in rounds})
    rows: dict[int, dict[GroupKey, Row]] = {r.pk: {} for r in rounds}
    for cutoff in set(cutoffs.values()):
        ids = [r.pk for r in rounds if cutoffs[r.pk] == cutoff]
        anchor_filter = Q(pk__in=[])
        for company_id, anchor in by_company.items():
            anchor_filter |= Q(round__company_id=company_id) & independent(anchor)
        queryset = (
            Respondent.objects.filter(round__in=ids)
            .values_list("round_id", "department", "role")
            .annotate(**counts(anchor_filter, cutoff))
            .order_by()
        )
        for round_id, department, role, *figures in queryset:
            fields = dict(zip(counts(Q(), None), figures, strict=True))
            rows[round_id][(department, role)] = Row(**fields)
    links: dict[int, set[GroupKey]] = {r.pk: set() for r in rounds}
    shared = SharedLink.objects.filter(round__in=rounds)
    for round_id, department, role in shared.values_list("round_id", "department", "role"):
        links[round_id].add((department, role))
    return {
        r.pk: tracking_from_rows(
            rows[r.pk], threshold=r.anonymity_threshold, links=links[r.pk], as_of=cutoffs[r.pk]
        )
        for r in rounds
    }


def round_tracking(round: Round, now: datetime | None = None) -> Tracking:
    return rounds_tracking([round], now)[round.pk]
