"""Two-factor sign-in for leaders: allauth's MFA (TOTP, WebAuthn passkeys, recovery codes)
as a stage of the one sign-in, whether it started with a password (survey.workspace.accounts)
or with the company's single sign-on (allauth's social login runs the same stages).

What we add to allauth:
- the QR code drawn here (segno, an inline SVG: no CDN, no extra package);
- the TOTP secret and the recovery codes' seed encrypted at rest with a key derived from
  SECRET_KEY (old keys in SECRET_KEY_FALLBACKS still decrypt);
- an owner may require a second factor of the company's leaders (`Company.require_mfa`, on the
  record); a leader of such a company without one is sent to set one up before any workspace
  page (RequireSecondFactorMiddleware).
"""

import base64
import hashlib
from collections.abc import Callable
from io import BytesIO

import segno
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from allauth.mfa.webauthn.forms import AddWebAuthnForm
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from survey.models import AuditEvent, Company
from survey.writes.services import record

# What counts as a second factor: recovery codes alone are a fallback, not a factor.
SECOND_FACTORS = [Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
ENCRYPTED_PREFIX = "fernet:"


def fernet() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet(
        [
            Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"mfa:{key}".encode()).digest()))
            for key in keys
        ]
    )


class MFAAdapter(DefaultMFAAdapter):
    def get_totp_label(self, user: AbstractBaseUser) -> str:
        return getattr(user, "email", "") or str(user)

    def get_totp_issuer(self) -> str:
        return settings.MFA_TOTP_ISSUER

    def build_totp_svg(self, url: str) -> str:
        out = BytesIO()
        segno.make(url, error="m").save(out, kind="svg", scale=5, border=2, xmldecl=False)
        return out.getvalue().decode()

    def get_public_key_credential_rp_entity(self) -> dict[str, str]:
        return super().get_public_key_credential_rp_entity() | {"name": settings.MFA_TOTP_ISSUER}

    def generate_authenticator_name(self, user: AbstractBaseUser, type: str) -> str:
        count = Authenticator.objects.filter(user_id=user.pk, type=type).count()
        return _("Passkey %(number)d") % {"number": count + 1}

    def encrypt(self, text: str) -> str:
        return ENCRYPTED_PREFIX + fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(ENCRYPTED_PREFIX):
            return encrypted_text
        try:
            return fernet().decrypt(encrypted_text.removeprefix(ENCRYPTED_PREFIX)).decode()
        except InvalidToken:
            # SECRET_KEY changed without the old one in SECRET_KEY_FALLBACKS: no code matches.
            return ""


class AddPasskeyForm(AddWebAuthnForm):
    """allauth's form, with a label in the reader's language (MFA_FORMS)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = gettext_lazy("A name for it, e.g. My phone")
        self.fields["name"].max_length = 100
        self.fields["name"].widget = forms.TextInput(attrs={"maxlength": 100})


def has_second_factor(user: AbstractBaseUser | AnonymousUser) -> bool:
    return is_mfa_enabled(user, SECOND_FACTORS)


def company_requiring(user: AbstractBaseUser | AnonymousUser) -> Company | None:
    """One of the user's companies that requires a second factor, if any."""
    return Company.objects.filter(memberships__user=user, require_mfa=True).first()


def set_required(*, company: Company, actor: AbstractBaseUser, required: bool) -> None:
    """An owner requires (or stops requiring) a second factor of the company's leaders."""
    with transaction.atomic():
        locked = Company.objects.select_for_update().get(pk=company.pk)
        if locked.require_mfa == required:
            return
        locked.require_mfa = company.require_mfa = required
        locked.save(update_fields=["require_mfa"])
        action = AuditEvent.Action.MFA_REQUIRED if required else AuditEvent.Action.MFA_RELAXED
        record(company=locked, action=action, actor=actor, survey_round=None)  # type: ignore[arg-type]


# Where a leader who must set up a second factor may still go: the setup itself, their
# account, signing out, the language switch, and the staff survey (not a workspace page).
OPEN_WITHOUT_FACTOR = {
    "logout",
    "login",
    "set_language",
    "favicon",
    "robots_txt",
    "account",
    "account_delete",
}


class RequireSecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, args, kwargs) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or request.resolver_match is None:
            return None
        name = request.resolver_match.view_name
        if name in OPEN_WITHOUT_FACTOR or name.startswith(("mfa_", "survey:", "admin:")):
            return None
        company = company_requiring(user)
        if company is None or has_second_factor(user):
            return None
        messages.warning(
            request,
            _(
                "%(company)s requires a second factor when its leaders sign in. "
                "Set one up to continue."
            )
            % {"company": company.name},
        )
        return redirect("mfa_index")
