"""The project's URLs: the survey links, the leaders' workspace, the dashboard and the admin."""

from allauth.mfa.base import views as mfa_views
from allauth.mfa.recovery_codes import views as recovery_views
from allauth.mfa.totp import views as totp_views
from allauth.mfa.webauthn import views as webauthn_views
from allauth.socialaccount.providers.openid_connect import views as oidc_views
from allauth.socialaccount.providers.saml import views as saml_views
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, register_converter
from django.views.decorators.http import require_safe

from scoring.api.views import api
from survey import converters
from survey.identity import account_views, scim, token_views
from survey.identity import directory_views as identity_directory_views
from survey.identity import views as identity_views
from survey.lifecycle import views as lifecycle_views
from survey.plumbing import operations
from survey.staff import views
from survey.webhooks import views as webhook_views
from survey.workspace import (
    accounts,
    directory_views,
    domain_views,
    invitations,
    participant_views,
    rounds,
)

register_converter(converters.TokenConverter, "token")
register_converter(converters.KeyConverter, "key")

survey_patterns = (
    [
        path("<token:token>/", views.open_link, name="open"),
        path("start/", views.start, name="start"),
        path("r/<key:key>/", views.respond, name="respond"),
        path("r/<key:key>/thanks/", views.thanks, name="thanks"),
        path("r/<key:key>/fresh-link/", views.fresh_link, name="fresh_link"),
        path("r/<key:key>/names/flag/", views.flag_names, name="flag_names"),
        path("join/<token:token>/", invitations.join, name="join"),
        path("join/", invitations.join_start, name="join_start"),
    ],
    "survey",
)

