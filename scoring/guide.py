"""The source's decision guide, "Do we need to move?", as code, and the rule that answers it.

For each relationship type the source lists when a company should stay where it is and
when it should tighten the relationship into the next type. The conditions are fixed text
with stable keys (stored decisions refer to the keys), never editable rows.
"""

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from scoring.core import RelationshipType

STAY = "stay"
MOVE = "move"


@dataclass(frozen=True)
class Condition:
    key: str
    kind: str  # STAY or MOVE
    text: Promise


def _stay(key: str, text: Promise) -> Condition:
    return Condition(key, STAY, text)


def _move(key: str, text: Promise) -> Condition:
    return Condition(key, MOVE, text)


CONDITIONS: dict[RelationshipType, tuple[Condition, ...]] = {
    RelationshipType.UNDEFINED: (
        _stay("small_company", _("The company, or this business unit, is small.")),
        _stay("close_relationships", _("Salespeople and marketers already work closely together.")),
        _stay("marketing_supports_sales", _("Marketing is still mainly a support team for sales.")),
        _move("open_conflict", _("Conflict between the two departments is plain to see.")),
        _move(
            "duplicated_effort",
            _("Work is done twice, or tasks fall through the cracks between the two departments."),
        ),
        _move("compete_for_resources", _("The two departments compete for resources or budget.")),
    ),
    RelationshipType.DEFINED: (
        _stay("simple_offer", _("Our products and services are not very varied or complex.")),
        _stay("traditional_roles_work", _("Traditional sales and marketing roles work in our market.")),
        _stay("no_reason_to_change", _("There is no compelling reason to change.")),
        _move(
            "duplicated_despite_roles",
            _("Despite clear roles, work is still done twice or tasks fall through the cracks."),
        ),
        _move(
            "commoditising_market",
            _("Our market is turning into a commodity market and a traditional sales force is "
              "getting expensive."),
        ),
        _move(
            "customised_during_sale",
            _("Products are configured or customised for each customer during the sale."),
        ),
        _move(
            "short_life_cycles",
            _("Product life cycles are getting shorter and technology changes quickly."),
        ),
    ),
    RelationshipType.ALIGNED: (
        _stay("no_shared_accountability", _("The company has no culture of shared accountability.")),
        _stay("separate_reporting", _("Sales and marketing report to different executives.")),
        _stay("short_sales_cycle", _("Our sales cycle is fairly short and simple.")),
        _move(
            "common_revenue_process",
            _("We could build one common process, from market to customer, to manage and measure "
              "everything that brings in revenue."),
        ),
        _move(
            "complex_or_fast_changing",
            _("Our selling situation is complex or changes quickly."),
        ),
        _move(
            "accountability_possible",
            _("The company is ready to hold sales and marketing jointly accountable for revenue."),
        ),
    ),
    RelationshipType.INTEGRATED: (),
}  # fmt: skip

NEXT_TYPE: dict[RelationshipType, RelationshipType | None] = {
    RelationshipType.UNDEFINED: RelationshipType.DEFINED,
    RelationshipType.DEFINED: RelationshipType.ALIGNED,
    RelationshipType.ALIGNED: RelationshipType.INTEGRATED,
    RelationshipType.INTEGRATED: None,
}


class Recommendation(enum.Enum):
    NONE = "none"  # nothing ticked yet
    STAY = "stay"
    TIGHTEN = "tighten"
    REVISIT = "revisit"  # as many reasons to stay as to move: stay for now, look again


def conditions(current: RelationshipType, kind: str) -> tuple[Condition, ...]:
    return tuple(c for c in CONDITIONS[current] if c.kind == kind)


def recommend(current: RelationshipType, ticked: Iterable[str]) -> Recommendation:
    """The rule: count the ticked stay conditions and move conditions of the current type.

    Nothing ticked: no recommendation yet. More move than stay: tighten towards the next
    type. More stay than move: stay. A tie: stay for now and revisit at the next round,
    since a change of structure costs more than waiting one round. Keys of other types
    are ignored; a type without a next type (Integrated) never gets "tighten".
    """
    keys = set(ticked)
    stay = sum(1 for c in conditions(current, STAY) if c.key in keys)
    move = sum(1 for c in conditions(current, MOVE) if c.key in keys)
    if stay == move == 0:
        return Recommendation.NONE
    if move > stay and NEXT_TYPE[current] is not None:
        return Recommendation.TIGHTEN
    if move == stay:
        return Recommendation.REVISIT
    return Recommendation.STAY


def ticked_conditions(current: RelationshipType, ticked: Iterable[str]) -> list[Condition]:
    """The current type's conditions whose keys are in `ticked`, in the source's order."""
    keys = set(ticked)
    return [c for c in CONDITIONS[current] if c.key in keys]
