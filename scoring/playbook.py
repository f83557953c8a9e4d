"""The source's playbook, "How to move", as code: the actions for each move to the next type.

Each action names the statements (1..20) it works on, so a round's results can say which
actions matter most for this company.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from scoring.core import MAX_RATING, RelationshipType, RoundScore


@dataclass(frozen=True)
class PlaybookAction:
    key: str
    start: RelationshipType  # the move from this type to the next one
    title: Promise
    explanation: Promise
    statements: tuple[int, ...]


ACTIONS: tuple[PlaybookAction, ...] = (
    PlaybookAction(
        "step_in_on_conflict",
        RelationshipType.UNDEFINED,
        _("Senior managers step in when conflict recurs"),
        _("When the same quarrels keep coming back, the people above both heads step in "
          "rather than leaving the two sides to fight it out. They look for the cause, which "
          "is often scarce resources or roles nobody has defined, and settle it."),
        (2, 10, 8),
    ),
    PlaybookAction(
        "rules_of_engagement",
        RelationshipType.UNDEFINED,
        _("Set clear rules of engagement and hand-offs"),
        _("Write down who does what, and how key tasks pass from one side to the other, "
          "such as following up the leads marketing generates. Clear hand-offs stop work "
          "from being done twice or dropped between the two departments."),
        (1, 6, 7),
    ),
    PlaybookAction(
        "disciplined_communication",
        RelationshipType.DEFINED,
        _("Hold regular joint meetings with rules for who talks to whom"),
        _("Meet monthly or at least quarterly, with the big opportunities and problems on the "
          "agenda, and agree when each side must involve the other: for example, brand "
          "management joins any deal above a set size, and no sales material is signed off "
          "until sales has reviewed it. More meetings are not the goal; disciplined ones are."),
        (5, 7, 8, 10),
    ),
    PlaybookAction(
        "marketing_liaison",
        RelationshipType.DEFINED,
        _("Appoint a marketing liaison who works with the sales team"),
        _("Choose one marketer whom both sides trust to sit in on sales meetings, customer "
          "visits and account strategy. The liaison brings back what the market needs, helps "
          "settle conflicts and passes on what each side knows but rarely writes down."),
        (3, 6, 13),
    ),
    PlaybookAction(
        "joint_assignments",
        RelationshipType.DEFINED,
        _("Give people joint assignments"),
        _("Send marketers on sales calls and into key-account planning; bring salespeople into "
          "marketing and product planning and let them preview campaigns. Together, build a "
          "playbook for the top accounts of each segment and plan events side by side."),
        (3, 4, 9, 13, 19),
    ),
    PlaybookAction(
        "co_location",
        RelationshipType.DEFINED,
        _("Seat marketers and salespeople together"),
        _("People who sit near each other talk more and work better together. Where the sales "
          "force is spread out, plan deliberate ways for the two sides to meet and share work."),
        (7, 16, 18),
    ),
    PlaybookAction(
        "sales_feedback",
        RelationshipType.DEFINED,
        _("Make it easy for sales to give feedback"),
        _("Salespeople have little time to share what they learn from customers. Ask the sales "
          "managers for a short monthly or quarterly summary, use brief forms, review call "
          "reports and CRM data, or interview a few salespeople instead."),
        (6, 9, 15),
    ),
    PlaybookAction(
        "revenue_officer",
        RelationshipType.ALIGNED,
        _("Put one executive in charge of revenue"),
        _("Both departments exist to bring in revenue, so a chief revenue or customer officer "
          "can lead marketing, sales, service and pricing together and answer for the revenue "
          "plan as a whole."),
        (17, 11, 20),
    ),
    PlaybookAction(
        "shared_funnel",
        RelationshipType.ALIGNED,
        _("Define one funnel shared by marketing and sales"),
        _("Agree the steps from first interest to signed contract. Marketing takes part in the "
          "sales stages: qualifying leads, assessing needs, developing solutions, the decision "
          "and the negotiation. Sales, in turn, takes part in upstream decisions such as "
          "segments and positioning."),
        (14, 15, 13, 9),
    ),
    PlaybookAction(
        "split_marketing",
        RelationshipType.ALIGNED,
        _("Split marketing into upstream and downstream teams"),
        _("A strategic, upstream team looks ahead at markets and products; a tactical, "
          "downstream team runs campaigns, materials and sales tools with the sales force. "
          "Each can then be judged on the work it actually does."),
        (8, 11, 5),
    ),
    PlaybookAction(
        "shared_targets",
        RelationshipType.ALIGNED,
        _("Share revenue targets and rewards"),
        _("Integration fails unless sales and marketing answer for the same revenue targets. "
          "Review how both sides are paid and rewarded so that neither wins while the other "
          "loses."),
        (16, 12, 2),
    ),
    PlaybookAction(
        "integrated_metrics",
        RelationshipType.ALIGNED,
        _("Use integrated measures for both departments"),
        _("Track shared sales measures, such as quota attained, new customers, closed deals, "
          "gross profit per customer and sales cost against revenue, and add softer, "
          "longer-term measures for upstream marketing."),
        (12, 1, 15),
    ),
)  # fmt: skip

ACTIONS_BY_KEY: dict[str, PlaybookAction] = {a.key: a for a in ACTIONS}


def actions_from(start: RelationshipType) -> tuple[PlaybookAction, ...]:
    """The actions of the move from `start` to the next type, in the source's order."""
    return tuple(a for a in ACTIONS if a.start == start)


def statement_needs(result: RoundScore) -> dict[int, float]:
    """How much each statement needs work, in rating points, when the round shows its gaps.

    need = |sales mean - marketing mean| + (5 - mean of the two department means): a wide
    perception gap and a low shared rating both raise it. Empty when the gaps are withheld.
    """
    return {
        g.statement: abs(g.gap) + MAX_RATING - (g.sales_mean + g.marketing_mean) / 2
        for g in result.statement_gaps
    }


def ranked(
    actions: tuple[PlaybookAction, ...], needs: dict[int, float]
) -> tuple[PlaybookAction, ...]:
    """Actions whose neediest statement needs most come first; otherwise the source's order."""
    if not needs:
        return actions

    def priority(action: PlaybookAction) -> float:
        return -round(max(needs.get(s, 0.0) for s in action.statements), 9)

    return tuple(sorted(actions, key=priority))  # sorted is stable: ties keep source order
