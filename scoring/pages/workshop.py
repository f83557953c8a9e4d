"""The workshop of a closed round, slide by slide: what the two heads show the room.

An opening slide (combined level, each department, the gap in one sentence), one slide per
statement in order of gap (how many in each department gave each rating, both means, the
discussion prompts, what the room agreed), and a closing slide with the agreements. Reads
only the published figures and the agreements it is given; no database.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from scoring.advice.labels import TYPE_NAMES
from scoring.advice.prompts import CAUSE_NAMES, prompts_for
from scoring.core.scores import (
    DEPARTMENTS,
    LEADER,
    MAX_RATING,
    STAFF,
    STATEMENT_COUNT,
    RoundScore,
)
from scoring.models import WorkshopAgreement
from scoring.pages.presenters import Context, decimal, gap_sentence, statement_gap_sentence
from scoring.pages.voices import comment_groups
from scoring.results.published import Published
from survey.core.statements import STATEMENTS
from survey.models import Department

BAR = 40  # the height of a rating's bar at 100%


@dataclass(frozen=True, kw_only=True)
class RatingCount:
    rating: int
    count: int
    percent: int  # of the department's answers to the statement, for the bar's length

    @property
    def bar_height(self) -> int:
        """The bar's height in a 40-unit-high box, in proportion to the percentage."""
        return round(BAR * self.percent / 100)

    @property
    def bar_top(self) -> int:
        return BAR - self.bar_height


@dataclass(frozen=True, kw_only=True)
class DepartmentRatings:
    """How one department rated one statement; `counts` is empty when it is not shown."""

    key: str
    name: str
    counts: tuple[RatingCount, ...]
    respondents: int
    mean: str | None


@dataclass(frozen=True, kw_only=True)
class StatementSlide:
    number: int
    text: str
    departments: tuple[DepartmentRatings, ...]
    gap: str | None  # the statement's gap in one sentence, when both departments are shown
    prompts: tuple[tuple[str, str], ...]  # (cause, prompt)
    comments: list[Context]  # the published comments on it, per group (scoring.pages.voices)
    agreement: str


@dataclass(frozen=True, kw_only=True)
class SlideNav:
    """Where a slide sits in the deck, and the anchors of its neighbours."""

    id: str
    position: int
    count: int
    previous: str | None
    next: str | None


@dataclass(frozen=True, kw_only=True)
class DepartmentLevel:
    key: str
    name: str
    score: str | None
    type_name: str | None


@dataclass(frozen=True, kw_only=True)
class Opening:
    combined: str | None
    combined_type: str | None
    departments: tuple[DepartmentLevel, ...]
    gap: str


def department_name(key: str) -> str:
    return str(Department(key).label)


def department_counts(result: Published, department: str, statement: int) -> tuple[int, ...]:
    """Heads and staff together, how many gave each rating 1..5 to `statement`."""
    counts = [0] * MAX_RATING
    for role in (LEADER, STAFF):
        for index, n in enumerate(result.ratings.get((department, role, statement), ())):
            counts[index] += n
    return tuple(counts)


def department_ratings(
    result: Published, score: RoundScore, department: str, statement: int
) -> DepartmentRatings:
    """A department's counts, only where its total may be shown (its staff group is)."""
    total = score.department(department).total
    mean = total.statement_means.get(statement)
    if not total.shown or mean is None:
        return DepartmentRatings(
            key=department, name=department_name(department), counts=(), respondents=0, mean=None
        )
    counts = department_counts(result, department, statement)
    answered = sum(counts)
    return DepartmentRatings(
        key=department,
        name=department_name(department),
        counts=tuple(
            RatingCount(rating=r, count=n, percent=round(100 * n / answered) if answered else 0)
            for r, n in enumerate(counts, start=1)
        ),
        respondents=answered,
        mean=decimal(mean),
    )


def statement_order(score: RoundScore) -> tuple[int, ...]:
    """Largest gap first when the departments can be compared, else in number order."""
    if score.statement_gaps:
        ranked = tuple(g.statement for g in score.statement_gaps)
        return ranked + tuple(n for n in range(1, STATEMENT_COUNT + 1) if n not in ranked)
    return tuple(range(1, STATEMENT_COUNT + 1))


def statement_slides(
    result: Published, score: RoundScore, agreements: Mapping[int, str]
) -> tuple[StatementSlide, ...]:
    gaps = {g.statement: g.gap for g in score.statement_gaps}
    return tuple(
        StatementSlide(
            number=n,
            text=str(STATEMENTS[n]),
            departments=tuple(department_ratings(result, score, d, n) for d in DEPARTMENTS),
            gap=statement_gap_sentence(gaps[n]) if n in gaps else None,
            prompts=tuple((str(CAUSE_NAMES[p.cause]), str(p.text)) for p in prompts_for(n)),
            comments=comment_groups(result, n),
            agreement=agreements.get(n, ""),
        )
        for n in statement_order(score)
    )


def opening(score: RoundScore) -> Opening:
    departments = []
    for key in DEPARTMENTS:
        total = score.department(key).total
        departments.append(
            DepartmentLevel(
                key=key,
                name=department_name(key),
                score=decimal(total.score) if total.score is not None else None,
                type_name=str(TYPE_NAMES[total.type]) if total.type is not None else None,
            )
        )
    combined_type = score.combined_type
    if score.gap is None:
        gap = _(
            "The two departments cannot be compared: one of them has fewer than %(k)s staff "
            "answers, so its figures stay hidden."
        ) % {"k": score.threshold}
    else:
        gap = gap_sentence(score.gap)
    return Opening(
        combined=decimal(score.combined_level) if score.combined_level is not None else None,
        combined_type=str(TYPE_NAMES[combined_type]) if combined_type else None,
        departments=tuple(departments),
        gap=gap,
    )


def workshop_context(
    result: Published, score: RoundScore, agreements: Mapping[int, WorkshopAgreement]
) -> Context:
    """The slides of the workshop: opening, statements in order of gap, closing (the
    agreements in the order of their slides). `agreements` maps statement numbers to the
    round's agreements, their actions already fetched."""
    texts = {number: agreement.text for number, agreement in agreements.items()}
    statements = statement_slides(result, score, texts)
    ids = ["slide-opening", *(f"slide-statement-{s.number}" for s in statements), "slide-closing"]
    navs = [
        SlideNav(
            id=slide_id,
            position=index + 1,
            count=len(ids),
            previous=ids[index - 1] if index > 0 else None,
            next=ids[index + 1] if index + 1 < len(ids) else None,
        )
        for index, slide_id in enumerate(ids)
    ]
    return {
        "opening": opening(score),
        "opening_nav": navs[0],
        "statements": list(zip(statements, navs[1:-1], strict=True)),
        "closing_nav": navs[-1],
        "agreed": [agreements[s.number] for s in statements if s.number in agreements],
        "ratings": range(1, MAX_RATING + 1),
        "threshold": score.threshold,
    }
