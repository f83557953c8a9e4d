"""Where a round's anonymity threshold k comes from: the one place to change when it moves."""

from survey.models import Round


def round_threshold(round: Round) -> int:
    """The anonymity threshold k that applies to `round`."""
    return round.company.anonymity_threshold
