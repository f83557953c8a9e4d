"""The statements keep the source's meaning in both languages (../shared/ASSESSMENT.md)."""

import pytest
from django.utils import translation

from survey.core.statements import STATEMENTS


@pytest.mark.parametrize(
    "number,language,words",
    [
        (14, "en", "jointly built"),  # the funnels are built together, not merely shared
        (14, "vi", "cùng xây dựng"),
        (6, "en", "the feedback it asks for"),
        (6, "vi", "marketing yêu cầu"),  # what marketing asks for, not what it needs
    ],
)
def test_a_statement_keeps_the_sources_meaning(number, language, words):
    with translation.override(language):
        assert words in str(STATEMENTS[number])
