from django.urls import path

from scoring import insight_views, views

app_name = "scoring"
urlpatterns = [
    path("rounds/<int:round_id>/", views.dashboard, name="dashboard"),
]

urlpatterns += [
    path("rounds/<int:round_id>/guide/", insight_views.guide_page, name="guide"),
    path("rounds/<int:round_id>/plan/", insight_views.plan, name="plan"),
    path("rounds/<int:round_id>/plan/add/", insight_views.plan_add, name="plan_add"),
    path(
        "rounds/<int:round_id>/plan/<int:action_id>/edit/",
        insight_views.plan_edit,
        name="plan_edit",
    ),
    path(
        "rounds/<int:round_id>/plan/<int:action_id>/delete/",
        insight_views.plan_delete,
        name="plan_delete",
    ),
    path(
        "rounds/<int:round_id>/plan/<int:action_id>/status/",
        insight_views.plan_status,
        name="plan_status",
    ),
]
