"""A round's results, published once when it closes: the only place results meet the ORM.

`publish_round` aggregates the answers in SQL (how many gave each rating, per department,
role and statement; how many have each score, per department and role), keeps only the
groups that core.visible_groups allows, and stores them in one PublishedResult row. Every
page and file of a closed round reads that row, so nothing done after the close (a late
edit, a deletion in the admin, a new respondent) moves a figure, and no output can be
subtracted from an earlier one: there is no earlier one.
"""

import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from django.db import transaction
from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
)
from django.utils import timezone

from scoring.core.disclosure import (
    POOLED,
    CommentKey,
    shown_comment_groups,
    shown_guess_groups,
    small_team,
)
from scoring.core.insights import Insights, round_insights
from scoring.core.scores import (
    DEPARTMENTS,
    LEADER,
    MAX_RATING,
    STAFF,
    STATEMENT_COUNT,
    Cell,
    RoundScore,
    ScoreCount,
    rating_cell,
    score_round,
    visible_groups,
)
from scoring.models import PublishedResult
from survey.identity.anchor import Anchor, anchor_of, independent
from survey.models import Answer, Comment, Respondent, Round, Via

GroupKey = tuple[str, str]  # department, role
Json = dict[str, Any]  # what PublishedResult's JSON fields hold
ELSEWHERE = "elsewhere"  # emailed to an address outside the company's verified domains
# Answers a leader could have shaped (survey.identity.anchor: hand-delivered), by how.
SOURCES = (Via.SCREEN.value, Via.SHARED.value, ELSEWHERE)


@dataclass(frozen=True, kw_only=True)
class Published:
    """A closed round's published figures, as the pure core reads them."""

    threshold: int
    published_at: datetime
    respondents: dict[GroupKey, int]  # per published group
    ratings: dict[tuple[str, str, int], tuple[int, ...]]  # (dept, role, statement) -> 1..5
    scores: list[ScoreCount]
    # department -> hand-delivered staff answers {"screen": n, "shared": n, "elsewhere": n}
    sources: dict[str, dict[str, int]]
    # (department or "pooled", role, statement; 0 is the open question) -> texts, in the
    # random order drawn at publishing
    comments: dict[CommentKey, tuple[str, ...]] = field(default_factory=dict)
    guesses: dict[GroupKey, dict[str, int]] = field(default_factory=dict)  # -> {type: n}
    small_team: bool = False  # some department's staff group was below k
    pooled: "PooledStaff | None" = None  # the staff of both departments, when allowed
    roster: "Roster | None" = None  # None: published before the roster was anchored

    @property
    def cells(self) -> list[Cell]:
        return [
            rating_cell(department, role, statement, counts)
            for (department, role, statement), counts in self.ratings.items()
        ]

    @cached_property
    def score(self) -> RoundScore:
        """The round scored by core from these figures: what every page and file shows."""
        return score_round(self.cells, self.threshold)


@dataclass(frozen=True, kw_only=True)
class Roster:
    """On what the threshold rested when the round was published (survey.identity.anchor)."""

    domains: tuple[str, ...]  # the verified domains; none: the leaders chose the addresses
    flags: dict[str, int]  # department -> staff who did not recognise someone in its list

    @property
    def on_leaders_word(self) -> bool:
        return not self.domains


@dataclass(frozen=True, kw_only=True)
class PooledStaff:
    """The staff of both departments as one group (scoring.core.disclosure.small_team)."""

    respondents: int
    hand_delivered: int  # of them, answers that did not count toward k
    ratings: dict[int, tuple[int, ...]]  # statement -> how many gave 1..5
    scores: list[tuple[int, int]]  # (score, how many have it)


def _key(department: str, role: str) -> str:
    return f"{department}:{role}"


def answered_rows(survey_round: Round) -> QuerySet[Respondent]:
    return Respondent.objects.filter(round=survey_round, submitted_at__isnull=False)


def group_counts(answered: QuerySet[Respondent]) -> dict[GroupKey, int]:
    rows = answered.values_list("department", "role").annotate(n=Count("id")).order_by()
    return {(d, r): n for d, r, n in rows}


def threshold_counts(answered: QuerySet[Respondent], anchor: Anchor) -> dict[GroupKey, int]:
    """What every threshold compares with k: the independent people of each staff group,
    and every head of a heads' view (heads answer as the heads' view, and know it)."""
    counts = group_counts(answered.filter(role=LEADER))
    return counts | group_counts(answered.filter(independent(anchor), role=STAFF))


def hand_delivered(answered: QuerySet[Respondent], anchor: Anchor) -> dict[str, dict[str, int]]:
    """Per department, the staff answers that did not count toward k, by how they came."""
    sources: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(SOURCES, 0))
    staff = answered.filter(role=STAFF).exclude(independent(anchor))
    for department, claimed_via, n in (
        staff.values_list("department", "claimed_via").annotate(n=Count("id")).order_by()
    ):
        how = claimed_via if claimed_via in (Via.SCREEN, Via.SHARED) else ELSEWHERE
        sources[department][how] += n
    return sources


