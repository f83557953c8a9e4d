"""The pages of single sign-on: the owner's settings (configure, test, require), and the
leaders' "Sign in with your company" that sends them to their company's provider."""

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.base import AuthProcess
from allauth.socialaccount.providers.saml import views as allauth_saml_views
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from requests import RequestException

from survey.identity import sso as rules
from survey.identity.adapter import CHOSEN_COMPANY
from survey.identity.models import CompanySSO
from survey.workspace.access import owner_membership_or_404
from survey.workspace.accounts import safe_next


class OIDCSettingsForm(forms.Form):
    issuer = forms.URLField(
        label=gettext_lazy("Issuer URL"),
        max_length=500,
        help_text=gettext_lazy(
            "Where the provider publishes /.well-known/openid-configuration, "
            "e.g. https://login.microsoftonline.com/TENANT-ID/v2.0"
        ),
        assume_scheme="https",
    )
    client_id = forms.CharField(label=gettext_lazy("Client ID"), max_length=191)
    secret = forms.CharField(
        label=gettext_lazy("Client secret"),
        max_length=191,
        required=False,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        help_text=gettext_lazy("Leave empty to keep the secret already stored."),
    )

    def clean_issuer(self) -> str:
        issuer = self.cleaned_data["issuer"].strip().rstrip("/")
        if not issuer.startswith("https://") and not settings.SSO_ALLOW_HTTP_ISSUER:
            raise forms.ValidationError(_("The issuer URL must start with https://."))
        return issuer


