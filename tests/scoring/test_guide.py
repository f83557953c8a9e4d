"""The decision guide's rule, without the database."""

import pytest

from scoring.core import RelationshipType
from scoring.guide import CONDITIONS, MOVE, STAY, Recommendation, conditions, recommend

DEFINED = RelationshipType.DEFINED


@pytest.mark.parametrize(
    "ticked,expected",
    [
        ([], Recommendation.NONE),
        (["simple_offer"], Recommendation.STAY),
        (["short_life_cycles"], Recommendation.TIGHTEN),
        (["simple_offer", "short_life_cycles"], Recommendation.REVISIT),
        (["simple_offer", "short_life_cycles", "customised_during_sale"], Recommendation.TIGHTEN),
        (["simple_offer", "no_reason_to_change", "short_life_cycles"], Recommendation.STAY),
    ],
)
def test_more_reasons_to_move_tighten_more_to_stay_stay_and_a_tie_revisits(ticked, expected):
    assert recommend(DEFINED, ticked) == expected


def test_conditions_of_another_type_do_not_count():
    assert recommend(DEFINED, ["open_conflict", "compete_for_resources"]) == Recommendation.NONE


def test_integrated_has_no_conditions_and_is_never_told_to_tighten():
    assert CONDITIONS[RelationshipType.INTEGRATED] == ()
    assert recommend(RelationshipType.INTEGRATED, ["open_conflict"]) == Recommendation.NONE


@pytest.mark.parametrize(
    "kind", [RelationshipType.UNDEFINED, RelationshipType.DEFINED, RelationshipType.ALIGNED]
)
def test_every_type_before_integrated_has_reasons_both_ways(kind):
    assert len(conditions(kind, STAY)) >= 3
    assert len(conditions(kind, MOVE)) >= 3


def test_condition_keys_are_unique_across_types():
    keys = [c.key for group in CONDITIONS.values() for c in group]
    assert len(keys) == len(set(keys))
