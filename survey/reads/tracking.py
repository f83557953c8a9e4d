"""Who has been invited and how many answered, per department and role, counted in SQL.

Leaders see counts, never names, and no count for a staff group smaller than the round's
anonymity threshold; totals only when every staff group can be shown, so a hidden group
cannot be worked out by subtraction. Heads are shown as the heads' view on the dashboard,
so their group is always counted.

People a leader removed (added by mistake, or a mistyped address corrected) still count as
invited, and their answers, if any, as answered: their answers count at the close, and
leaving them out of either count would show whether they had answered. Whether a staff
group is big enough to show counts only the people still in it.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from survey.models import Department, Respondent, Role, Round

GROUPS = [(d, r) for d in Department.values for r in (Role.LEADER, Role.STAFF)]


@dataclass(frozen=True, kw_only=True)
class GroupCount:
    department: str
    role: str
    invited: int
    answered: int
    shown: bool
    removed: int = 0


@dataclass(frozen=True, kw_only=True)
class Tracking:
    groups: list[GroupCount]
    threshold: int

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


Row = tuple[str, str, int, int, int]  # department, role, invited, answered, removed


def tracking_from_rows(rows: Iterable[Row], threshold: int) -> Tracking:
    counts = {(d, r): (invited, answered, removed) for d, r, invited, answered, removed in rows}
    groups = []
    for department, role in GROUPS:
        invited, answered, removed = counts.get((department, role), (0, 0, 0))
        in_group = invited - removed
        shown = role == Role.LEADER or invited == 0 or in_group >= threshold
        groups.append(
            GroupCount(
                department=department,
                role=role,
                invited=invited,
                answered=answered,
                shown=shown,
                removed=removed,
            )
        )
    return Tracking(groups=groups, threshold=threshold)


COUNTS = {
    "invited": Count("id"),
    "answered": Count("id", filter=Q(submitted_at__isnull=False)),
    "removed": Count("id", filter=Q(removed_at__isnull=False)),
}


def round_tracking(round: Round) -> Tracking:
    rows = (
        Respondent.objects.filter(round=round)
        .values_list("department", "role")
        .annotate(**COUNTS)
        .order_by()
    )
    return tracking_from_rows(rows, round.anonymity_threshold)


def rounds_tracking(rounds: Iterable[Round]) -> dict[int, Tracking]:
    """The same for many rounds in one query (GROUP BY round, department, role)."""
    rounds = list(rounds)
    rows_by_round: dict[int, list[Row]] = {r.pk: [] for r in rounds}
    rows = (
        Respondent.objects.filter(round__in=rounds)
        .values_list("round_id", "department", "role")
        .annotate(**COUNTS)
        .order_by()
    )
    for round_id, department, role, invited, answered, removed in rows:
        rows_by_round[round_id].append((department, role, invited, answered, removed))
    return {r.pk: tracking_from_rows(rows_by_round[r.pk], r.anonymity_threshold) for r in rounds}
