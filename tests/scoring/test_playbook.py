"""The playbook's actions and their order, without the database."""

from types import MappingProxyType

from scoring.core import (
    DepartmentResult,
    GroupResult,
    RelationshipType,
    RoundScore,
    StatementGap,
)
from scoring.playbook import ACTIONS, actions_from, ranked, statement_needs

HIDDEN = GroupResult(0, False, None, MappingProxyType({}))
NOBODY = DepartmentResult(HIDDEN, HIDDEN, HIDDEN)


def round_score(gaps: list[StatementGap]) -> RoundScore:
    return RoundScore(5, NOBODY, NOBODY, None, None, tuple(gaps))


def test_each_move_has_the_sources_actions_and_each_names_real_statements():
    assert len(actions_from(RelationshipType.UNDEFINED)) == 2
    assert len(actions_from(RelationshipType.DEFINED)) == 5
    assert len(actions_from(RelationshipType.ALIGNED)) == 5
    assert actions_from(RelationshipType.INTEGRATED) == ()
    for action in ACTIONS:
        assert action.statements and all(1 <= s <= 20 for s in action.statements)
    assert len({a.key for a in ACTIONS}) == len(ACTIONS)


def test_need_is_the_gap_plus_the_distance_of_the_mean_below_five():
    needs = statement_needs(round_score([StatementGap(3, 4.0, 2.0), StatementGap(7, 1.5, 1.5)]))
    assert needs == {3: 2.0 + 2.0, 7: 0.0 + 3.5}


def test_actions_on_the_neediest_statements_come_first():
    defined = actions_from(RelationshipType.DEFINED)
    # Statement 18 (co-location) is rated low by both; statement 4 (joint assignments)
    # has a wide gap but a good mean; everything else is fine.
    gaps = [StatementGap(n, 4.5, 4.5) for n in range(1, 21) if n not in (4, 18)]
    gaps += [StatementGap(18, 1.0, 1.2), StatementGap(4, 4.8, 3.0)]
    keys = [a.key for a in ranked(defined, statement_needs(round_score(gaps)))]
    assert keys[:2] == ["co_location", "joint_assignments"]


def test_without_shown_gaps_the_sources_order_is_kept():
    defined = actions_from(RelationshipType.DEFINED)
    assert ranked(defined, statement_needs(round_score([]))) == defined
