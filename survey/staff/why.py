"""The survey page's optional comments and guess question: what the template shows."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from survey.models import MAX_COMMENT_LENGTH, OPEN_QUESTION, Guess

# Built here rather than in the template: the survey page is the hottest page, and twenty
# of these cost a template a millisecond of CPU, Python a twentieth of that.
WHY_BOX = (
    '<details class="why"{open}><summary>{summary}</summary>\n'
    '        <label class="form-label small" for="c{n}">{label}</label>\n'
    '        <textarea class="form-control{invalid}" name="c{n}" id="c{n}" rows="3" '
    'maxlength="{limit}">{text}</textarea>\n'
    "      </details>"
)


def why_box(number: int, comment: str, too_long: bool, summary: str, label: str) -> SafeString:
    """The collapsed "Why? (optional)" box under a statement; open when it holds text."""
    return mark_safe(  # every piece of text in it is escaped or our own
        WHY_BOX.format(
            open=" open" if comment else "",
            summary=summary,
            n=number,
            label=label,
            invalid=" is-invalid" if too_long else "",
            limit=MAX_COMMENT_LENGTH,
            text=escape(comment),
        )
    )


def why_context(
    items: list[dict], comments: dict[int, str], too_long: list[int], guess: str
) -> dict:
    """Puts each statement's comment (as typed, or as stored) on its item, and the open
    question and guess beside them. Statements whose comment is too long are listed so the
    page can say so and open their box."""
    summary = escape(_("Why? (optional)"))
    label = escape(
        _(
            "Why did you choose this rating? Plain text, at most 1,000 characters; "
            "please name no colleagues."
        )
    )
    for item in items:
        number = item["number"]
        comment = comments.get(number, "")
        item["why"] = why_box(number, comment, number in too_long, summary, label)
    return {
        "open_comment": comments.get(OPEN_QUESTION, ""),
        "open_too_long": OPEN_QUESTION in too_long,
        "too_long": [n for n in too_long if n != OPEN_QUESTION],
        "guess": guess,
        "guess_choices": [(value, str(label)) for value, label in Guess.choices],
        "max_comment": MAX_COMMENT_LENGTH,
    }
