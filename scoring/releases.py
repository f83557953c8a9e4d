"""Publishing a round's figures: a group's figures change only when the group is released.

Respondents may change their answers until a round closes, and answers are overwritten in
place. Figures computed from the current answers would move by exactly one person's change
whenever a counted person edits, so every page and file of a round reads the published
figures in scoring.models.GroupRelease instead, and this module publishes them by the rule
of core.release_step: newcomers in whole batches of k (heads at once), and changes to
counted answers only when at least k counted people of the group have changed theirs
(heads at once). Between releases the figures stay exactly as released, whoever edits.

`current_releases` is all the pages need. When nothing was submitted or changed since the
last look it costs two small queries (the releases, and each group's count and latest
change). Otherwise it publishes inside one transaction that locks the rounds concerned, so
concurrent viewers publish one after the other and never twice; the unique constraint on
(round, department, role) backs that up. Publishing reads the answers of the people who
are new or changed, not every answer, and updates the sums by their rows.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from scoring.core import STATEMENT_COUNT, release_step
from scoring.models import GroupRelease
from survey.models import Answer, Respondent, Round

Key = tuple[int, str, str]  # round id, department, role
State = tuple[int, datetime | None]  # submitted respondents, latest change
Person = tuple[int, datetime | None]  # respondent id, updated_at
READ_CHUNK = 5000  # respondent ids per query, well under SQLite's 32,766 parameters
LATE_COMMIT = timedelta(minutes=1)  # longer than a submission takes to commit
UPDATED = [
    "respondents",
    "cells",
    "scores",
    "people",
    "unsettled",
    "answered",
    "changed",
    "pending",
]


def key_of(release: GroupRelease) -> Key:
    return release.round_id, release.department, release.role


def version(updated_at: datetime | None) -> str:
    return updated_at.isoformat() if updated_at else ""


def group_states(rounds: Iterable[Round]) -> dict[Key, State]:
    """Per group: how many have submitted, and the latest submission or change."""
    rows = (
        Respondent.objects.filter(round__in=rounds, submitted_at__isnull=False)
        .values_list("round", "department", "role")
        .annotate(n=Count("id"), changed=Max("updated_at"))
        .order_by()
    )
    return {(r, d, role): (n, changed) for r, d, role, n, changed in rows}


def current_releases(
    rounds: Sequence[Round],
) -> tuple[dict[Key, GroupRelease], dict[Key, State]]:
    """The rounds' published groups, first released where due, and each group's state.

    A group is looked at again only when its count or latest change differs from the ones
    recorded at the last look. The releases come without `people`, which only publishing
    and the answers file need.
    """
    releases = {key_of(r): r for r in GroupRelease.objects.filter(round__in=rounds).defer("people")}
    states = group_states(rounds)
    stale = {
        key
        for key in releases.keys() | states.keys()
        if key not in releases
        or (releases[key].answered, releases[key].changed) != states.get(key, (0, None))
    }
    if stale:
        published, fresh = publish(stale, {r.pk: r for r in rounds})
        releases |= published
        states = {k: s for k, s in states.items() if k not in stale} | fresh
    return releases, states


@transaction.atomic
def publish(
    stale: set[Key], rounds: dict[int, Round]
) -> tuple[dict[Key, GroupRelease], dict[Key, State]]:
    """Bring the `stale` groups' releases up to date; their new releases and states."""
    round_ids = sorted({round_id for round_id, _, _ in stale})
    # One publisher per round at a time (on SQLite the IMMEDIATE transaction does this).
    list(Round.objects.select_for_update().filter(pk__in=round_ids).values_list("pk"))
    existing = {
        key_of(r): r for r in GroupRelease.objects.filter(round__in=round_ids) if key_of(r) in stale
    }
    states = {key: state for key, state in group_states(rounds.values()).items() if key in stale}
    partly = {key: existing[key] for key in stale if partial(existing.get(key))}
    people = submitted_people({key: partly.get(key) for key in stale})
    unseen = {key for key, release in partly.items() if not all_seen(release, people[key], states)}
    if unseen:  # someone was deleted, or committed long after submitting: read them all
        people |= submitted_people({key: None for key in unseen})
    to_read = {i for key in stale for i in to_look_at(existing.get(key), people[key])}
    ratings = read_ratings(to_read)
    now = timezone.now()
    new = [
        released(
            key,
            existing.get(key),
            Seen(people[key], whole=key not in partly or key in unseen),
            states.get(key, (0, None)),
            ratings,
            rounds[key[0]],
            now,
        )
        for key in sorted(stale)
    ]
    GroupRelease.objects.bulk_create(
        new,
        update_conflicts=True,
        unique_fields=["round", "department", "role"],
        update_fields=[*UPDATED, "released_at"],
    )
    return {key_of(r): r for r in new}, states


def submitted_people(groups: dict[Key, GroupRelease | None]) -> dict[Key, list[Person]]:
    """Submitted respondents of each group in the order they first submitted: all of them
    for a group without a release, else only those the release may not show as they stand:
    the ones it left unsettled, and anyone who submitted or changed since shortly before
    the last look (LATE_COMMIT allows for slow commits)."""
    which = []
    for (round_id, department, role), release in groups.items():
        group = Q(round=round_id, department=department, role=role)
        if partial(release):
            assert release is not None and release.changed is not None
            since = release.changed - LATE_COMMIT
            group &= Q(updated_at__gt=since) | Q(updated_at=None) | Q(pk__in=release.unsettled)
        which.append(group)
    rows = (
        Respondent.objects.filter(reduce(or_, which), submitted_at__isnull=False)
        .order_by("submitted_at", "id")
        .values_list("round", "department", "role", "id", "updated_at")
    )
    people: dict[Key, list[Person]] = defaultdict(list)
    for round_id, department, role, pk, updated_at in rows:
        people[round_id, department, role].append((pk, updated_at))
    return people


