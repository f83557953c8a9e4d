"""The workshop's discussion prompts, without the database."""

import pytest
from django.utils import translation

from scoring.advice.prompts import CAUSE_NAMES, PROMPTS, Cause, prompts_for
from survey.core.statements import STATEMENTS


@pytest.mark.parametrize("statement", sorted(STATEMENTS))
def test_every_statement_has_one_to_three_prompts(statement):
    prompts = prompts_for(statement)
    assert 1 <= len(prompts) <= 3
    assert all(p.statement == statement for p in prompts)


def test_there_are_no_prompts_for_a_statement_that_does_not_exist():
    assert {p.statement for p in PROMPTS} == set(STATEMENTS)
    with pytest.raises(KeyError):
        prompts_for(21)


def test_prompts_cover_the_symptoms_and_every_economic_and_cultural_cause():
    assert {p.cause for p in PROMPTS} == set(Cause)
    assert set(CAUSE_NAMES) == set(Cause)


def test_every_prompt_cites_a_quoted_passage_of_the_source():
    for prompt in PROMPTS:
        section, _, quote = prompt.source.partition(": ")
        assert section and quote.startswith('"') and quote.count('"') >= 2, prompt.source


def test_prompts_are_distinct_questions():
    texts = [str(p.text) for p in PROMPTS]
    assert len(texts) == len(set(texts))
    assert all(text.endswith(("?", ".")) for text in texts)


def test_every_prompt_and_cause_is_translated_into_vietnamese():
    english = [str(p.text) for p in PROMPTS] + [str(n) for n in CAUSE_NAMES.values()]
    with translation.override("vi"):
        vietnamese = [str(p.text) for p in PROMPTS] + [str(n) for n in CAUSE_NAMES.values()]
    untranslated = [en for en, vi in zip(english, vietnamese, strict=True) if en == vi]
    assert untranslated == []
