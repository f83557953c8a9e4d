"""Downloads of a round for its company's leaders: anonymised answers and the summary."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from scoring.core.rounding import ANALYSIS
from scoring.core.scores import RoundScore
from scoring.files import deck, exports
from scoring.pages import voices
from scoring.results.published import Published, published
from scoring.results.reads import agreements_of
from scoring.views.access import LeaderRequest, round_or_404
from survey.models import Round


def summary_of(survey_round: Round) -> tuple[RoundScore, Published]:
    """The round's published figures; a 404 until the round is closed and published."""
    result = published(survey_round)
    if result is None:
        raise Http404("results are published when the round closes")
    return result.score, result


def title(round: Round) -> str:
    return f"{round.company.name} · {round.title}"


@require_GET
@login_required
def answers_csv(request: LeaderRequest, round_id: int) -> HttpResponse:
    round = round_or_404(request, round_id)
    table = exports.answer_table(round, summary_of(round)[1])
    return exports.csv_response(table, exports.filename(round, "answers", "csv"), ANALYSIS)


@require_GET
@login_required
def answers_xlsx(request: LeaderRequest, round_id: int) -> HttpResponse:
    round = round_or_404(request, round_id)
    table = exports.answer_table(round, summary_of(round)[1])
    name = exports.filename(round, "answers", "xlsx")
    return exports.xlsx_response(table, name, exports.ANSWERS_SHEET, title(round))


@require_GET
@login_required
def summary_csv(request: LeaderRequest, round_id: int) -> HttpResponse:
    round = round_or_404(request, round_id)
    table = exports.summary_table(round, *summary_of(round))
    return exports.csv_response(table, exports.filename(round, "summary", "csv"))


@require_GET
@login_required
def summary_xlsx(request: LeaderRequest, round_id: int) -> HttpResponse:
    round = round_or_404(request, round_id)
    table = exports.summary_table(round, *summary_of(round))
    name = exports.filename(round, "summary", "xlsx")
    return exports.xlsx_response(table, name, exports.SUMMARY_SHEET, title(round))


@require_GET
@login_required
def summary_json(request: LeaderRequest, round_id: int) -> HttpResponse:
    round = round_or_404(request, round_id)
    summary = exports.summary_json(round, *summary_of(round))
    response = JsonResponse(summary)
    response["Content-Disposition"] = (
        f'inline; filename="{exports.filename(round, "summary", "json")}"'
    )
    return response


@require_GET
@login_required
def comments_csv(request: LeaderRequest, round_id: int) -> HttpResponse:
    round = round_or_404(request, round_id)
    table = voices.comment_table(summary_of(round)[1])
    return exports.csv_response(table, exports.filename(round, "comments", "csv"))


@require_GET
@login_required
def comments_xlsx(request: LeaderRequest, round_id: int) -> HttpResponse:
    round = round_or_404(request, round_id)
    table = voices.comment_table(summary_of(round)[1])
    name = exports.filename(round, "comments", "xlsx")
    return exports.xlsx_response(table, name, exports.COMMENTS_SHEET, title(round))


@require_GET
@login_required
def board_deck(request: LeaderRequest, round_id: int) -> HttpResponse:
    round = round_or_404(request, round_id)
    result = summary_of(round)[1]
    content = deck.board_deck(round, result, result.score, agreements_of(round))
    response = HttpResponse(content, content_type=deck.PPTX)
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(round, "board-deck", "pptx")}"'
    )
    return response
