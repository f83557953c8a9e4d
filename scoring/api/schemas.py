"""What the API answers, field by field, each described in English (the OpenAPI schema's
descriptions come from here). Figures are rounded as the pages show them: one decimal
(scoring.core.rounding.PAGE). A group the pages do not show has no count, score or type."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

Department = Literal["sales", "marketing"]
RoleName = Literal["leader", "staff"]
TypeName = Literal["undefined", "defined", "aligned", "integrated"]
RoundStatus = Literal["open", "closed"]


class Problem(Schema):
    """An error, as RFC 9457 problem details."""

    type: str = Field(description="A URI naming the kind of problem; about:blank for plain HTTP.")
    title: str = Field(description="A short summary of the kind of problem, in English.")
    status: int = Field(description="The HTTP status code of this response.")
    detail: str = Field(description="What went wrong with this request, in English.")
    instance: str = Field(description="The path of the request that failed.")


class CompanyOut(Schema):
    """The company the token belongs to."""

    slug: str = Field(description="The company's short name in URLs.")
    name: str = Field(description="The company's name.")
    anonymity_threshold: int = Field(
        description="k for new rounds: staff groups smaller than this are never shown."
    )
    scopes: list[str] = Field(description="What the token used for this request may read.")


class RoundOut(Schema):
    """A round of the survey, as the round page shows it."""

    id: int = Field(description="The round's number, used in its URLs.")
    title: str = Field(description="The round's title.")
    status: RoundStatus = Field(description="open: answers are coming in; closed: published.")
    opened: date = Field(description="The day the round opened.")
    closes: date | None = Field(description="The close date the leaders set, if any.")
    closed: date | None = Field(description="The day the round closed, if it has.")
    anonymity_threshold: int = Field(description="k: the smallest staff group shown.")
    invited: int | None = Field(
        description="People invited; null while some staff group is too small to be counted."
    )
    answered: int | None = Field(
        description="People who answered, counted as the round page counts them; null when hidden."
    )
    response_rate: int | None = Field(
        description="Answered as a whole percentage of invited; null when the page hides it."
    )
    results_url: str | None = Field(description="Where its published results are, once closed.")


class RoundPage(Schema):
    """One page of rounds, newest first."""

    count: int = Field(description="How many rounds match the filters, on every page.")
    limit: int = Field(description="At most this many rounds per page.")
    offset: int = Field(description="How many matching rounds come before this page.")
    next: str | None = Field(description="The next page's URL, if there is one.")
    previous: str | None = Field(description="The previous page's URL, if there is one.")
    items: list[RoundOut] = Field(description="The rounds of this page.")


class RoundRef(Schema):
    """Which round the results are of, and when they were published."""

    id: int = Field(description="The round's number.")
    title: str = Field(description="The round's title.")
    opened: date = Field(description="The day the round opened.")
    closed: date | None = Field(description="The day the round closed.")
    published: date = Field(description="The day its results were published.")
    published_at: str = Field(
        description="When its results were published, to the second (ISO 8601, with its offset)."
    )


class Interval(Schema):
    """A 95% interval, rounded to one decimal."""

    low: float = Field(description="Its lower end.")
    high: float = Field(description="Its upper end.")


class Group(Schema):
    """One group's score (20 to 100); a hidden group has only shown = false."""

    shown: bool = Field(description="Whether the pages show this group (enough people answered).")
    respondents: int | None = Field(description="How many answered in it; null when hidden.")
    score: float | None = Field(description="Its mean score, 20 to 100; null when hidden.")
    type: TypeName | None = Field(description="The relationship type its score falls in.")


class DepartmentOut(Schema):
    """A department: everyone, its head(s) and its staff."""

    total: Group = Field(description="Everyone in the department who is shown.")
    leaders: Group = Field(description="The department's head(s): the heads' view.")
    staff: Group = Field(description="The department's staff.")
    sd: float | None = Field(description="Standard deviation of the department's scores.")
    interval: Interval | None = Field(description="95% interval of the department's score.")


class Departments(Schema):
    """Both departments."""

    sales: DepartmentOut = Field(description="The sales department.")
    marketing: DepartmentOut = Field(description="The marketing department.")


class StatementOut(Schema):
    """One of the 20 statements: how each department rated it (1 to 5), largest gap first."""

    number: int = Field(description="The statement's number, 1 to 20.")
    text: str = Field(description="The statement, in the language the request asked for.")
    sales_mean: float | None = Field(description="Sales' mean rating, 1 to 5.")
    marketing_mean: float | None = Field(description="Marketing's mean rating, 1 to 5.")
    gap: float | None = Field(description="Sales' mean minus marketing's.")
    sales_sd: float | None = Field(description="Standard deviation of sales' ratings.")
    marketing_sd: float | None = Field(description="Standard deviation of marketing's ratings.")
    large_gap: bool = Field(description="The pages flag the gap as large (over one point).")
    check_facts: bool = Field(description="A statement of fact: the pages say to check it.")


class SpreadOut(Schema):
    """How a shown group's scores spread (the spread tab)."""

    department: Department = Field(description="The group's department.")
    role: Literal["leader", "staff", "total"] = Field(description="Heads, staff or everyone.")
    n: int = Field(description="How many scores.")
    mean: float = Field(description="Their mean, 20 to 100.")
    sd: float | None = Field(description="Their standard deviation; null below two scores.")
    interval: Interval | None = Field(description="95% interval of the mean.")
    histogram: list[list[int]] = Field(description="[score, how many have it], by score.")