workspace_patterns = (
    [
        path("companies/new/", rounds.company_create, name="company_create"),
        path("companies/<int:company_id>/", rounds.company, name="company"),
        path("companies/<int:company_id>/members/", rounds.members, name="members"),
        path(
            "companies/<int:company_id>/members/<int:membership_id>/remove/",
            rounds.member_remove,
            name="member_remove",
        ),
        path("companies/<int:company_id>/domains/", domain_views.domains, name="domains"),
        path(
            "companies/<int:company_id>/domains/<int:domain_id>/check/",
            domain_views.domain_check,
            name="domain_check",
        ),
        path(
            "companies/<int:company_id>/domains/<int:domain_id>/remove/",
            domain_views.domain_remove,
            name="domain_remove",
        ),
        path("companies/<int:company_id>/rounds/new/", rounds.round_create, name="round_create"),
        path("invitations/<token:token>/", rounds.join_company, name="join_company"),
        path("rounds/<int:round_id>/manage/", rounds.round_detail, name="round"),
        path("rounds/<int:round_id>/edit/", rounds.round_edit, name="round_edit"),
        path("rounds/<int:round_id>/close/", rounds.round_close, name="round_close"),
        path("rounds/<int:round_id>/people/", invitations.add_people, name="add_people"),
        path(
            "rounds/<int:round_id>/people/preview/",
            participant_views.invitation_preview,
            name="invitation_preview",
        ),
        path(
            "rounds/<int:round_id>/participants/",
            participant_views.participant_list_page,
            name="participants",
        ),
        path(
            "rounds/<int:round_id>/participants/<int:respondent_id>/resend/",
            participant_views.resend,
            name="participant_resend",
        ),
        path(
            "rounds/<int:round_id>/participants/<int:respondent_id>/email/",
            participant_views.correct_email,
            name="participant_email",
        ),
        path(
            "rounds/<int:round_id>/participants/<int:respondent_id>/remove/",
            participant_views.remove,
            name="participant_remove",
        ),
        path("rounds/<int:round_id>/fresh-link/", invitations.fresh_link, name="fresh_link"),
        path("rounds/<int:round_id>/remind/", invitations.remind, name="remind"),
        path(
            "rounds/<int:round_id>/auto-reminders/",
            rounds.auto_reminders,
            name="auto_reminders",
        ),
        path(
            "rounds/<int:round_id>/shared/<str:department>/<str:role>/",
            invitations.shared_link_toggle,
            name="shared_link_toggle",
        ),
        path("companies/<int:company_id>/data/", lifecycle_views.data, name="data"),
        path(
            "companies/<int:company_id>/data/export.zip",
            lifecycle_views.data_export,
            name="data_export",
        ),
        path(
            "companies/<int:company_id>/delete/",
            lifecycle_views.company_delete,
            name="company_delete",
        ),
        path(
            "companies/<int:company_id>/delete/undo/",
            lifecycle_views.company_delete_undo,
            name="company_delete_undo",
        ),
        path("companies/<int:company_id>/webhooks/", webhook_views.webhooks, name="webhooks"),
        path(
            "companies/<int:company_id>/webhooks/<int:endpoint_id>/",
            webhook_views.webhook,
            name="webhook",
        ),
        path(
            "companies/<int:company_id>/webhooks/<int:endpoint_id>/enable/",
            webhook_views.webhook_enable,
            name="webhook_enable",
        ),
        path(
            "companies/<int:company_id>/webhooks/<int:endpoint_id>/remove/",
            webhook_views.webhook_remove,
            name="webhook_remove",
        ),
        path(
            "companies/<int:company_id>/webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/send/",
            webhook_views.webhook_resend,
            name="webhook_resend",
        ),
        path("companies/<int:company_id>/sso/", identity_views.sso_settings, name="sso"),
        path("companies/<int:company_id>/api/", token_views.api_tokens, name="api_tokens"),
        path(
            "companies/<int:company_id>/api/<int:token_id>/revoke/",
            token_views.api_token_revoke,
            name="api_token_revoke",
        ),
        path("companies/<int:company_id>/sso/test/", identity_views.sso_test, name="sso_test"),
        path(
            "companies/<int:company_id>/sso/enforce/",
            identity_views.sso_enforce,
            name="sso_enforce",
        ),
        path(
            "companies/<int:company_id>/directory/",
            identity_directory_views.directory_settings,
            name="directory",
        ),
        path(
            "companies/<int:company_id>/directory/tokens/<int:token_id>/revoke/",
            identity_directory_views.token_revoke,
            name="directory_token_revoke",
        ),
        path(
            "rounds/<int:round_id>/directory/invite/",
            directory_views.invite_directory,
            name="invite_directory",
        ),
        path(
            "companies/<int:company_id>/two-factor/",
            account_views.company_mfa,
            name="company_mfa",
        ),
        path("shared/<int:link_id>/qr.svg", invitations.shared_link_qr, name="shared_link_qr"),
        path(
            "shared/<int:link_id>/qr.png",
            invitations.shared_link_qr,
            {"kind": "png"},
            name="shared_link_qr_png",
        ),
    ],
    "workspace",
)

# SCIM 2.0 (RFC 7644): the company's identity provider with a bearer token, not a browser.
scim_patterns = (
    [
        path("", scim.unknown, name="root"),
        path(".search", scim.root_search, name="search"),
        path("ServiceProviderConfig", scim.service_provider_config, name="config"),
        path("ResourceTypes", scim.resource_type_list, name="resource_types"),
        path("ResourceTypes/<str:name>", scim.resource_type_detail, name="resource_type"),
        path("Schemas", scim.schema_list, name="schemas"),
        path("Schemas/<str:urn>", scim.schema_detail, name="schema"),
        path("Users", scim.users, name="users"),
        path("Users/.search", scim.user_search, name="user_search"),
        path("Users/<str:scim_id>", scim.user, name="user"),
        path("Groups", scim.groups, name="groups"),
        path("Groups/.search", scim.group_search, name="group_search"),
        path("Groups/<str:scim_id>", scim.group, name="group"),
        path("<path:rest>", scim.unknown, name="unknown"),
    ],
    "scim",
)

login_view = accounts.LoginView.as_view()