def aggregate(survey_round: Round) -> Json:
    """The round's answers as the stored JSON, with only the groups that may be shown."""
    anchor = anchor_of(survey_round.company)
    answered = answered_rows(survey_round)
    counts = group_counts(answered)
    gate = threshold_counts(answered, anchor)
    shown = visible_groups(gate, survey_round.anonymity_threshold)
    groups: dict[str, Json] = {
        _key(d, r): {"respondents": n, "ratings": {}, "scores": []}
        for (d, r), n in counts.items()
        if (d, r) in shown
    }
    ratings = (
        Answer.objects.filter(respondent__in=answered)
        .values_list("respondent__department", "respondent__role", "statement", "rating")
        .annotate(n=Count("id"))
        .order_by()
    )
    for department, role, statement, rating, n in ratings:
        if (group := groups.get(_key(department, role))) is not None:
            row = group["ratings"].setdefault(str(statement), [0] * MAX_RATING)
            row[rating - 1] = n
    score = (
        Answer.objects.filter(respondent=OuterRef("pk"))
        .values("respondent")
        .annotate(total=Sum("rating"))
        .values("total")
    )
    scores = (
        answered.annotate(score=Subquery(score))
        .values_list("department", "role", "score")
        .annotate(n=Count("id"))
        .order_by("department", "role", "score")
    )
    for department, role, value, n in scores:
        if (group := groups.get(_key(department, role))) is not None:
            group["scores"].append([value, n])
    handed = hand_delivered(answered, anchor)
    sources = {d: handed[d] for d in DEPARTMENTS if (d, STAFF) in shown}
    voices = voices_of(survey_round, answered, gate, anchor)
    roster = {**anchor.as_json(), "flags": roster_flags(answered, shown)}
    return {"groups": groups, "sources": sources, "voices": voices, "roster": roster}


def roster_flags(answered: QuerySet[Respondent], shown: frozenset[GroupKey]) -> dict[str, int]:
    """How many staff of each shown group said they did not recognise someone in the list
    of names they were counted among (only where the company has no verified domain)."""
    flagged = answered.filter(role=STAFF, flagged_roster=True)
    return {
        department: n
        for department, n in flagged.values_list("department").annotate(n=Count("id")).order_by()
        if (department, STAFF) in shown
    }


def _scores(answered: QuerySet[Respondent]) -> list[list[int]]:
    score = (
        Answer.objects.filter(respondent=OuterRef("pk"))
        .values("respondent")
        .annotate(total=Sum("rating"))
        .values("total")
    )
    rows = answered.annotate(score=Subquery(score)).values_list("score").annotate(n=Count("id"))
    return [[value, n] for value, n in rows.order_by("score")]


def _pooled(answered: QuerySet[Respondent], anchor: Anchor) -> Json:
    """The staff of both departments together: counts per statement and rating, scores,
    and how many of them were hand-delivered (they never made the pool reach k)."""
    staff = answered.filter(role=STAFF)
    handed = staff.exclude(independent(anchor)).count()
    ratings: dict[str, list[int]] = {}
    for statement, rating, n in (
        Answer.objects.filter(respondent__in=staff)
        .values_list("statement", "rating")
        .annotate(n=Count("id"))
        .order_by()
    ):
        ratings.setdefault(str(statement), [0] * MAX_RATING)[rating - 1] = n
    return {
        "respondents": staff.count(),
        "hand_delivered": handed,
        "ratings": ratings,
        "scores": _scores(staff),
    }


def _comments(
    answered: QuerySet[Respondent],
    counts: dict[GroupKey, int],
    threshold: int,
    pooled: bool,
    anchor: Anchor,
) -> dict[str, list[str]]:
    """The comments that may be shown, keyed "department:role:statement", each group's
    texts shuffled once here so no order (of answering, of anything) survives. Staff
    comments need max(k, 5) independent commenters (`counts` counts independent staff)."""
    texts: dict[CommentKey, list[str]] = defaultdict(list)
    commenters: dict[CommentKey, int] = defaultdict(int)
    rows = (
        Comment.objects.filter(respondent__in=answered)
        .annotate(counted=ExpressionWrapper(independent(anchor, "respondent__"), BooleanField()))
        .values_list("respondent__department", "respondent__role", "statement", "text", "counted")
    )
    for department, role, statement, text, counted in rows:
        keys = [(department, role, statement)]
        if pooled and role == STAFF:
            keys.append((POOLED, STAFF, statement))
        for key in keys:
            texts[key].append(text)
            commenters[key] += 1 if counted or role == LEADER else 0
    shown = shown_comment_groups(commenters, counts, threshold)
    shuffle = random.SystemRandom().shuffle
    published = {}
    for key in sorted(shown):
        group = texts[key]
        shuffle(group)
        published[":".join(map(str, key))] = group
    return published