class CommentOut(Schema):
    """A comment the pages show (groups with at least max(k, 5) comments on a statement)."""

    department: Literal["sales", "marketing", "pooled"] = Field(
        description="Its department; pooled: the staff of both departments."
    )
    role: RoleName = Field(description="Heads or staff.")
    statement: int = Field(description="The statement, 1 to 20; 0 is the open question.")
    text: str = Field(description="The comment, as written, in the published random order.")


class GuessOut(Schema):
    """What a group expected the other department to answer (the guesses)."""

    department: Department = Field(description="The group's department.")
    role: RoleName = Field(description="Heads or staff.")
    counts: dict[str, int] = Field(description="How many expected each type; unknown: no idea.")


class HeadsRow(Schema):
    """The two heads' mean ratings of one statement, side by side."""

    number: int = Field(description="The statement's number.")
    sales: float = Field(description="The sales head(s)' rating.")
    marketing: float = Field(description="The marketing head(s)' rating.")
    gap: float = Field(description="Sales minus marketing.")


class PooledStatement(Schema):
    """The pooled staff's mean rating of one statement."""

    number: int = Field(description="The statement's number.")
    mean: float = Field(description="Their mean rating, 1 to 5.")


class PooledOut(Schema):
    """The staff of both departments as one group."""

    respondents: int = Field(description="How many answered.")
    hand_delivered: int | None = Field(description="Of them, answers that did not count to k.")
    score: float = Field(description="Their mean score, 20 to 100.")
    type: TypeName = Field(description="The type that score falls in.")
    statements: list[PooledStatement] = Field(description="Their mean per statement.")


class SmallTeamOut(Schema):
    """The small-team view, shown when some staff group was below k."""

    heads: list[HeadsRow] = Field(description="The heads' views per statement.")
    heads_types: dict[str, TypeName] = Field(description="Each department's heads' type.")
    pooled: PooledOut | None = Field(description="The pooled staff, when it may be shown.")


class RosterOut(Schema):
    """On what k rested when the round was published."""

    anonymity_rests_on: Literal["leaders_word", "verified_domains"] = Field(
        description="Whether the leaders chose the addresses, or a verified domain backs them."
    )
    verified_domains: list[str] = Field(description="The company's verified domains then.")
    flags: dict[str, int] = Field(description="Per department, staff who flagged their list.")
    statement: str = Field(description="The pages' sentence saying so.")


class ResultsOut(Schema):
    """A closed round's published results: every figure of its overview and tabs."""

    company: str = Field(description="The company's slug.")
    company_name: str = Field(description="The company's name.")
    round: RoundRef = Field(description="Which round, and when published.")
    anonymity_threshold: int = Field(description="k: the smallest staff group shown.")
    comment_threshold: int = Field(description="The fewest comments of a group that are shown.")
    combined_level: float | None = Field(description="The company's combined level, 20 to 100.")
    combined_type: TypeName | None = Field(description="The type of the combined level.")
    combined_interval: Interval | None = Field(description="95% interval of the combined level.")
    gap: float | None = Field(description="Sales' score minus marketing's.")
    gap_interval: Interval | None = Field(description="95% interval of the gap.")
    departments: Departments = Field(description="Each department's groups.")
    statements: list[StatementOut] = Field(description="The statements, largest gap first.")
    spread: list[SpreadOut] = Field(description="Each shown group's spread of scores.")
    comments: list[CommentOut] = Field(description="The comments the pages show.")
    guesses: list[GuessOut] = Field(description="The guesses the pages show.")
    small_team: SmallTeamOut | None = Field(description="The small-team view, when shown.")
    pooled_respondents: int | None = Field(description="Staff of both in the pooled view.")
    hand_delivered: dict[str, dict[str, int]] | None = Field(
        description="Per shown staff group (and pooled), answers that did not count toward k, "
        "by how they came (screen, shared, elsewhere); null for rounds published before."
    )
    answers_through: dict[str, dict[str, int]] | None = Field(
        description="Rounds published before the roster: staff answers by screen or shared link."
    )
    roster: RosterOut | None = Field(description="On what k rested; null for older rounds.")


class TrendPointOut(Schema):
    """One closed round on the trend."""

    round: int = Field(description="The round's number.")
    title: str = Field(description="The round's title.")
    combined: float | None = Field(description="Its combined level.")
    sales: float | None = Field(description="Sales' score.")
    marketing: float | None = Field(description="Marketing's score.")
    gap: float | None = Field(description="Sales minus marketing.")


class ChangeOut(Schema):
    """How a statement's gap moved between the last two rounds."""

    statement: int = Field(description="The statement's number.")
    previous_gap: float = Field(description="Its gap in the round before.")
    current_gap: float = Field(description="Its gap in this round.")
    direction: str = Field(description="closed, widened or same (the change is within the noise).")


class TrendsOut(Schema):
    """The closed rounds up to this one, oldest first (the trends tab)."""

    rounds: int = Field(description="How many closed rounds, up to and including this one.")
    points: list[TrendPointOut] = Field(description="Each closed round's figures.")
    changes: list[ChangeOut] = Field(description="Statement gaps against the round before.")


class ActionOut(Schema):
    """One action of the plan."""

    id: int = Field(description="The action's number.")
    round: int = Field(description="The round it was created in.")
    title: str = Field(description="Its title (the leaders' own or the playbook's).")
    playbook_key: str = Field(description="The playbook action it comes from; empty if none.")
    owner: str = Field(description="Who owns it, as the leaders wrote it.")
    due_date: date | None = Field(description="When it is due.")
    status: Literal["open", "in_progress", "done"] = Field(description="Where it stands.")
    updated_at: datetime = Field(description="When it last changed.")


class ActionList(Schema):
    """The plan's actions for a round: its own and earlier rounds' open ones."""

    round: int = Field(description="The round the plan is read for.")
    items: list[ActionOut] = Field(description="The actions, in the plan page's order.")
