"""The database itself refuses impossible answers, whatever code writes them."""

import pytest
from django.db import IntegrityError, transaction

from survey.models import Answer, Company, Respondent, SurveyLink
from tests.factories import make_respondent


def refuses(**fields) -> bool:
    try:
        with transaction.atomic():
            Answer.objects.create(**fields)
    except IntegrityError:
        return True
    return False


@pytest.mark.parametrize("rating", [0, 6, 100])
def test_it_refuses_a_rating_outside_1_to_5(round_, rating):
    respondent, _ = make_respondent(round_)
    assert refuses(respondent=respondent, statement=1, rating=rating)


@pytest.mark.parametrize("statement", [0, 21])
def test_it_refuses_a_statement_outside_1_to_20(round_, statement):
    respondent, _ = make_respondent(round_)
    assert refuses(respondent=respondent, statement=statement, rating=3)


def test_it_refuses_a_second_answer_to_the_same_statement(round_):
    respondent, _ = make_respondent(round_)
    Answer.objects.create(respondent=respondent, statement=7, rating=2)
    assert refuses(respondent=respondent, statement=7, rating=4)
    assert list(respondent.answers.values_list("rating", flat=True)) == [2]


@pytest.mark.parametrize("rating,statement", [(1, 1), (5, 20)])
def test_it_accepts_the_edges(round_, rating, statement):
    respondent, _ = make_respondent(round_)
    assert not refuses(respondent=respondent, statement=statement, rating=rating)


def test_it_refuses_an_anonymity_threshold_below_3(db):
    with pytest.raises(IntegrityError):
        Company.objects.create(name="Tiny", slug="tiny", anonymity_threshold=2)


def test_it_refuses_an_unknown_department(round_):
    with pytest.raises(IntegrityError):
        Respondent.objects.create(round=round_, department="finance")


def test_links_are_long_random_and_only_their_hash_is_stored(round_):
    tokens = {make_respondent(round_)[1] for _ in range(50)}
    assert len(tokens) == 50
    assert all(len(token) == 32 for token in tokens)
    stored = set(SurveyLink.objects.values_list("token_hash", flat=True))
    assert len(stored) == 50 and not stored & tokens
