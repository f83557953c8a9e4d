"""Rounds with known answers, for the insight tests."""

from datetime import timedelta

from django.utils import timezone

from survey.models import Company, Round
from tests.factories import close, make_respondent, uniform


def answered_round(
    company: Company,
    title: str = "Spring",
    *,
    sales: int = 3,
    marketing: int = 3,
    sales_staff: int = 5,
    marketing_staff: int = 5,
    days_ago: int = 0,
    closed: bool = True,
) -> Round:
    """A round where each department's head and staff all rate every statement the same.

    With uniform ratings every score is 20 x rating, every statement mean is the rating,
    and every statement gap is sales - marketing. Closed (results published) unless
    `closed` is False.
    """
    round_ = company.rounds.create(title=title, opened_at=timezone.now() - timedelta(days=days_ago))
    for department, rating, staff in (
        ("sales", sales, sales_staff),
        ("marketing", marketing, marketing_staff),
    ):
        make_respondent(round_, department, "leader", uniform(rating))
        for _ in range(staff):
            make_respondent(round_, department, "staff", uniform(rating))
    return close(round_) if closed else round_