def partial(release: GroupRelease | None) -> bool:
    """Whether a group can be read in part: it has a release that saw a change time."""
    return release is not None and release.changed is not None


def all_seen(release: GroupRelease, people: list[Person], states: dict[Key, State]) -> bool:
    """Whether the counted and the people read are exactly the group's submitted people
    (the count tells: a deletion or a very late commit makes it differ)."""
    known = set(map(int, release.people)) | {pk for pk, _ in people}
    return len(known) == states.get(key_of(release), (0, None))[0]


def to_look_at(release: GroupRelease | None, people: list[Person]) -> list[int]:
    """Whose answers publishing needs: the not yet counted, and the counted who changed."""
    published = release.people if release else {}
    return [
        pk
        for pk, updated_at in people
        if str(pk) not in published or published[str(pk)][1] != version(updated_at)
    ]


def read_ratings(ids: set[int]) -> dict[int, str]:
    """Each respondent's 20 ratings as digits ("34512..."); incomplete sets are left out."""
    answers: dict[int, dict[int, int]] = defaultdict(dict)
    ordered = sorted(ids)
    for start in range(0, len(ordered), READ_CHUNK):
        rows = Answer.objects.filter(respondent_id__in=ordered[start : start + READ_CHUNK])
        for pk, statement, rating in rows.values_list("respondent_id", "statement", "rating"):
            answers[pk][statement] = rating
    numbers = range(1, STATEMENT_COUNT + 1)
    return {
        pk: "".join(str(found[n]) for n in numbers)
        for pk, found in answers.items()
        if len(found) == STATEMENT_COUNT
    }


@dataclass(frozen=True)
class Seen:
    """The people of a group read for a release: `whole` when they are all its people."""

    people: list[Person]
    whole: bool


def released(
    key: Key,
    release: GroupRelease | None,
    seen: Seen,
    state: State,
    ratings: dict[int, str],
    round: Round,
    now: datetime,
) -> GroupRelease:
    """The group's release after applying core.release_step to who is new or changed.

    A counted person who submitted the same answers again is simply marked as read. A
    counted respondent who no longer exists (deleted by an administrator, e.g. on request)
    leaves the figures at once: their answers must not outlive them.
    """
    published: dict[str, list[str]] = dict(release.people) if release else {}
    tally = Tally.of(release)
    present = {str(pk): updated_at for pk, updated_at in seen.people}
    gone = [pk for pk in published if pk not in present] if seen.whole else []
    for pk in gone:
        tally.add(published.pop(pk)[0], -1)
    waiting, changed, unread = [], [], []
    for pk, updated_at in seen.people:
        entry = published.get(str(pk))
        if entry and entry[1] == version(updated_at):
            continue
        if pk not in ratings:
            unread.append(pk)  # answers incomplete: look again next time
        elif entry is None:
            waiting.append(pk)
        elif entry[0] == ratings[pk]:
            entry[1] = version(updated_at)
        else:
            changed.append(pk)
    step = release_step(waiting, changed, role=key[2], threshold=round.anonymity_threshold)
    for pk in step.republish:
        tally.add(published[str(pk)][0], -1)
    for pk in (*step.republish, *step.publish):
        published[str(pk)] = [ratings[pk], version(present[str(pk)])]
        tally.add(ratings[pk], 1)
    settled = {*step.publish, *step.republish}
    moved = bool(gone or settled)
    return GroupRelease(
        round_id=key[0],
        department=key[1],
        role=key[2],
        respondents=len(published),
        cells=tally.cells_rows(),
        scores=tally.scores_rows(),
        people=published,
        unsettled=[pk for pk in (*waiting, *changed, *unread) if pk not in settled],
        answered=state[0],
        changed=state[1],
        pending=step.pending,
        released_at=now if moved else release.released_at if release else None,
    )


@dataclass
class Tally:
    """A group's sums, updated one published row at a time (exact integers)."""

    cells: dict[int, list[int]]  # statement -> [n, sum, sum of squares]
    scores: dict[int, int]  # score -> n

    @classmethod
    def of(cls, release: GroupRelease | None) -> "Tally":
        if release is None:
            return cls({}, {})
        return cls(
            {s: [n, total, squares] for s, n, total, squares in release.cells},
            {score: n for score, n in release.scores},
        )

    def add(self, digits: str, sign: int) -> None:
        """Add (sign 1) or remove (sign -1) one person's ratings."""
        for statement, rating in enumerate(map(int, digits), start=1):
            cell = self.cells.setdefault(statement, [0, 0, 0])
            cell[0] += sign
            cell[1] += sign * rating
            cell[2] += sign * rating * rating
        score = sum(map(int, digits))
        self.scores[score] = self.scores.get(score, 0) + sign

    def cells_rows(self) -> list[list[int]]:
        return [[s, *self.cells[s]] for s in sorted(self.cells) if self.cells[s][0]]

    def scores_rows(self) -> list[list[int]]:
        return [[score, n] for score, n in sorted(self.scores.items()) if n]