class SAMLSettingsForm(forms.Form):
    metadata_url = forms.URLField(
        label=gettext_lazy("IdP metadata URL"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )
    metadata_xml = forms.CharField(
        label=gettext_lazy("Or the IdP metadata XML"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    certificate = forms.CharField(
        label=gettext_lazy("Signing certificate (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "PEM. Given, it is the only one we accept, whatever the metadata says later."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("metadata_url")) == bool(cleaned.get("metadata_xml", "").strip()):
            raise forms.ValidationError(_("Give the metadata URL or the metadata XML (one)."))
        url = cleaned.get("metadata_url", "")
        if url and not url.startswith("https://") and not settings.SSO_ALLOW_HTTP_ISSUER:
            self.add_error("metadata_url", _("The metadata URL must start with https://."))
        return cleaned


class CompanyEmailForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Your work email"), max_length=150)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].lower()
        sso = rules.sso_for_address(email)
        if sso is None or not sso.ready:
            raise forms.ValidationError(
                _(
                    "No company has set up single sign-on for this address. "
                    "Log in with your password instead."
                )
            )
        return email


def redirect_uri(request: HttpRequest, company_id: int) -> str:
    path = reverse("openid_connect_callback", kwargs={"provider_id": f"company-{company_id}"})
    return request.build_absolute_uri(path)


def saml_urls(request: HttpRequest, company_id: int) -> dict[str, str]:
    """What the IdP needs of us; the SP entity ID is allauth's default, the metadata URL."""
    slug = {"organization_slug": f"company-{company_id}"}
    return {
        "acs": request.build_absolute_uri(reverse("saml_acs", kwargs=slug)),
        "entity_id": request.build_absolute_uri(reverse("saml_metadata", kwargs=slug)),
    }


@require_http_methods(["GET", "POST"])
@login_required
def sso_settings(request: HttpRequest, company_id: int) -> HttpResponse:
    company = owner_membership_or_404(request.user, company_id).company
    sso = CompanySSO.objects.select_related("app").filter(company=company).first()
    oidc = sso is not None and sso.protocol == CompanySSO.Protocol.OIDC
    saml = sso is not None and sso.protocol == CompanySSO.Protocol.SAML
    chosen = request.POST.get("protocol") if request.method == "POST" else None
    form = OIDCSettingsForm(
        request.POST if chosen == "oidc" else None,
        initial={"issuer": sso.issuer, "client_id": sso.app.client_id} if oidc else {},
    )
    saml_form = SAMLSettingsForm(
        request.POST if chosen == "saml" else None, initial=sso.source if saml else {}
    )
    bound = form if chosen == "oidc" else saml_form if chosen == "saml" else None
    if bound is not None and bound.is_valid():
        try:
            if bound is form:
                rules.configure(company=company, actor=request.user, **form.cleaned_data)
            else:
                rules.configure_saml(company=company, actor=request.user, **bound.cleaned_data)
        except rules.SSOError as error:
            bound.add_error(None, str(error))
        else:
            messages.success(request, _("Saved. Now test the connection."))
            return redirect("workspace:sso", company_id=company.pk)
    context = {
        "company": company,
        "sso": sso,
        "form": form,
        "saml_form": saml_form,
        "domains": rules.verified_domains(company),
        "redirect_uri": redirect_uri(request, company.pk),
        "saml": saml_urls(request, company.pk),
    }
    return render(request, "identity/sso_settings.html", context)


@require_POST
@login_required
def sso_test(request: HttpRequest, company_id: int) -> HttpResponse:
    company = owner_membership_or_404(request.user, company_id).company
    sso = CompanySSO.objects.filter(company=company).select_related("app", "company").first()
    if sso is None:
        return redirect("workspace:sso", company_id=company.pk)
    try:
        rules.test_connection(
            sso=sso, actor=request.user, redirect_uri=redirect_uri(request, company.pk)
        )
    except rules.SSOError as error:
        messages.error(request, _("The test failed: %(reason)s") % {"reason": error})
    else:
        messages.success(request, _("The connection works."))
    return redirect("workspace:sso", company_id=company.pk)


@require_POST
@login_required
def sso_enforce(request: HttpRequest, company_id: int) -> HttpResponse:
    company = owner_membership_or_404(request.user, company_id).company
    sso = CompanySSO.objects.filter(company=company).select_related("app", "company").first()
    if sso is None:
        return redirect("workspace:sso", company_id=company.pk)
    enforced = request.POST.get("enforced") == "1"
    try:
        rules.set_enforced(sso=sso, actor=request.user, enforced=enforced)
    except rules.SSOError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Leaders at your domains now sign in through single sign-on only.")
            if enforced
            else _("Leaders at your domains may sign in with a password again."),
        )
    return redirect("workspace:sso", company_id=company.pk)


@require_http_methods(["GET", "POST"])
def sso_start(request: HttpRequest) -> HttpResponse:
    """Asks for the work address, finds the company whose verified domain it is at, and
    sends the browser to that company's provider (allauth's OpenID Connect flow, which
    keeps its state and PKCE verifier in the session)."""
    form = CompanyEmailForm(request.POST or None, initial={"email": request.GET.get("email", "")})
    next_url = safe_next(request)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        sso = rules.sso_for_address(email)
        assert sso is not None  # checked by the form
        request.session[CHOSEN_COMPANY] = sso.company_id
        provider = get_adapter(request).get_provider(request, rules.provider_id(sso.company))
        try:
            if sso.protocol == CompanySSO.Protocol.SAML:
                response = provider.redirect(request, AuthProcess.LOGIN, next_url=next_url)
            else:
                params = {**provider.get_auth_params(), "login_hint": email}
                response = provider.redirect(
                    request, AuthProcess.LOGIN, next_url=next_url, auth_params=params
                )
        except RequestException:
            return render(request, "identity/sso_error.html", {"reason": "unreachable"}, status=502)
        # Not the redirect itself: browsers hold a form's redirect to the form page's CSP
        # form-action ('self'), which cannot name every company's provider. A page that
        # moves on by itself (meta refresh, no script) is a navigation, not a form's.
        context = {"company": sso.company, "url": response["Location"]}
        return render(request, "identity/sso_redirect.html", context)
    return render(request, "identity/sso_start.html", {"form": form, "next": next_url})


def saml_metadata(request: HttpRequest, organization_slug: str) -> HttpResponse:
    """Our SP metadata (allauth's), once the company's IdP is tested; before, a 404 (allauth
    cannot build it without an IdP)."""
    sso = CompanySSO.objects.filter(app__provider=rules.SAML, app__client_id=organization_slug)
    if not any(item.ready for item in sso.select_related("app")):
        raise Http404
    return allauth_saml_views.metadata(request, organization_slug=organization_slug)
