from django.urls import path

from scoring import export_views, insight_views, views

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
    path("rounds/<int:round_id>/plan/", insight_views.plan, name="plan"),
    path("rounds/<int:round_id>/plan/add/", insight_views.plan_add, name="plan_add"),
    path(f"{ACTION}/edit/", insight_views.plan_edit, name="plan_edit"),
    path(f"{ACTION}/delete/", insight_views.plan_delete, name="plan_delete"),
    path(f"{ACTION}/status/", insight_views.plan_status, name="plan_status"),
    path("rounds/<int:round_id>/answers.csv", export_views.answers_csv, name="answers_csv"),
    path("rounds/<int:round_id>/answers.xlsx", export_views.answers_xlsx, name="answers_xlsx"),
    path("rounds/<int:round_id>/summary.csv", export_views.summary_csv, name="summary_csv"),
    path("rounds/<int:round_id>/summary.xlsx", export_views.summary_xlsx, name="summary_xlsx"),
    path("rounds/<int:round_id>/summary.json", export_views.summary_json, name="summary_json"),
]
