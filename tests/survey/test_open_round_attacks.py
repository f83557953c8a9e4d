"""Issue 15's attacks on an open round, tried as a leader would through the real pages: the
leader adds people by e-mail (the planted addresses are mailboxes the leader holds, reached
through their e-mailed links), reads every leader URL, and compares.

In each, the leader learns nothing: the round page, the company page and every other leader
URL read byte for byte the same before and after V answers (or presses Start) within the same
day, and the next day the count still does not show, because fewer than k independent people
answered."""

import re

import pytest
from django.urls import reverse

from tests.survey.leader_world import NOT_READ, World, assert_same, refused_posts
from tests.test_permission_matrix import TABLE

K = 3


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    world = World(k=K, capture=django_capture_on_commit_callbacks)
    world.add("v", "p0", "p1")  # V and k - 1 planted addresses that never answer
    world.add("m0", department="marketing")
    return world


def sales_staff_row(html: str) -> str:
    return re.search(r'data-group="sales-staff">.*?</tr>', html, re.S).group(0)


def test_live_participation_v_answering_moves_nothing_today_and_shows_nothing_tomorrow(world):
    before = world.seen()
    assert "shown from 3 answers" in before["workspace:round"]
    world.answer("v")
    assert_same(world.seen(), before)  # the same day: every leader URL, byte for byte
    world.next_day()
    after = world.seen()
    round_page = after["workspace:round"]
    assert "shown from 3 answers" in sales_staff_row(round_page)  # 1 independent < 3
    assert_same(after, before)


def test_the_shared_link_v_pressing_start_or_answering_moves_nothing(world):
    world.shared_link()
    before = world.seen()
    world.join_shared("v2")  # V presses Start on the shared link
    assert_same(world.seen(), before)
    world.join_shared("v2")  # and again, from the same browser: the same survey
    world.answer_shared("v3")
    assert_same(world.seen(), before)
    world.next_day()  # shared-link answers are never independent: still nothing
    assert_same(world.seen(), before)


@pytest.mark.parametrize("field", ["title", "closes_on"])
def test_the_silent_has_anyone_answered_check_reads_the_same(
    db, django_capture_on_commit_callbacks, field
):
    """A round of V alone: the leader posts the edit form lowering k with another field
    invalid, so that nothing is saved or recorded, before and after V answers."""
    world = World(k=5, capture=django_capture_on_commit_callbacks)
    world.add("v")
    data = {"title": "Twin", "anonymity_threshold": 3, "closes_on": ""}
    data |= {"title": ""} if field == "title" else {"closes_on": "2020-01-01"}
    url = f"/rounds/{world.round.pk}/edit/"
    before = world.normal(world.post(url, data))
    world.answer("v")
    after = world.normal(world.post(url, data))
    assert after == before
    assert "can be raised but not lowered" in after  # said before anyone answered, too
    assert world.round.audit_events.filter(action="threshold").count() == 0


def test_twin_rounds_a_second_open_round_is_refused(world):
    url = f"/companies/{world.company.pk}/rounds/new/"
    page = world.leader.get(url).content.decode()
    assert "“Twin” is still open" in page and 'name="title"' not in page
    second = {"title": "Twin minus V", "anonymity_threshold": K}
    second |= {"sales_head": "later", "marketing_head": "later"}
    refused = world.post(url, second)
    assert refused.status_code == 409
    assert world.company.rounds.filter(closed_at__isnull=True).count() == 1


# URLs no answer of a round can reach: the callers of bearer-token and identity-provider
# endpoints (not a leader's browser session; tests/api, tests/identity try them), a leader's
# own second factor, and actions on one company setting (a domain, a webhook endpoint or
# delivery, a token), whose lists are the company pages read above.
NOT_A_ROUNDS_PAGE = {
    name
    for name, row in TABLE.items()
    if name.startswith(("scim:", "api:", "saml_", "mfa_"))
    or name == "openid_connect_callback"
    or row.kwargs in {"domain", "endpoint", "delivery", "api_token", "scim_token"}
}


def test_every_leader_url_of_the_permission_matrix_is_read_or_posted_to(world):
    """A new URL with a row in the matrix is read by these tests, or posted to with data its
    form refuses, or is one of the few a leader never reaches while the round is open."""
    world.shared_link()
    read = world.urls().keys()
    posted = {url for _, url, _ in refused_posts(world)}
    # The twin-rounds property test's steps post to these.
    steps = {
        f"workspace:{name}"
        for name in ("remind", "auto_reminders", "shared_link_toggle", "participant_resend")
    }
    for name, row in TABLE.items():
        if name in NOT_READ or name in read or name in steps or name in NOT_A_ROUNDS_PAGE:
            continue
        kwargs = world.kwargs().get(row.kwargs)
        assert kwargs is not None, f"{name}: fill its kwargs in World.kwargs"
        assert reverse(name, kwargs=kwargs) in posted, f"{name}: neither read nor posted to"
