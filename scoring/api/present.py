"""The API's presenter: a round's published results (scoring.results.published.RoundResults)
as JSON-ready dicts, beside scoring.pages (the same results as HTML contexts).

One read path, two renderers: the results start from summary.json's own serializer
(scoring.files.exports.summary_json) and add what the tabs show from the same presenters'
inputs (insights, voices, trends), rounded by the one rule (scoring.core.rounding). Nothing
here computes a figure the pages do not show; what the published results hide (groups
below k, comments below max(k, 5)) is not in them to begin with.
"""

from typing import Any

from scoring.core.disclosure import comment_threshold
from scoring.core.scores import DEPARTMENTS, LEADER, relationship_type
from scoring.core.stats import Interval
from scoring.core.trends import trend_point
from scoring.files.exports import shown, summary_json
from scoring.models import PlannedAction
from scoring.pages.guide_plan import ordered_actions, trends_from
from scoring.pages.voices import COMMENT_GROUPS, rating_mean
from scoring.results.published import Published, RoundResults
from survey.core.statements import STATEMENTS
from survey.models import OPEN_QUESTION, Round
from survey.reads.tracking import Tracking

Json = dict[str, Any]


def interval(found: Interval | None) -> Json | None:
    if found is None:
        return None
    return {"low": shown(found.low), "high": shown(found.high)}


def round_json(survey_round: Round, tracking: Tracking, results_url: str | None) -> Json:
    """A round as its page shows it: dates, k, and the counts the page may show."""
    return {
        "id": survey_round.pk,
        "title": survey_round.title,
        "status": "closed" if survey_round.closed_at else "open",
        "opened": survey_round.opened_at.date(),
        "closes": survey_round.closes_at.date() if survey_round.closes_at else None,
        "closed": survey_round.closed_at.date() if survey_round.closed_at else None,
        "anonymity_threshold": survey_round.anonymity_threshold,
        "invited": tracking.invited,
        "answered": tracking.answered,
        "response_rate": tracking.rate,
        "results_url": results_url,
    }


def results_json(results: RoundResults) -> Json:
    """Every figure of a closed round's overview and tabs."""
    score, insights, published = results.score, results.insights, results.published
    found = summary_json(results.round, score, published)
    for name in DEPARTMENTS:
        total = insights.groups.get((name, "total"))
        department = found["departments"][name]  # type: ignore[index]
        department["sd"] = shown(total.summary.sd) if total else None
        department["interval"] = interval(total.interval) if total else None
    found["statements"] = [
        {
            "number": row.statement,
            "text": str(STATEMENTS[row.statement]),
            "sales_mean": shown(row.sales.mean),
            "marketing_mean": shown(row.marketing.mean),
            "gap": shown(row.gap),
            "sales_sd": shown(row.sales.sd),
            "marketing_sd": shown(row.marketing.sd),
            "large_gap": row.large_gap,
            "check_facts": row.check_facts,
        }
        for row in insights.statements
    ]
    return found | {
        "comment_threshold": comment_threshold(score.threshold),
        "combined_interval": interval(insights.combined_interval),
        "gap_interval": interval(insights.gap_interval),
        "spread": [
            {
                "department": department,
                "role": role,
                "n": group.summary.n,
                "mean": shown(group.summary.mean),
                "sd": shown(group.summary.sd),
                "interval": interval(group.interval),
                "histogram": [list(bar) for bar in group.histogram],
            }
            for (department, role), group in sorted(insights.groups.items())
        ],
        "comments": comments_json(published),
        "guesses": [
            {"department": department, "role": role, "counts": dict(sorted(counts.items()))}
            for (department, role), counts in sorted(published.guesses.items())
        ],
        "small_team": small_team_json(results),
    }


def comments_json(published: Published) -> list[Json]:
    """The published comments in the pages' order: by statement, the open question last."""
    return [
        {"department": department, "role": role, "statement": statement, "text": text}
        for statement in (*STATEMENTS, OPEN_QUESTION)
        for department, role in COMMENT_GROUPS
        for text in published.comments.get((department, role, statement), ())
    ]


def small_team_json(results: RoundResults) -> Json | None:
    """The heads side by side and the pooled staff (scoring.pages.voices.small_team_view)."""
    published = results.published
    if not published.small_team:
        return None
    heads = []
    for number in STATEMENTS:
        sales = rating_mean(published.ratings.get(("sales", LEADER, number)))
        marketing = rating_mean(published.ratings.get(("marketing", LEADER, number)))
        if sales is not None and marketing is not None:
            heads.append(
                {
                    "number": number,
                    "sales": shown(sales),
                    "marketing": shown(marketing),
                    "gap": shown(sales - marketing),
                }
            )
    types = {
        name: results.score.department(name).leaders.type.value  # type: ignore[union-attr]
        for name in DEPARTMENTS
        if results.score.department(name).leaders.type is not None
    }
    return {"heads": heads, "heads_types": types, "pooled": pooled_json(published)}


def pooled_json(published: Published) -> Json | None:
    pool = published.pooled
    if pool is None:
        return None
    mean = sum(value * n for value, n in pool.scores) / pool.respondents
    return {
        "respondents": pool.respondents,
        "hand_delivered": pool.hand_delivered if published.roster is not None else None,
        "score": shown(mean),
        "type": relationship_type(mean).value,
        "statements": [
            {"number": n, "mean": shown(rating_mean(counts) or 0)}
            for n, counts in pool.ratings.items()
        ],
    }


def trends_json(history: list[tuple[Round, Published]]) -> Json:
    """The trends tab's figures: each closed round's point (scoring.core.trends.trend_point,
    as the chart draws it) and the statement changes the tab lists (trends_from)."""
    context = trends_from(history)
    points = [(r, trend_point(r.title, p.score)) for r, p in history]
    return {
        "rounds": context["rounds"],
        "points": [
            {
                "round": r.pk,
                "title": point.label,
                "combined": shown(point.combined),
                "sales": shown(point.sales),
                "marketing": shown(point.marketing),
                "gap": shown(point.gap),
            }
            for r, point in points
        ],
        "changes": [
            {
                "statement": row["change"].statement,
                "previous_gap": row["previous"],
                "current_gap": row["current"],
                "direction": row["change"].direction,
            }
            for row in context.get("changes", [])
        ],
    }


def actions_json(survey_round: Round, actions: list[PlannedAction]) -> Json:
    """The plan page's actions (scoring.results.reads.actions_of), in its order."""
    return {
        "round": survey_round.pk,
        "items": [
            {
                "id": a.pk,
                "round": a.round_id,
                "title": a.display_title,
                "playbook_key": a.playbook_key,
                "owner": a.owner,
                "due_date": a.due_date,
                "status": a.status,
                "updated_at": a.updated_at,
            }
            for a in ordered_actions(actions)
        ],
    }
