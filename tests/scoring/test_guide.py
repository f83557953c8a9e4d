"""The decision guide's conditions and rules, without the database.

Every expected value below is worked out by hand from the source's table: the reasons to
stay and to move side by side, never a count of ticks.
"""

import pytest

from scoring.advice.guide import (
    CONDITIONS,
    MOVE,
    STAY,
    Recommendation,
    conditions,
    starting_points,
    two_key_verdict,
    verdict,
    verdict_sentence,
)
from scoring.core.scores import MARKETING, SALES, RelationshipType

UNDEFINED = RelationshipType.UNDEFINED
DEFINED = RelationshipType.DEFINED
ALIGNED = RelationshipType.ALIGNED
INTEGRATED = RelationshipType.INTEGRATED

NONE = Recommendation.NONE
STAYS = Recommendation.STAY
TIGHTEN = Recommendation.TIGHTEN
CONTRA = Recommendation.CONTRADICTORY


def keys(conditions_) -> list[str]:
    return [c.key for c in conditions_]


def test_the_conditions_are_the_sources_table():
    assert keys(conditions(UNDEFINED, STAY)) == [
        "small_company",
        "friendly_informal_ties",
        "marketing_supports_sales",
    ]
    assert keys(conditions(UNDEFINED, MOVE)) == [
        "open_conflict",
        "duplicated_effort",
        "compete_for_resources",
    ]
    assert keys(conditions(DEFINED, STAY)) == [
        "simple_offer",
        "traditional_roles_work",
        "no_reason_to_change",
    ]
    assert keys(conditions(DEFINED, MOVE)) == [
        "duplicated_despite_roles",
        "commoditising_market",
        "customised_during_sale",
        "short_life_cycles",
    ]
    assert keys(conditions(ALIGNED, STAY)) == [
        "no_shared_accountability",
        "separate_reporting",
        "short_sales_cycle",
    ]
    # One from the table, one from the prose; not the negation of a stay condition again.
    assert keys(conditions(ALIGNED, MOVE)) == ["common_revenue_process", "complex_or_fast_changing"]
    assert CONDITIONS[INTEGRATED] == ()


def test_the_undefined_stay_condition_is_about_friendly_informal_ties():
    (ties,) = [c for c in CONDITIONS[UNDEFINED] if c.key == "friendly_informal_ties"]
    assert "informally" in str(ties.text)
    assert "closely" not in str(ties.text)


def test_condition_keys_are_unique_across_types():
    all_keys = [c.key for group in CONDITIONS.values() for c in group]
    assert len(all_keys) == len(set(all_keys))


@pytest.mark.parametrize(
    "current,ticked,expected,stay,move",
    [
        (DEFINED, [], NONE, [], []),
        (DEFINED, ["simple_offer"], STAYS, ["simple_offer"], []),
        (DEFINED, ["simple_offer", "no_reason_to_change"], STAYS,
         ["simple_offer", "no_reason_to_change"], []),
        (DEFINED, ["short_life_cycles"], TIGHTEN, [], ["short_life_cycles"]),
        # the old rule said "revisit" here (1 against 1): both ways hold, so talk it through
        (DEFINED, ["simple_offer", "short_life_cycles"], CONTRA,
         ["simple_offer"], ["short_life_cycles"]),
        # the old rule said "tighten" (2 against 1) and "stay" (2 against 1): no counting now
        (DEFINED, ["simple_offer", "short_life_cycles", "customised_during_sale"], CONTRA,
         ["simple_offer"], ["customised_during_sale", "short_life_cycles"]),
        (DEFINED, ["simple_offer", "no_reason_to_change", "short_life_cycles"], CONTRA,
         ["simple_offer", "no_reason_to_change"], ["short_life_cycles"]),
        # all four reasons to move and none to stay: tighten, however long the other list is
        (DEFINED, keys(conditions(DEFINED, MOVE)), TIGHTEN, [], keys(conditions(DEFINED, MOVE))),
        (UNDEFINED, ["friendly_informal_ties", "small_company"], STAYS,
         ["small_company", "friendly_informal_ties"], []),
        (UNDEFINED, ["open_conflict"], TIGHTEN, [], ["open_conflict"]),
        (UNDEFINED, ["marketing_supports_sales", "compete_for_resources"], CONTRA,
         ["marketing_supports_sales"], ["compete_for_resources"]),
        (ALIGNED, ["complex_or_fast_changing"], TIGHTEN, [], ["complex_or_fast_changing"]),
        (ALIGNED, ["separate_reporting", "short_sales_cycle"], STAYS,
         ["separate_reporting", "short_sales_cycle"], []),
        (ALIGNED, ["no_shared_accountability", "common_revenue_process"], CONTRA,
         ["no_shared_accountability"], ["common_revenue_process"]),
    ],
)  # fmt: skip
def test_the_verdict_reads_the_two_lists_side_by_side(current, ticked, expected, stay, move):
    answer = verdict(current, ticked)
    assert answer.recommendation == expected
    assert keys(answer.stay) == stay  # in the source's order, whatever the order ticked
    assert keys(answer.move) == move


