"""The project's URLs: the survey links, the leaders' pages, the dashboard and the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from survey import converters, views

register_converter(converters.TokenConverter, "token")

survey_patterns = (
    [
        path("<token:token>/", views.respond, name="respond"),
        path("<token:token>/thanks/", views.thanks, name="thanks"),
    ],
    "survey",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("s/", include(survey_patterns)),
    path("", include("scoring.urls")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
