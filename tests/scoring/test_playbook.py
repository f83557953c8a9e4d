"""The playbook's actions, their details and order, and the improvements within a type,
without the database."""

from types import MappingProxyType

import pytest

from scoring.advice.playbook import (
    ACTIONS,
    ACTIONS_BY_KEY,
    FUNNEL_STAGES,
    IMPROVEMENTS,
    INTEGRATION_ORDER,
    METRICS_BY_ROLE,
    actions_from,
    improvements_within,
    integration_order,
    ranked,
    statement_needs,
)
from scoring.core.scores import (
    DepartmentResult,
    GroupResult,
    RelationshipType,
    RoundScore,
    StatementGap,
)

HIDDEN = GroupResult(respondents=0, shown=False, score=None, statement_means=MappingProxyType({}))
NOBODY = DepartmentResult(total=HIDDEN, leaders=HIDDEN, staff=HIDDEN)


def round_score(gaps: list[StatementGap]) -> RoundScore:
    return RoundScore(
        threshold=5,
        sales=NOBODY,
        marketing=NOBODY,
        combined_level=None,
        gap=None,
        statement_gaps=tuple(gaps),
    )


def keys(items) -> list[str]:
    return [i.key for i in items]


def test_each_move_has_the_sources_actions_in_the_sources_order():
    assert keys(actions_from(RelationshipType.UNDEFINED)) == [
        "step_in_on_conflict",
        "rules_of_engagement",
    ]
    assert keys(actions_from(RelationshipType.DEFINED)) == [
        "disciplined_communication",
        "marketing_liaison",
        "joint_assignments",
        "rotate_jobs",
        "co_location",
        "sales_feedback",
    ]
    assert keys(actions_from(RelationshipType.ALIGNED)) == [
        "revenue_officer",
        "shared_funnel",
        "split_marketing",
        "shared_targets",
        "integrated_metrics",
    ]
    assert actions_from(RelationshipType.INTEGRATED) == ()


def test_every_action_and_improvement_names_real_statements_and_has_its_own_key():
    for item in (*ACTIONS, *IMPROVEMENTS):
        assert item.statements and all(1 <= s <= 20 for s in item.statements)
        assert len(set(item.statements)) == len(item.statements)
    all_keys = keys(ACTIONS) + keys(IMPROVEMENTS)
    assert len(all_keys) == len(set(all_keys))  # an improvement never shadows an action


def test_disciplined_meetings_have_the_sources_three_rules_the_third_on_top_accounts():
    action = ACTIONS_BY_KEY["disciplined_communication"]
    assert len(action.steps) == 3
    assert "ten most important accounts" in str(action.steps[2].text)
    assert "until salespeople have reviewed it" in str(action.steps[1].text)
    assert 13 in action.statements  # marketing in key-account strategy


def test_the_liaisons_work_is_not_micromanaged():
    assert "do not micromanage their work" in str(ACTIONS_BY_KEY["marketing_liaison"].explanation)


def test_the_shared_funnel_names_a_marketing_deliverable_for_each_stage_in_order():
    action = ACTIONS_BY_KEY["shared_funnel"]
    assert action.steps == FUNNEL_STAGES
    assert [str(s.title) for s in FUNNEL_STAGES] == [
        "Awareness and preference",
        "Marketing plan and leads",
        "Prospecting and qualifying",
        "Needs assessment",
        "Solution development",
        "Decision",
        "Negotiation",
    ]
    assert all(str(s.text).strip() for s in FUNNEL_STAGES)


def test_the_measures_are_given_by_role():
    assert ACTIONS_BY_KEY["integrated_metrics"].steps == METRICS_BY_ROLE
    roles = {str(s.title): str(s.text) for s in METRICS_BY_ROLE}
    assert list(roles) == ["Sales", "Downstream marketing", "Upstream marketing", "Shared"]
    assert "quota attained" in roles["Sales"]
    assert "same sales measures" in roles["Downstream marketing"]
    assert "product forecasts" in roles["Upstream marketing"]


def test_only_the_move_to_integrated_has_an_order_of_integration():
    assert integration_order(RelationshipType.ALIGNED) == INTEGRATION_ORDER
    assert [str(s.title) for s in INTEGRATION_ORDER] == [
        "First, simple joint activities",
        "Then, processes and systems",
        "Last, culture",
    ]
    for kind in (
        RelationshipType.UNDEFINED,
        RelationshipType.DEFINED,
        RelationshipType.INTEGRATED,
    ):
        assert integration_order(kind) == ()


@pytest.mark.parametrize(
    "kind,expected",
    [
        (
            RelationshipType.UNDEFINED,
            ["share_what_each_does", "support_that_sells", "settle_friction_early"],
        ),
        (
            RelationshipType.DEFINED,
            ["check_hand_offs", "talk_money_through", "rewards_pull_together"],
        ),
        (
            RelationshipType.ALIGNED,
            ["keep_meetings_disciplined", "commit_to_one_target", "blend_skills"],
        ),
        (RelationshipType.INTEGRATED, ["measures_by_role", "fair_rewards", "keep_improving"]),
    ],
)
def test_every_type_has_improvements_that_keep_its_type(kind, expected):
    assert keys(improvements_within(kind)) == expected


def test_need_is_the_gap_plus_the_distance_of_the_mean_below_five():
    needs = statement_needs(
        round_score(
            [
                StatementGap(statement=3, sales_mean=4.0, marketing_mean=2.0),
                StatementGap(statement=7, sales_mean=1.5, marketing_mean=1.5),
            ]
        )
    )
    assert needs == {3: 2.0 + 2.0, 7: 0.0 + 3.5}


def test_actions_on_the_neediest_statements_come_first():
    defined = actions_from(RelationshipType.DEFINED)
    # Statement 18 (people move between the departments) is rated low by both: need
    # 0.2 + 5 - 1.1 = 4.1; statement 4 (joint assignments) has a wide gap but a good mean:
    # 1.8 + 5 - 3.9 = 2.9; everything else 0 + 5 - 4.5 = 0.5. Job rotation and
    # co-location both work on 18 and keep the source's order between them.
    gaps = [
        StatementGap(statement=n, sales_mean=4.5, marketing_mean=4.5)
        for n in range(1, 21)
        if n not in (4, 18)
    ]
    gaps += [
        StatementGap(statement=18, sales_mean=1.0, marketing_mean=1.2),
        StatementGap(statement=4, sales_mean=4.8, marketing_mean=3.0),
    ]
    order = keys(ranked(defined, statement_needs(round_score(gaps))))
    assert order[:3] == ["rotate_jobs", "co_location", "joint_assignments"]


def test_without_shown_gaps_the_sources_order_is_kept():
    defined = actions_from(RelationshipType.DEFINED)
    assert ranked(defined, statement_needs(round_score([]))) == defined
