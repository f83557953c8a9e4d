"""Live tracking: counts that move at most once a day and only from k independent answers.

Hand-computed cases through the real database. The clock is frozen by passing `now` to the
tracking (the same function the pages call) or by moving `submitted_at` rows to yesterday.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from survey.models import CompanyDomain, Respondent, SharedLink, Via
from survey.reads.tracking import counted_until, round_tracking
from survey.writes.services import submit_answers
from tests.factories import answered_yesterday, close, make_respondent, uniform

RATINGS = dict(enumerate(uniform(3), start=1))


def person(round_, department="sales", role="staff", via=Via.EMAIL, email="", answered=None):
    """A respondent claimed through `via`, answered at `answered` (a datetime) if given."""
    respondent = Respondent.objects.create(
        round=round_, department=department, role=role, email=email, claimed_via=via
    )
    if answered is not None:
        submit_answers(respondent=respondent, ratings=RATINGS)
        Respondent.objects.filter(pk=respondent.pk).update(submitted_at=answered)
    return respondent


def group(tracking, department="sales", role="staff"):
    return next(g for g in tracking.groups if (g.department, g.role) == (department, role))


YESTERDAY = timezone.now() - timedelta(days=1)
TODAY = timezone.now()


@pytest.fixture
def round3(company):
    round_ = company.rounds.create(title="Spring", anonymity_threshold=3)
    return round_


def test_midnight_is_the_start_of_today_in_the_sites_time_zone(settings):
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"  # UTC+7
    timezone.deactivate()
    now = datetime(2026, 12, 8, 3, 0, tzinfo=UTC)  # 10:00 in Ho Chi Minh City
    assert counted_until(now) == datetime(2026, 12, 7, 17, 0, tzinfo=UTC)
    late = datetime(2026, 12, 8, 18, 0, tzinfo=UTC)  # 01:00 the next day there
    assert counted_until(late) == datetime(2026, 12, 8, 17, 0, tzinfo=UTC)


def test_answers_count_only_up_to_midnight_so_the_counts_move_once_a_day(settings, round3):
    settings.TIME_ZONE = "Asia/Ho_Chi_Minh"
    timezone.deactivate()
    now = datetime(2026, 12, 8, 3, 0, tzinfo=UTC)  # midnight there was 2026-12-07 17:00 UTC
    for minutes in (-120, -60, -1):
        person(
            round3, answered=datetime(2026, 12, 7, 17, 0, tzinfo=UTC) + timedelta(minutes=minutes)
        )
    person(round3, answered=datetime(2026, 12, 7, 17, 1, tzinfo=UTC))  # after midnight
    person(round3)  # invited, not answered
    sales = group(round_tracking(round3, now))
    assert (sales.invited, sales.answered, sales.shown) == (5, 3, True)
    # Through the rest of the day, whatever happens, the same figures.
    person(round3, answered=datetime(2026, 12, 8, 2, 59, tzinfo=UTC))
    later = datetime(2026, 12, 8, 16, 59, tzinfo=UTC)  # 23:59 there
    sales = group(round_tracking(round3, later))
    assert (sales.invited, sales.answered) == (6, 3)
    # The next day both of today's answers count.
    next_day = datetime(2026, 12, 8, 17, 0, tzinfo=UTC)
    assert group(round_tracking(round3, next_day)).answered == 5


def test_a_staff_group_shows_only_from_k_independent_answers_before_midnight(round3):
    person(round3, answered=YESTERDAY)
    person(round3, answered=YESTERDAY)
    person(round3, answered=TODAY)  # the third independent answer, but today
    for via, email in ((Via.SCREEN, "s@acme.test"), (Via.SHARED, ""), ("", "x@acme.test")):
        person(round3, via=via, email=email, answered=YESTERDAY)  # hand-delivered
    sales = group(round_tracking(round3))
    assert (sales.shown, sales.answered) == (False, 0)  # 2 independent by midnight < 3
    assert sales.invited == 5  # the leaders added 5 (the shared-link person is not counted)
    answered_yesterday(round3)
    sales = group(round_tracking(round3))
    assert (sales.shown, sales.answered, sales.invited) == (True, 6, 6)  # 3 + 3 hand-delivered


def test_with_a_verified_domain_only_emailed_people_at_it_count_toward_k(company, round3):
    CompanyDomain.objects.create(
        company=company, domain="acme.test", token="t", verified_at=timezone.now()
    )
    person(round3, email="a@acme.test", answered=YESTERDAY)
    person(round3, email="b@ACME.test", answered=YESTERDAY)
    person(round3, email="c@gmail.com", answered=YESTERDAY)  # emailed, but elsewhere
    assert not group(round_tracking(round3)).shown
    person(round3, email="d@acme.test", answered=YESTERDAY)
    sales = group(round_tracking(round3))
    assert (sales.shown, sales.answered) == (True, 4)


def test_shared_link_respondents_count_nowhere_until_they_submit_then_from_midnight(round3):
    SharedLink.objects.create(round=round3, department="marketing", role="staff")
    started = person(round3, department="marketing", via=Via.SHARED)  # pressed Start
    marketing = group(round_tracking(round3), "marketing")
    assert (marketing.invited, marketing.answered, marketing.shown) == (0, 0, False)
    submit_answers(respondent=started, ratings=RATINGS)  # submits today: still nothing
    assert group(round_tracking(round3), "marketing").invited == 0
    answered_yesterday(round3)  # the next day, but the group has no independent answers
    assert group(round_tracking(round3), "marketing").invited == 0
    for _ in range(3):
        person(round3, department="marketing", answered=YESTERDAY)
    marketing = group(round_tracking(round3), "marketing")
    assert (marketing.invited, marketing.answered, marketing.shown) == (4, 4, True)


def test_totals_wait_for_every_staff_group_in_play(round3):
    person(round3, role="leader", answered=YESTERDAY)
    for _ in range(3):
        person(round3, answered=YESTERDAY)
    tracking = round_tracking(round3)
    assert (tracking.invited, tracking.answered, tracking.rate) == (4, 4, 100)  # marketing empty
    link = SharedLink.objects.create(round=round3, department="marketing", role="staff")
    assert round_tracking(round3).answered is None  # a shared link puts the group in play
    link.delete()
    person(round3, department="marketing")  # one invited, hidden: no totals either
    tracking = round_tracking(round3)
    assert (tracking.invited, tracking.answered, tracking.rate) == (None, None, None)
    assert group(tracking, "marketing").invited == 1


def test_heads_are_always_shown_but_counted_at_the_same_midnight(round3):
    head = person(round3, role="leader")
    sales_heads = group(round_tracking(round3), role="leader")
    assert (sales_heads.shown, sales_heads.invited, sales_heads.answered) == (True, 1, 0)
    submit_answers(respondent=head, ratings=RATINGS)
    assert group(round_tracking(round3), role="leader").answered == 0  # not before midnight
    answered_yesterday(round3)
    assert group(round_tracking(round3), role="leader").answered == 1


def test_a_removed_person_still_counts_toward_k_so_removing_them_moves_nothing(round3):
    people = [person(round3, answered=YESTERDAY) for _ in range(3)]
    before = round_tracking(round3)
    Respondent.objects.filter(pk=people[0].pk).update(removed_at=timezone.now())
    after = round_tracking(round3)
    assert [(g.invited, g.answered, g.shown) for g in before.groups] == [
        (g.invited, g.answered, g.shown) for g in after.groups
    ]
    assert group(after).removed == 1


def test_a_closed_round_counts_every_answer_with_the_published_threshold(round3):
    for _ in range(3):
        person(round3, answered=TODAY)
    assert not group(round_tracking(round3)).shown
    close(round3)
    sales = group(round_tracking(round3))
    assert (sales.shown, sales.answered) == (True, 3)


def test_the_round_page_says_why_the_counts_move_once_a_day(client, round3, manager):
    make_respondent(round3, "sales", "staff", uniform(3))
    client.force_login(manager)
    html = client.get(f"/rounds/{round3.pk}/manage/").content.decode()
    assert "Answers are counted once a day, up to last midnight" in html
    assert "only once 3 of its people invited by email have answered" in html
    assert "shown from 3 answers" in html
    vietnamese = Client()
    vietnamese.force_login(manager)
    vietnamese.cookies["django_language"] = "vi"
    html = vietnamese.get(f"/rounds/{round3.pk}/manage/").content.decode()
    assert "Câu trả lời được đếm mỗi ngày một lần" in html
    assert "hiện khi có 3 câu trả lời" in html
