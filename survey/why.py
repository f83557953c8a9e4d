"""The survey page's optional comments and guess question: what the template shows."""

from survey.models import MAX_COMMENT_LENGTH, OPEN_QUESTION, Guess


def why_context(
    items: list[dict], comments: dict[int, str], too_long: list[int], guess: str
) -> dict:
    """Puts each statement's comment (as typed, or as stored) on its item, and the open
    question and guess beside them. Statements whose comment is too long are listed so the
    page can say so and open their box."""
    for item in items:
        item["comment"] = comments.get(item["number"], "")
        item["too_long"] = item["number"] in too_long
    return {
        "open_comment": comments.get(OPEN_QUESTION, ""),
        "open_too_long": OPEN_QUESTION in too_long,
        "too_long": [n for n in too_long if n != OPEN_QUESTION],
        "guess": guess,
        "guess_choices": [(value, str(label)) for value, label in Guess.choices],
        "max_comment": MAX_COMMENT_LENGTH,
    }
