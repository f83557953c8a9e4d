"""Did the gap close on an action's statements? Each earlier round's actions, read in a
later closed round.

An action is planned from one closed round's results (its `round`); a later closed round
shows, for each statement the action works on, whether the gap between the departments
closed, stayed about the same or widened since, by the trend labels' rule
(trends.gap_change: only a change larger than the noise of the two rounds counts). No
summary verdict per action beyond counting the statements: the rule is per statement.
"""

from dataclasses import dataclass

from scoring.core.insights import StatementInsight, compared_statements
from scoring.core.trends import ABOUT_THE_SAME, CLOSED, WIDENED, StatementChange, gap_change
from scoring.models import PlannedAction
from scoring.pages.presenters import one_decimal
from scoring.results.history import published_until
from scoring.results.published import Published
from survey.core.statements import STATEMENTS
from survey.models import Round

DIRECTIONS = (CLOSED, ABOUT_THE_SAME, WIDENED)


def action_statements(action: PlannedAction) -> list[int]:
    """The statements the product suggests the action works on: the one the workshop
    agreed it on first, then its playbook action's."""
    numbers = list(action.playbook_action.statements) if action.playbook_action else []
    agreement = getattr(action, "agreement", None)
    if agreement is not None and agreement.statement not in numbers:
        numbers.insert(0, agreement.statement)
    return numbers


@dataclass(frozen=True, kw_only=True)
class StatementGap:
    statement: int
    text: str
    change: StatementChange | None  # None: a round does not show both departments
    previous: float | None
    current: float | None


@dataclass(frozen=True, kw_only=True)
class ActionGaps:
    action: PlannedAction
    since: Round
    statements: list[StatementGap]

    @property
    def counts(self) -> dict[str, int]:
        """How many of its statements closed, stayed about the same, widened."""
        directions = [s.change.direction for s in self.statements if s.change is not None]
        return {d: directions.count(d) for d in DIRECTIONS}

    @property
    def compared(self) -> bool:
        return any(s.change is not None for s in self.statements)


def _insights(result: Published) -> dict[int, StatementInsight]:
    return {row.statement: row for row in compared_statements(result.cells, result.score)}


def action_gaps(
    actions: list[PlannedAction], survey_round: Round, history: list[tuple[Round, Published]]
) -> list[ActionGaps]:
    """For each action planned in an earlier closed round of `history` (published_until
    the closed `survey_round`), its statements' gaps then and in `survey_round`."""
    published = {r.pk: (r, p) for r, p in history}
    if survey_round.pk not in published:
        return []
    now = _insights(published[survey_round.pk][1])
    rows = []
    for action in actions:
        if action.round_id == survey_round.pk or action.round_id not in published:
            continue
        since, result = published[action.round_id]
        before = _insights(result)
        statements = []
        for number in action_statements(action):
            compared = number in before and number in now
            statements.append(
                StatementGap(
                    statement=number,
                    text=str(STATEMENTS[number]),
                    change=gap_change(before[number], now[number], shown=one_decimal)
                    if compared
                    else None,
                    previous=one_decimal(before[number].gap) if compared else None,
                    current=one_decimal(now[number].gap) if compared else None,
                )
            )
        rows.append(ActionGaps(action=action, since=since, statements=statements))
    return rows


def earlier_actions(survey_round: Round) -> list[PlannedAction]:
    """Every action planned in the company's closed rounds before `survey_round`, done or
    not: a done action is the one whose effect the later round can show."""
    return list(
        PlannedAction.objects.filter(
            company_id=survey_round.company_id,
            round__opened_at__lt=survey_round.opened_at,
            round__closed_at__isnull=False,
        )
        .select_related("round", "agreement")
        .order_by("round__opened_at", "pk")
    )


def gaps_in(survey_round: Round) -> list[ActionGaps]:
    """What a closed round shows of the earlier rounds' actions; nothing for an open one."""
    if survey_round.closed_at is None:
        return []
    return action_gaps(earlier_actions(survey_round), survey_round, published_until(survey_round))


def gaps_of(action: PlannedAction, survey_round: Round) -> ActionGaps | None:
    """One action's statements read in a later closed round, or None."""
    if survey_round.closed_at is None or action.round_id == survey_round.pk:
        return None
    rows = action_gaps([action], survey_round, published_until(survey_round))
    return rows[0] if rows else None
