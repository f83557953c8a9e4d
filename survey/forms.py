from django import forms
from django.utils.translation import gettext_lazy as _

from survey.statements import SCALE, STATEMENTS


def field_name(statement: int) -> str:
    return f"s{statement}"


class AnswersForm(forms.Form):
    """Validates a posted survey; the page itself is rendered by hand (see respond.html)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number in STATEMENTS:
            self.fields[field_name(number)] = forms.TypedChoiceField(
                choices=SCALE,
                coerce=int,
                error_messages={
                    "required": _("Choose a rating for this statement."),
                    "invalid_choice": _("Choose a rating from 1 to 5."),
                },
            )

    def ratings(self) -> dict[int, int]:
        return {number: self.cleaned_data[field_name(number)] for number in STATEMENTS}

    def given_ratings(self) -> dict[int, int]:
        """What was validly chosen so far, to show again beside the errors."""
        given = {}
        for number in STATEMENTS:
            value = self.data.get(field_name(number), "")
            if value in {"1", "2", "3", "4", "5"}:
                given[number] = int(value)
        return given
