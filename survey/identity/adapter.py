"""allauth's hooks for company single sign-on (survey.identity.sso has the rules).

- Apps: only the companies' own (`CompanySSO.app`), looked up per request; never a list of
  every company's provider, and never an app from settings.
- Before the sign-in completes: the address must be at one of the company's verified
  domains, and verified by the provider; an existing account with that address is linked.
- A new account is named by its address, like password sign-up, and has no password.
- Any failure is our own page saying what happened, never a 500.
"""

from typing import Any
from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from requests import RequestException

from survey.identity import sso as rules
from survey.identity.models import CompanySSO

# The company whose provider this browser chose on "Sign in with your company".
CHOSEN_COMPANY = "sso_company"


def refuse(request: HttpRequest, reason: str, *, status: int = 403, **context: Any):
    return ImmediateHttpResponse(
        render(request, "identity/sso_error.html", {"reason": reason, **context}, status=status)
    )


def vouched(sso: CompanySSO, sociallogin: SocialLogin, email: str) -> bool:
    """The provider says it verified the address: `email_verified` (OIDC core), or Entra
    ID's `xms_edov` (the address's domain is verified by the tenant). SAML has no such
    attribute in common use: the address in an assertion signed by the company's own IdP,
    at a domain the company proved is its own (checked before), is the IdP's word."""
    if sso.protocol == CompanySSO.Protocol.SAML:
        return True
    claims = {**sociallogin.account.extra_data.get("userinfo", {})}
    claims.update(sociallogin.account.extra_data.get("id_token", {}))
    if str(claims.get("xms_edov", "")).lower() in {"1", "true"}:
        return True
    return any(
        address.verified and address.email.lower() == email
        for address in sociallogin.email_addresses
    )


def existing_account(email: str):
    return (
        get_user_model()
        .objects.filter(Q(username__iexact=email) | Q(email__iexact=email))
        .order_by("pk")
        .first()
    )


class CompanySSOAdapter(DefaultSocialAccountAdapter):
    def list_apps(
        self, request: HttpRequest, provider: str | None = None, client_id: str | None = None
    ) -> list[SocialApp]:
        apps = SocialApp.objects.filter(company_sso__isnull=False)
        if provider == rules.OIDC:
            chosen = request.session.get(CHOSEN_COMPANY) if request else None
            apps = apps.filter(provider=rules.OIDC, company_sso__company_id=chosen)
        elif provider == rules.SAML:
            # allauth's SAML views look the app up by its organisation slug (client_id).
            apps = apps.filter(provider=rules.SAML)
        elif provider:
            apps = apps.filter(provider_id=provider)
        else:
            return []
        if client_id:
            apps = apps.filter(client_id=client_id)
        return list(apps)

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        sso = CompanySSO.objects.select_related("company").get(app__pk=sociallogin.provider.app.pk)
        email = (sociallogin.user.email or "").strip().lower()
        if not email and sociallogin.email_addresses:
            email = sociallogin.email_addresses[0].email.strip().lower()
        if not rules.covers(sso, email):
            raise refuse(request, "other_domain", company=sso.company, email=email)
        if not vouched(sso, sociallogin, email):
            raise refuse(request, "unverified", company=sso.company, email=email)
        sociallogin.user.email = email
        user = sociallogin.user if sociallogin.is_existing else existing_account(email)
        if user is None:
            return
        # A company's provider never opens the operators' accounts, nor a disabled one.
        if user.is_staff or user.is_superuser or not user.is_active:
            raise refuse(request, "not_here", company=sso.company, email=email)
        if not sociallogin.is_existing:
            sociallogin.connect(request, user)
            rules.record_sign_in(sso=sso, user=user, linked=True)

    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data):
        """The leader's whole name in one field (survey.identity.accounts), from the IdP's
        `name`, else its given and family names; none given: asked after the sign-in."""
        user = super().populate_user(request, sociallogin, data)
        parts = [data.get("first_name") or "", data.get("last_name") or ""]
        user.first_name = " ".join((data.get("name") or " ".join(parts)).split())[:150]
        user.last_name = ""
        return user

    def save_user(self, request: HttpRequest, sociallogin: SocialLogin, form=None):
        user = sociallogin.user
        user.username = user.email = user.email.lower()
        user.set_unusable_password()
        sociallogin.save(request)
        sso = CompanySSO.objects.select_related("company").get(app__pk=sociallogin.provider.app.pk)
        rules.record_sign_in(sso=sso, user=user, linked=False)
        return user

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        if isinstance(exception, RequestException):
            raise refuse(request, "unreachable", status=502)
        raise refuse(request, "failed", status=400, error=error)


def mfa_messages() -> dict[str, str]:
    return {
        "mfa/messages/totp_activated.txt": _("The authenticator app is set up."),
        "mfa/messages/totp_deactivated.txt": _("The authenticator app is removed."),
        "mfa/messages/recovery_codes_generated.txt": _(
            "Your recovery codes are ready (any older ones no longer work)."
        ),
        "mfa/messages/webauthn_added.txt": _("The passkey is added."),
        "mfa/messages/webauthn_removed.txt": _("The passkey is removed."),
    }


class AccountAdapter(DefaultAccountAdapter):
    """allauth's own messages are English only (it ships no Vietnamese) and speak of its
    pages, which we do not use: say ours after an SSO sign-in and for two-factor changes,
    and nothing else."""

    def add_message(self, request, level, message_template=None, message_context=None, **kw):
        if message_template == "account/messages/logged_in.txt":
            user = (message_context or {}).get("user")
            email = getattr(user, "email", "")
            messages.success(request, _("Signed in as %(email)s.") % {"email": email})
        elif message_template in mfa_messages():
            messages.success(request, mfa_messages()[message_template])

    def post_login(self, request, user, **kwargs):
        """After a single sign-on, a leader whose provider gave no name is asked for it
        (the e-mails they cause carry it), then goes on where they were headed."""
        response = super().post_login(request, user, **kwargs)
        social = (kwargs.get("signal_kwargs") or {}).get("sociallogin")
        if social is None or user.get_full_name() or response.status_code != 302:
            return response
        messages.info(request, _("Welcome! Tell us your name: the e-mails you send carry it."))
        return HttpResponseRedirect(
            f"{reverse('account')}?{urlencode({'next': response['Location']})}"
        )

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """allauth asks for the password again before changing a second factor; our sign-in
        (password or SSO) is recent enough within the idle timeout, and SSO accounts have no
        password to ask for. Removing a factor is a POST from the signed-in session."""
        return False
