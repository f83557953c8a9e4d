from django import forms
from django.utils.translation import gettext_lazy as _

from survey.core.statements import SCALE, STATEMENTS
from survey.models import MAX_COMMENT_LENGTH, OPEN_QUESTION, Guess

COMMENTED = (*STATEMENTS, OPEN_QUESTION)  # every statement, and the open question


class CommentField(forms.CharField):
    """Plain text; a browser's CRLF line ends count as one character, as its maxlength does."""

    def to_python(self, value):
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n")


def field_name(statement: int) -> str:
    return f"s{statement}"


def comment_name(statement: int) -> str:
    return f"c{statement}"


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
        for number in COMMENTED:
            self.fields[comment_name(number)] = CommentField(
                required=False,
                max_length=MAX_COMMENT_LENGTH,
                error_messages={
                    "max_length": _("Keep a comment to at most 1,000 characters."),
                },
            )
        self.fields["guess"] = forms.ChoiceField(choices=Guess.choices, required=False)

    def comments(self) -> dict[int, str]:
        """The comments given, as typed (stripped); an empty box is no comment."""
        given = {n: self.cleaned_data[comment_name(n)] for n in COMMENTED}
        return {n: text for n, text in given.items() if text}

    def guess(self) -> str:
        return self.cleaned_data["guess"]

    def given_comments(self) -> dict[int, str]:
        """What was typed, to show again beside the errors."""
        return {n: self.data.get(comment_name(n), "") for n in COMMENTED}

    def too_long(self) -> list[int]:
        return [n for n in COMMENTED if comment_name(n) in self.errors]

    def given_guess(self) -> str:
        value = self.data.get("guess", "")
        return value if value in Guess.values else ""

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
