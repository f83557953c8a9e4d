from django.urls import path

from scoring import views

app_name = "scoring"
urlpatterns = [
    path("rounds/<int:round_id>/", views.dashboard, name="dashboard"),
]
