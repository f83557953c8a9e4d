"""Downloads of a round for its company's leaders: anonymised answers and the summary."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from scoring import exports
from scoring.core import RoundScore, score_round
from scoring.insight_views import round_result
from scoring.queries import anonymity_threshold, round_rows
from survey.access import member_round_or_404
from survey.models import Round


def summary_of(round: Round) -> tuple[RoundScore, exports.Answered]:
    """The round's published figures and who has answered, from one read of the releases."""
    rows = round_rows(round)
    return score_round(rows.cells, anonymity_threshold(round)), rows.answered


@require_GET
@login_required
def answers_csv(request: HttpRequest, round_id: int) -> HttpResponse:
    round = member_round_or_404(request.user, round_id)
    table = exports.answer_table(round, round_result(round))
    return exports.csv_response(table, exports.filename(round, "answers", "csv"))


@require_GET
@login_required
def answers_xlsx(request: HttpRequest, round_id: int) -> HttpResponse:
    round = member_round_or_404(request.user, round_id)
    table = exports.answer_table(round, round_result(round))
    return exports.xlsx_response(table, exports.filename(round, "answers", "xlsx"), "answers")


@require_GET
@login_required
def summary_csv(request: HttpRequest, round_id: int) -> HttpResponse:
    round = member_round_or_404(request.user, round_id)
    table = exports.summary_table(*summary_of(round))
    return exports.csv_response(table, exports.filename(round, "summary", "csv"))


@require_GET
@login_required
def summary_xlsx(request: HttpRequest, round_id: int) -> HttpResponse:
    round = member_round_or_404(request.user, round_id)
    table = exports.summary_table(*summary_of(round))
    return exports.xlsx_response(table, exports.filename(round, "summary", "xlsx"), "summary")


@require_GET
@login_required
def summary_json(request: HttpRequest, round_id: int) -> HttpResponse:
    round = member_round_or_404(request.user, round_id)
    summary = exports.summary_json(round, *summary_of(round))
    response = JsonResponse(summary)
    response["Content-Disposition"] = (
        f'inline; filename="{exports.filename(round, "summary", "json")}"'
    )
    return response
