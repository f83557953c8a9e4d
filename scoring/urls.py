from django.urls import path

from scoring.views import actions, downloads, guide_plan, results, two_key, workshop

app_name = "scoring"
ACTION = "rounds/<int:round_id>/plan/<int:action_id>"
urlpatterns = [
    path("rounds/<int:round_id>/", results.dashboard, name="dashboard"),
    path("rounds/<int:round_id>/statements/", results.statements, name="statements"),
    path("rounds/<int:round_id>/groups/", results.groups, name="groups"),
    path("rounds/<int:round_id>/spread/", results.spread, name="spread"),
    path("rounds/<int:round_id>/trends/", results.trends, name="trends"),
    path("rounds/<int:round_id>/downloads/", results.downloads, name="downloads"),
    path("rounds/<int:round_id>/guide/", guide_plan.guide_page, name="guide"),
    path("rounds/<int:round_id>/guide/two-key/", two_key.two_key, name="two_key"),
    path(
        "rounds/<int:round_id>/guide/two-key/heads/",
        two_key.two_key_heads,
        name="two_key_heads",
    ),
    path("rounds/<int:round_id>/plan/", guide_plan.plan, name="plan"),
    path("rounds/<int:round_id>/plan/add/", guide_plan.plan_add, name="plan_add"),
    path(f"{ACTION}/", actions.action_page, name="action"),
    path(f"{ACTION}/edit/", guide_plan.plan_edit, name="plan_edit"),
    path(f"{ACTION}/delete/", guide_plan.plan_delete, name="plan_delete"),
    path(f"{ACTION}/status/", guide_plan.plan_status, name="plan_status"),
    path("rounds/<int:round_id>/workshop/", workshop.workshop, name="workshop"),
    path(
        "rounds/<int:round_id>/workshop/agree/<int:statement>/",
        workshop.workshop_agree,
        name="workshop_agree",
    ),
    path(
        "rounds/<int:round_id>/workshop/agreements/<int:agreement_id>/action/",
        workshop.workshop_action,
        name="workshop_action",
    ),
    path("rounds/<int:round_id>/answers.csv", downloads.answers_csv, name="answers_csv"),
    path("rounds/<int:round_id>/answers.xlsx", downloads.answers_xlsx, name="answers_xlsx"),
    path("rounds/<int:round_id>/summary.csv", downloads.summary_csv, name="summary_csv"),
    path("rounds/<int:round_id>/summary.xlsx", downloads.summary_xlsx, name="summary_xlsx"),
    path("rounds/<int:round_id>/comments.csv", downloads.comments_csv, name="comments_csv"),
    path("rounds/<int:round_id>/comments.xlsx", downloads.comments_xlsx, name="comments_xlsx"),
    path("rounds/<int:round_id>/board-deck.pptx", downloads.board_deck, name="board_deck"),
    path("rounds/<int:round_id>/summary.json", downloads.summary_json, name="summary_json"),
]
