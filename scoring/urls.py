from django.urls import path

from scoring import (
    action_views,
    export_views,
    insight_views,
    two_key_views,
    views,
    workshop_views,
)

app_name = "scoring"
ACTION = "rounds/<int:round_id>/plan/<int:action_id>"
urlpatterns = [
    path("rounds/<int:round_id>/", views.dashboard, name="dashboard"),
    path("rounds/<int:round_id>/statements/", views.statements, name="statements"),
    path("rounds/<int:round_id>/groups/", views.groups, name="groups"),
    path("rounds/<int:round_id>/spread/", views.spread, name="spread"),
    path("rounds/<int:round_id>/trends/", views.trends, name="trends"),
    path("rounds/<int:round_id>/downloads/", views.downloads, name="downloads"),
    path("rounds/<int:round_id>/guide/", insight_views.guide_page, name="guide"),
    path("rounds/<int:round_id>/guide/two-key/", two_key_views.two_key, name="two_key"),
    path(
        "rounds/<int:round_id>/guide/two-key/heads/",
        two_key_views.two_key_heads,
        name="two_key_heads",
    ),
    path("rounds/<int:round_id>/plan/", insight_views.plan, name="plan"),
    path("rounds/<int:round_id>/plan/add/", insight_views.plan_add, name="plan_add"),
    path(f"{ACTION}/", action_views.action_page, name="action"),
    path(f"{ACTION}/edit/", insight_views.plan_edit, name="plan_edit"),
    path(f"{ACTION}/delete/", insight_views.plan_delete, name="plan_delete"),
    path(f"{ACTION}/status/", insight_views.plan_status, name="plan_status"),
    path("rounds/<int:round_id>/workshop/", workshop_views.workshop, name="workshop"),
    path(
        "rounds/<int:round_id>/workshop/agree/<int:statement>/",
        workshop_views.workshop_agree,
        name="workshop_agree",
    ),
    path(
        "rounds/<int:round_id>/workshop/agreements/<int:agreement_id>/action/",
        workshop_views.workshop_action,
        name="workshop_action",
    ),
    path("rounds/<int:round_id>/answers.csv", export_views.answers_csv, name="answers_csv"),
    path("rounds/<int:round_id>/answers.xlsx", export_views.answers_xlsx, name="answers_xlsx"),
    path("rounds/<int:round_id>/summary.csv", export_views.summary_csv, name="summary_csv"),
    path("rounds/<int:round_id>/summary.xlsx", export_views.summary_xlsx, name="summary_xlsx"),
    path("rounds/<int:round_id>/comments.csv", export_views.comments_csv, name="comments_csv"),
    path("rounds/<int:round_id>/comments.xlsx", export_views.comments_xlsx, name="comments_xlsx"),
    path("rounds/<int:round_id>/summary.json", export_views.summary_json, name="summary_json"),
]