account_patterns = [
    path("login/", login_view, name="login"),
    # The same page under the name allauth's sign-in stages send people back to.
    path("login/", login_view, name="account_login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/company/", identity_views.sso_start, name="sso_start"),
    # allauth's OpenID Connect callback and SAML endpoints only: the way there is sso_start,
    # which finds the company by the address typed (allauth's own pages are not used).
    path(
        "accounts/oidc/<str:provider_id>/login/callback/",
        oidc_views.callback,
        name="openid_connect_callback",
    ),
    # allauth's SAML service provider: where the IdP posts its response (then a same-site
    # GET finishes it, so the session cookie is sent), and our metadata (the SP entity ID).
    path("accounts/saml/<str:organization_slug>/acs/", saml_views.acs, name="saml_acs"),
    path(
        "accounts/saml/<str:organization_slug>/acs/finish/",
        saml_views.finish_acs,
        name="saml_finish_acs",
    ),
    # The IdP's single logout (it ends the session here too); allauth builds our metadata with it.
    path("accounts/saml/<str:organization_slug>/sls/", saml_views.sls, name="saml_sls"),
    path(
        "accounts/saml/<str:organization_slug>/metadata/",
        identity_views.saml_metadata,
        name="saml_metadata",
    ),
    path("account/", account_views.account, name="account"),
    path("account/delete/", account_views.account_delete, name="account_delete"),
    # Two-factor sign-in: allauth's MFA views (our templates in templates/mfa/), the ones we
    # offer; allauth's own sign-in and reauthentication pages are not used.
    path("account/two-factor/", mfa_views.index, name="mfa_index"),
    path("login/two-factor/", mfa_views.authenticate, name="mfa_authenticate"),
    path("account/two-factor/totp/", totp_views.activate_totp, name="mfa_activate_totp"),
    path(
        "account/two-factor/totp/remove/",
        totp_views.deactivate_totp,
        name="mfa_deactivate_totp",
    ),
    path(
        "account/two-factor/recovery-codes/",
        recovery_views.view_recovery_codes,
        name="mfa_view_recovery_codes",
    ),
    path(
        "account/two-factor/recovery-codes/new/",
        recovery_views.generate_recovery_codes,
        name="mfa_generate_recovery_codes",
    ),
    path(
        "account/two-factor/recovery-codes/download/",
        recovery_views.download_recovery_codes,
        name="mfa_download_recovery_codes",
    ),
    path("account/two-factor/passkeys/", webauthn_views.list_webauthn, name="mfa_list_webauthn"),
    path("account/two-factor/passkeys/add/", webauthn_views.add_webauthn, name="mfa_add_webauthn"),
    path(
        "account/two-factor/passkeys/<int:pk>/remove/",
        webauthn_views.remove_webauthn,
        name="mfa_remove_webauthn",
    ),
    path("signup/", accounts.signup, name="signup"),
    path("signup/sent/", accounts.signup_sent, name="signup_sent"),
    path("signup/finish/<str:token>/", accounts.signup_finish, name="signup_finish"),
    path("password-reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on their own; send them to the static file (not permanent:
    its hashed name changes with the icon)."""
    return redirect(static("img/favicon.ico"))


urlpatterns = [
    path("", rounds.home, name="home"),
    path("favicon.ico", favicon, name="favicon"),
    # Anyone asks what is held about their e-mail address; the answer goes to that address.
    path("your-data/", lifecycle_views.data_request, name="data_request"),
    path("robots.txt", operations.robots_txt, name="robots_txt"),
    path("s/", include(survey_patterns)),
    path("", include(workspace_patterns)),
    path("scim/v2/", include(scim_patterns)),
    path("", include("scoring.urls")),
    path("api/v1/", api.urls),
    *account_patterns,
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# A database outage answers 503 with an explanation instead of a bare "Server Error".
handler500 = "survey.plumbing.operations.server_error"
# A refusal says why: owners only, or a viewer's role that only reads.
handler403 = "survey.workspace.access.refused"