def voices_of(
    survey_round: Round, answered: QuerySet[Respondent], counts: dict[GroupKey, int], anchor: Anchor
) -> Json:
    """Comments, guesses and the small-team figures that scoring.core.disclosure allows;
    `counts` are the threshold counts (independent staff, every head)."""
    threshold = survey_round.anonymity_threshold
    team = small_team(counts, threshold)
    guess_groups = shown_guess_groups(counts, threshold)
    guesses: dict[str, dict[str, int]] = {}
    for department, role, guess, n in (
        answered.exclude(guess="")
        .values_list("department", "role", "guess")
        .annotate(n=Count("id"))
        .order_by()
    ):
        if (department, role) in guess_groups:
            guesses.setdefault(_key(department, role), {})[guess] = n
    return {
        "comments": _comments(answered, counts, threshold, team.pooled, anchor),
        "guesses": guesses,
        "small_team": team.active,
        "pooled": _pooled(answered, anchor) if team.pooled else None,
    }


@transaction.atomic
def publish_round(*, survey_round: Round) -> PublishedResult:
    """Publish a closed round's results once; later calls return the same row. Closing
    (survey.writes.services.close_round) calls it in the transaction that closes the round.

    The round row is locked first, so answers committed before the close are all counted
    and none can arrive during publishing (survey.writes.services.submit_answers takes a shared
    lock on the round and refuses a closed one).
    """
    list(Round.objects.select_for_update().filter(pk=survey_round.pk).values_list("pk"))
    existing = PublishedResult.objects.filter(round=survey_round).first()
    if existing is not None:
        return existing
    return PublishedResult.objects.create(
        round=survey_round,
        threshold=survey_round.anonymity_threshold,
        published_at=timezone.now(),
        **aggregate(survey_round),
    )


def read(row: PublishedResult) -> Published:
    respondents, ratings, scores = {}, {}, []
    for key, group in row.groups.items():
        department, role = key.split(":")
        respondents[department, role] = group["respondents"]
        for statement, counts in group["ratings"].items():
            ratings[department, role, int(statement)] = tuple(counts)
        scores += [
            ScoreCount(department=department, role=role, score=value, respondents=n)
            for value, n in group["scores"]
        ]
    voices = row.voices or {}
    comments = {}
    for key, texts in voices.get("comments", {}).items():
        department, role, statement = key.split(":")
        comments[department, role, int(statement)] = tuple(texts)
    guesses: dict[GroupKey, dict[str, int]] = {}
    for key, n in voices.get("guesses", {}).items():
        department, role = key.split(":")
        guesses[department, role] = dict(n)
    pool = voices.get("pooled")
    roster = row.roster
    return Published(
        threshold=row.threshold,
        published_at=row.published_at,
        respondents=respondents,
        ratings=dict(sorted(ratings.items())),
        scores=scores,
        sources=row.sources,
        comments=comments,
        guesses=guesses,
        small_team=bool(voices.get("small_team")),
        pooled=None
        if pool is None
        else PooledStaff(
            respondents=pool["respondents"],
            hand_delivered=pool.get("hand_delivered", 0),
            ratings={
                int(s): tuple(c)
                for s, c in sorted(pool["ratings"].items(), key=lambda i: int(i[0]))
            },
            scores=[(value, n) for value, n in pool["scores"]],
        ),
        roster=None
        if roster is None
        else Roster(domains=tuple(roster["domains"]), flags=dict(roster["flags"])),
    )


def published(survey_round: Round) -> Published | None:
    """The round's published results, or None until it is closed."""
    return published_by_round([survey_round]).get(survey_round.pk)


def published_by_round(rounds: Sequence[Round]) -> dict[int, Published]:
    """The published results of the closed ones among `rounds`, in one query. A round
    closed without them (closed before publishing existed) is published now. A round past
    its close date is closed by survey.writes.services.close_due first."""
    closed = [r for r in rounds if r.closed_at is not None]
    rows = {row.round_id: row for row in PublishedResult.objects.filter(round__in=closed)}
    for survey_round in closed:
        if survey_round.pk not in rows:
            rows[survey_round.pk] = publish_round(survey_round=survey_round)
    return {round_id: read(row) for round_id, row in rows.items()}


def distribution_rows(result: Published) -> Iterable[tuple[str, str, int, tuple[int, ...]]]:
    """(department, role, statement, counts of ratings 1..5) of every published group."""
    for department, role in sorted(result.respondents, key=lambda k: (k[0], k[1] != LEADER)):
        for statement in range(1, STATEMENT_COUNT + 1):
            counts = result.ratings.get((department, role, statement))
            if counts is not None:
                yield department, role, statement, counts


@dataclass(frozen=True, kw_only=True)
class RoundResults:
    """A closed round's published results, scored once for the page that shows them."""

    round: Round
    published: Published
    score: RoundScore
    insights: Insights


def results_of(survey_round: Round) -> RoundResults | None:
    """The round's published results scored by core and insights; None until it closes."""
    result = published(survey_round)
    if result is None:
        return None
    return RoundResults(
        round=survey_round,
        published=result,
        score=result.score,
        insights=round_insights(result.cells, result.scores, result.threshold),
    )