@pytest.mark.parametrize(
    "current,ticked,expected",
    [
        (DEFINED, ["open_conflict", "compete_for_resources"], NONE),  # Undefined's keys
        (UNDEFINED, ["close_relationships"], NONE),  # withdrawn: "already work closely"
        (ALIGNED, ["accountability_possible"], NONE),  # withdrawn: a stay condition negated
        (ALIGNED, ["accountability_possible", "separate_reporting"], STAYS),
        (INTEGRATED, ["open_conflict", "short_life_cycles"], NONE),  # no conditions at all
    ],
)
def test_keys_of_another_type_or_withdrawn_keys_are_dropped(current, ticked, expected):
    assert verdict(current, ticked).recommendation == expected


@pytest.mark.parametrize(
    "ticked,sentence",
    [
        ([], "No recommendation yet: tick the conditions that hold for your company."),
        (["simple_offer"], "Stay Defined: reasons to stay hold and no reason to move does."),
        (["short_life_cycles"], "Tighten the relationship: work towards Aligned."),
        (["simple_offer", "short_life_cycles"], "The reasons contradict each other"),
    ],
)
def test_each_verdict_has_its_sentence(ticked, sentence):
    assert sentence in verdict_sentence(verdict(DEFINED, ticked), DEFINED)


@pytest.mark.parametrize(
    "sales,marketing,combined,agreed_stay,agreed_move,disagreements",
    [
        # the same ticks: settled, and the verdict is theirs
        (["simple_offer"], ["simple_offer"], STAYS, ["simple_offer"], [], []),
        ([], [], NONE, [], [], []),
        # sales sees a reason to move that marketing does not: nothing agreed yet
        (["short_life_cycles"], [], NONE, [], [], ["short_life_cycles"]),
        # both see a reason to move; only marketing sees a reason to stay
        (["short_life_cycles"], ["short_life_cycles", "no_reason_to_change"], TIGHTEN,
         [], ["short_life_cycles"], ["no_reason_to_change"]),
        # they agree on one reason each way: contradictory, and two more disagreements
        (["simple_offer", "commoditising_market", "traditional_roles_work"],
         ["simple_offer", "commoditising_market", "customised_during_sale"], CONTRA,
         ["simple_offer"], ["commoditising_market"],
         ["traditional_roles_work", "customised_during_sale"]),
        # opposite readings entirely: each head's own verdict differs, nothing agreed
        (["no_reason_to_change"], ["duplicated_despite_roles"], NONE, [], [],
         ["no_reason_to_change", "duplicated_despite_roles"]),
        # a withdrawn or foreign key on one side is not a disagreement
        (["simple_offer", "open_conflict"], ["simple_offer"], STAYS, ["simple_offer"], [], []),
    ],
)  # fmt: skip
def test_two_heads_agree_and_disagree_condition_by_condition(
    sales, marketing, combined, agreed_stay, agreed_move, disagreements
):
    result = two_key_verdict(DEFINED, sales=sales, marketing=marketing)
    assert result.combined.recommendation == combined
    assert keys(result.combined.stay) == agreed_stay
    assert keys(result.combined.move) == agreed_move
    assert keys(result.disagreements) == disagreements  # in the source's order
    assert result.settled == (not disagreements)
    assert keys(r.condition for r in result.rows) == keys(CONDITIONS[DEFINED])


def test_each_heads_own_verdict_and_each_row_are_kept():
    result = two_key_verdict(
        DEFINED, sales=["no_reason_to_change"], marketing=["duplicated_despite_roles"]
    )
    assert result.sales.recommendation == STAYS
    assert result.marketing.recommendation == TIGHTEN
    rows = {r.condition.key: (r.sales, r.marketing, r.agreed) for r in result.rows}
    assert rows["no_reason_to_change"] == (True, False, False)
    assert rows["duplicated_despite_roles"] == (False, True, False)
    assert rows["simple_offer"] == (False, False, True)


@pytest.mark.parametrize(
    "sales,marketing,expected",
    [
        (DEFINED, DEFINED, [(DEFINED, (SALES, MARKETING))]),
        (DEFINED, ALIGNED, [(DEFINED, (SALES,)), (ALIGNED, (MARKETING,))]),
        (ALIGNED, UNDEFINED, [(UNDEFINED, (MARKETING,)), (ALIGNED, (SALES,))]),  # loosest first
        (INTEGRATED, ALIGNED, [(ALIGNED, (MARKETING,)), (INTEGRATED, (SALES,))]),
        (None, DEFINED, [(DEFINED, (MARKETING,))]),  # sales not shown yet
        (None, None, []),
    ],
)
def test_different_bands_start_the_guide_from_each_departments_type(sales, marketing, expected):
    points = starting_points(sales, marketing)
    assert [(p.relationship_type, p.departments) for p in points] == expected
    for point in points:
        assert point.conditions == CONDITIONS[point.relationship_type]
