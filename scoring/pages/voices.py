"""The why behind the numbers, on a closed round's results: comments, each side's guess of
the other, and the small-team view. Reads only the published results (scoring.results.published);
what may be shown was decided there by scoring.core.disclosure."""

from django.utils.translation import gettext as _

from scoring.advice.labels import TYPE_NAMES
from scoring.core.disclosure import (
    GUESS_TYPES,
    POOLED,
    UNKNOWN,
    comment_threshold,
    expected_types,
    prefix_formula,
)
from scoring.core.scores import DEPARTMENTS, LEADER, STAFF, RelationshipType, RoundScore
from scoring.core.scores import relationship_type as type_of
from scoring.pages.anchoring import pooled_sentence
from scoring.pages.presenters import Context, decimal, signed
from scoring.results.published import Published
from survey.core.statements import STATEMENTS
from survey.models import OPEN_QUESTION, Department

COMMENT_GROUPS = [(d, role) for d in DEPARTMENTS for role in (LEADER, STAFF)] + [(POOLED, STAFF)]


def type_name(value: str) -> str:
    return str(TYPE_NAMES[RelationshipType(value)])


def group_label(department: str, role: str) -> str:
    if department == POOLED:
        return _("Staff of both departments, as one group")
    name = Department(department).label
    if role == LEADER:
        return _("%(department)s: heads' view") % {"department": name}
    return _("%(department)s: staff") % {"department": name}


def comment_groups(result: Published, statement: int) -> list[Context]:
    groups = []
    for department, role in COMMENT_GROUPS:
        texts = result.comments.get((department, role, statement))
        if texts:
            groups.append({"label": group_label(department, role), "comments": texts})
    return groups


def comment_blocks(result: Published) -> list[Context]:
    """Per statement with comments that may be shown: its text and each group's comments."""
    blocks = []
    for number, text in STATEMENTS.items():
        if groups := comment_groups(result, number):
            blocks.append({"number": number, "text": str(text), "groups": groups})
    return blocks


def seen_as(score: RoundScore, department: str) -> tuple[str, bool] | None:
    """How `department` sees the relationship: its total's type, else its heads' view
    (True when it is the heads'), else None."""
    total, heads = score.department(department).total, score.department(department).leaders
    if total.type is not None:
        return str(TYPE_NAMES[total.type]), False
    if heads.type is not None:
        return str(TYPE_NAMES[heads.type]), True
    return None


def guess_sentence(result: Published, score: RoundScore, department: str) -> str | None:
    """ "Sales expected marketing to see the relationship as Defined; marketing sees it as
    Aligned." From the department's published guesses (its heads' view, and its staff
    when shown)."""
    counts: dict[str, int] = {}
    for role in (LEADER, STAFF):
        for guess, n in result.guesses.get((department, role), {}).items():
            counts[guess] = counts.get(guess, 0) + n
    expected = expected_types(counts)
    if not expected:
        return None
    other = next(d for d in DEPARTMENTS if d != department)
    names = {
        "who": Department(department).label,
        "other": str(Department(other).label).lower(),
        "expected": _(" or ").join(type_name(t) for t in expected),
    }
    seen = seen_as(score, other)
    if seen is None:
        return (
            _(
                "%(who)s expected %(other)s to see the relationship as %(expected)s; "
                "%(other)s has too few answers to show how it sees it."
            )
            % names
        )
    if seen[1]:
        return _(
            "%(who)s expected %(other)s to see the relationship as %(expected)s; "
            "%(other)s's heads see it as %(actual)s."
        ) % (names | {"actual": seen[0]})
    return _(
        "%(who)s expected %(other)s to see the relationship as %(expected)s; "
        "%(other)s sees it as %(actual)s."
    ) % (names | {"actual": seen[0]})


def guess_rows(result: Published) -> list[Context]:
    rows = []
    for department in DEPARTMENTS:
        for role in (LEADER, STAFF):
            counts = result.guesses.get((department, role))
            if counts is not None:
                rows.append(
                    {
                        "label": group_label(department, role),
                        "counts": [counts.get(t, 0) for t in (*GUESS_TYPES, UNKNOWN)],
                    }
                )
    return rows


def heads_rows(result: Published) -> list[Context]:
    """The two heads' views per statement, side by side, and their gap (sales - marketing)."""
    rows = []
    for number, text in STATEMENTS.items():
        sales = rating_mean(result.ratings.get(("sales", LEADER, number)))
        marketing = rating_mean(result.ratings.get(("marketing", LEADER, number)))
        if sales is None or marketing is None:
            continue
        rows.append(
            {
                "number": number,
                "text": str(text),
                "sales": decimal(sales),
                "marketing": decimal(marketing),
                "gap": signed(sales - marketing),
            }
        )
    return rows


def rating_mean(counts: tuple[int, ...] | None) -> float | None:
    if not counts or not sum(counts):
        return None
    return sum(rating * n for rating, n in enumerate(counts, start=1)) / sum(counts)


def pooled_view(result: Published) -> Context | None:
    pool = result.pooled
    if pool is None:
        return None
    mean = sum(value * n for value, n in pool.scores) / pool.respondents
    return {
        "n": pool.respondents,
        "sources": pooled_sentence(pool.hand_delivered, result.roster),
        "score": decimal(mean),
        "type_name": TYPE_NAMES[type_of(mean)],
        "rows": [
            {"number": n, "text": str(STATEMENTS[n]), "mean": decimal(rating_mean(counts) or 0)}
            for n, counts in pool.ratings.items()
        ],
    }


def heads_types(score: RoundScore) -> list[Context]:
    types = []
    for department in DEPARTMENTS:
        heads = score.department(department).leaders
        if heads.type is not None:
            label = Department(department).label
            types.append({"label": label, "type_name": TYPE_NAMES[heads.type]})
    return types


def small_team_view(result: Published, score: RoundScore) -> Context | None:
    if not result.small_team:
        return None
    return {
        "heads": heads_rows(result),
        "heads_types": heads_types(score),
        "pooled": pooled_view(result),
    }


def voices_context(result: Published, score: RoundScore) -> Context:
    """Everything the results page shows of comments, guesses and the small-team view."""
    sentences = [guess_sentence(result, score, d) for d in DEPARTMENTS]
    return {
        "voices": {
            "guess_sentences": [s for s in sentences if s],
            "guess_rows": guess_rows(result),
            "guess_headers": [type_name(t) for t in GUESS_TYPES] + [_("I don't know")],
            "comments": comment_blocks(result),
            "open_comments": comment_groups(result, OPEN_QUESTION),
            "comment_threshold": comment_threshold(result.threshold),
            "small_team": small_team_view(result, score),
        }
    }


COMMENT_HEADERS = ["department", "role", "statement", "comment"]


def comment_table(result: Published) -> tuple[list[str], list[list[object]]]:
    """The published comments, one per row: department ("pooled" for the staff of both),
    role, statement (0 for the open question) and the text, defused for spreadsheets.
    In the published random order, with no dates and no names."""
    rows: list[list[object]] = []
    for statement in (*STATEMENTS, OPEN_QUESTION):
        for department, role in COMMENT_GROUPS:
            for text in result.comments.get((department, role, statement), ()):
                rows.append([department, role, statement, prefix_formula(text)])
    return COMMENT_HEADERS, rows
