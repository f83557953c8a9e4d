"""Single sign-on for leaders: a company's OpenID Connect provider or SAML 2.0 IdP, bound to
its verified domains, configured and tested by an owner, then (optionally) enforced.

The rules, in one place:
- SSO applies to the addresses at the company's *verified* domains only; a company with no
  verified domain has no SSO (an unverified domain could be anyone's).
- Enforcing needs a successful "test the connection" of the very settings in force; the
  settings cannot change while enforced (stop requiring it first), so a typo cannot lock
  every leader out.
- While enforced, password sign-in is refused for the addresses at those domains.
- The first SSO sign-in of an address makes an account (just in time) that belongs to no
  company until someone invites it; an existing account is linked only when the provider
  vouches that it verified the address (`email_verified`, or Entra ID's `xms_edov`; for
  SAML, the signed assertion of the company's own IdP).
- A SAML IdP is pinned (entity ID, sign-in URL, certificate) by its successful test; only
  then can anyone sign in through it.
"""

import base64
from dataclasses import dataclass
from typing import Any

import requests
from allauth.socialaccount.models import SocialApp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from survey.identity.models import CompanySSO
from survey.models import AuditEvent, Company, CompanyDomain
from survey.writes.services import record

OIDC = "openid_connect"
SAML = "saml"
WELL_KNOWN = "/.well-known/openid-configuration"


def provider_id(company: Company) -> str:
    """allauth's name for the company's app, in its callback URL (the redirect URI)."""
    return f"company-{company.pk}"


def domain_of(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower() if "@" in email else ""


def verified_domains(company: Company) -> list[str]:
    return list(
        CompanyDomain.objects.filter(company=company, verified_at__isnull=False)
        .order_by("domain")
        .values_list("domain", flat=True)
    )


def sso_for_address(email: str) -> CompanySSO | None:
    """The SSO of the company whose verified domain the address is at, if it has one."""
    domain = domain_of(email)
    if not domain:
        return None
    return (
        CompanySSO.objects.select_related("company", "app")
        .filter(company__domains__domain=domain, company__domains__verified_at__isnull=False)
        .first()
    )


def enforced_for_address(email: str) -> CompanySSO | None:
    sso = sso_for_address(email)
    return sso if sso is not None and sso.enforced else None


def covers(sso: CompanySSO, email: str) -> bool:
    return domain_of(email) in verified_domains(sso.company)


class SSOError(Exception):
    """What an owner reads when a change is refused."""


@transaction.atomic
def configure(
    *, company: Company, actor: AbstractBaseUser, issuer: str, client_id: str, secret: str
) -> CompanySSO:
    """Create or change the company's OpenID Connect app. An empty secret keeps the one
    stored (unless the app was SAML). Any change needs a new test before enforcing."""
    sso = _editable(company)
    issuer = issuer.strip().rstrip("/")
    kept = sso.app.secret if sso is not None and sso.app.provider == OIDC else ""
    if not (secret or kept):
        raise SSOError(_("Enter the client secret."))
    return _save(
        company=company,
        sso=sso,
        actor=actor,
        protocol=CompanySSO.Protocol.OIDC,
        app_fields={
            "provider": OIDC,
            "client_id": client_id,
            "secret": secret or kept,
            "settings": {"server_url": issuer, "oauth_pkce_enabled": True},
        },
        detail=f"OpenID Connect: {issuer} · client {client_id}",
    )


# What allauth's SAML provider reads besides the IdP: signed assertions only, no sign-in the
# IdP starts by itself (it could not be tied to this browser), strict checks of audience,
# destination and times (python3-saml's "strict").
SAML_ADVANCED = {
    "strict": True,
    "want_assertion_signed": True,
    "reject_idp_initiated_sso": True,
    "name_id_format": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
}


@transaction.atomic
def configure_saml(
    *,
    company: Company,
    actor: AbstractBaseUser,
    metadata_url: str = "",
    metadata_xml: str = "",
    certificate: str = "",
) -> CompanySSO:
    """Create or change the company's SAML app from the IdP's metadata (a URL or the XML),
    with a signing certificate to pin instead of the metadata's. The IdP itself is read,
    and pinned, by the connection test."""
    sso = _editable(company)
    source = {
        "metadata_url": metadata_url.strip(),
        "metadata_xml": metadata_xml.strip(),
        "certificate": certificate.strip(),
    }
    return _save(
        company=company,
        sso=sso,
        actor=actor,
        protocol=CompanySSO.Protocol.SAML,
        app_fields={
            "provider": SAML,
            "client_id": provider_id(company),
            "secret": "",
            "settings": {"source": source, "advanced": SAML_ADVANCED},
        },
        detail="SAML 2.0: " + (source["metadata_url"] or _("metadata XML")),
    )


def _editable(company: Company) -> CompanySSO | None:
    sso = CompanySSO.objects.select_for_update().filter(company=company).first()
    if sso is not None and sso.enforced:
        raise SSOError(_("Stop requiring single sign-on before you change its settings."))
    return sso


def _save(
    *,
    company: Company,
    sso: CompanySSO | None,
    actor: AbstractBaseUser,
    protocol: str,
    app_fields: dict[str, Any],
    detail: str,
) -> CompanySSO:
    if sso is None:
        app = SocialApp.objects.create(
            provider_id=provider_id(company), name=company.name, **app_fields
        )
        sso = CompanySSO.objects.create(company=company, app=app, protocol=protocol)
    else:
        for name, value in app_fields.items():
            setattr(sso.app, name, value)
        sso.app.save()
        sso.protocol = protocol
        sso.save(update_fields=["protocol"])
    record(
        company=company,
        action=AuditEvent.Action.SSO_CONFIGURED,
        actor=actor,
        survey_round=None,
        detail=detail,
    )
    return sso


@dataclass(frozen=True, kw_only=True)
class Found:
    """What the provider's discovery document and keys say, shown to the owner."""

    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    keys: int
    scopes: list[str]
    claims: list[str]
    auth_methods: list[str]


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=settings.SSO_HTTP_TIMEOUT)
    except requests.RequestException as error:
        raise SSOError(
            _("Could not reach %(url)s: %(error)s") % {"url": url, "error": type(error).__name__}
        ) from error
    if response.status_code != 200:
        raise SSOError(
            _("%(url)s answered HTTP %(status)s.") % {"url": url, "status": response.status_code}
        )
    try:
        data = response.json()
    except ValueError as error:
        raise SSOError(_("%(url)s did not answer with JSON.") % {"url": url}) from error
    if not isinstance(data, dict):
        raise SSOError(_("%(url)s did not answer with a JSON object.") % {"url": url})
    return data


def discover(issuer: str) -> Found:
    """Fetch the discovery document and the signing keys; refuse what sign-in would refuse."""
    document = _get_json(issuer.rstrip("/") + WELL_KNOWN)
    if document.get("issuer", "").rstrip("/") != issuer.rstrip("/"):
        raise SSOError(
            _("The provider calls itself %(found)s, not %(issuer)s: use its exact issuer URL.")
            % {"found": document.get("issuer", "?"), "issuer": issuer}
        )
    missing = [
        name
        for name in ("authorization_endpoint", "token_endpoint", "jwks_uri")
        if not document.get(name)
    ]
    if missing:
        raise SSOError(
            _("The discovery document has no %(names)s.") % {"names": ", ".join(missing)}
        )
    keys = _get_json(document["jwks_uri"]).get("keys") or []
    if not keys:
        raise SSOError(_("The provider publishes no signing keys."))
    return Found(
        issuer=document["issuer"],
        authorization_endpoint=document["authorization_endpoint"],
        token_endpoint=document["token_endpoint"],
        userinfo_endpoint=document.get("userinfo_endpoint", ""),
        keys=len(keys),
        scopes=list(document.get("scopes_supported") or []),
        claims=list(document.get("claims_supported") or []),
        auth_methods=list(document.get("token_endpoint_auth_methods_supported") or []),
    )


def check_client(found: Found, *, client_id: str, secret: str, redirect_uri: str) -> None:
    """Show the token endpoint our client ID and secret with a code that cannot be valid:
    a provider authenticates the client first, so `invalid_client` means a wrong ID or
    secret, and `invalid_grant` (the code) means they were accepted. Sent the way allauth
    will send them at sign-in (in the form body, unless only HTTP Basic is offered)."""
    data = {
        "grant_type": "authorization_code",
        "code": "connection-test-not-a-code",
        "redirect_uri": redirect_uri,
    }
    auth = None
    if "client_secret_post" in found.auth_methods or not found.auth_methods:
        data |= {"client_id": client_id, "client_secret": secret}
    else:
        auth = (client_id, secret)
    try:
        response = requests.post(
            found.token_endpoint, data=data, auth=auth, timeout=settings.SSO_HTTP_TIMEOUT
        )
    except requests.RequestException as error:
        raise SSOError(
            _("Could not reach %(url)s: %(error)s")
            % {"url": found.token_endpoint, "error": type(error).__name__}
        ) from error
    try:
        error_code = response.json().get("error", "")
    except (ValueError, AttributeError):
        error_code = ""
    if error_code == "invalid_client" or response.status_code == 401:
        raise SSOError(_("The provider refused the client ID or the client secret."))
    if error_code == "unauthorized_client":
        raise SSOError(_("The provider does not let this client use the authorization code flow."))


def test_connection(
    *, sso: CompanySSO, actor: AbstractBaseUser, redirect_uri: str
) -> dict[str, Any]:
    """Fetch what the provider publishes and, for OpenID Connect, show it our client (outside
    any transaction); raises SSOError with the reason. Either way it is on the record. What
    was found is returned and kept to show; a SAML IdP's entity ID, sign-in URL and
    certificate are pinned in allauth's app from then on."""
    idp = None
    try:
        if sso.protocol == CompanySSO.Protocol.SAML:
            idp, found = discover_saml(sso.source)
            detail = f"ok: {found['entity_id']}, certificate {found['fingerprint'][:23]}"
        else:
            oidc = discover(sso.issuer)
            check_client(
                oidc, client_id=sso.app.client_id, secret=sso.app.secret, redirect_uri=redirect_uri
            )
            found = oidc.__dict__
            detail = f"ok: {oidc.issuer}, {oidc.keys} key(s)"
    except SSOError as error:
        _save_test(sso=sso, actor=actor, found=None, idp=None, detail=f"failed: {error}")
        raise
    _save_test(sso=sso, actor=actor, found=found, idp=idp, detail=detail)
    return found


def discover_saml(source: dict[str, str]) -> tuple[dict[str, str], dict[str, Any]]:
    """The IdP from its metadata (python3-saml's parser), and what to show of it."""
    from onelogin.saml2.constants import OneLogin_Saml2_Constants as Constants
    from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser as Parser

    xml = source.get("metadata_xml", "")
    if source.get("metadata_url"):
        xml = _get_text(source["metadata_url"])
    try:
        parsed = Parser.parse(xml, required_sso_binding=Constants.BINDING_HTTP_REDIRECT)
    except Exception as error:  # lxml's and python3-saml's own errors alike
        raise SSOError(
            _("This is not SAML metadata we can read: %(error)s") % {"error": error}
        ) from error
    idp = parsed.get("idp", {})
    published = idp.get("x509cert") or (idp.get("x509certMulti", {}).get("signing") or [""])[0]
    certificate = _certificate(source.get("certificate") or published)
    entity_id, sso_url = idp.get("entityId", ""), idp.get("singleSignOnService", {}).get("url")
    if not entity_id or not sso_url:
        raise SSOError(_("The metadata names no IdP with a sign-in URL (HTTP-Redirect)."))
    pinned = bool(source.get("certificate")) and _der(published) != certificate.public_bytes(
        serialization.Encoding.DER
    )
    fingerprint = certificate.fingerprint(hashes.SHA256()).hex(":").upper()
    summary = {
        "entity_id": entity_id,
        "sso_url": sso_url,
        "fingerprint": fingerprint,
        "valid_until": certificate.not_valid_after_utc.date().isoformat(),
        "pinned_differs": pinned,
    }
    body = base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()
    return {"entity_id": entity_id, "sso_url": sso_url, "x509cert": body}, summary


def _der(pem_or_body: str) -> bytes:
    body = "".join(
        line for line in pem_or_body.strip().splitlines() if not line.startswith("-----")
    )
    try:
        return base64.b64decode(body, validate=False)
    except ValueError:
        return b""


def _certificate(text: str) -> x509.Certificate:
    if not text.strip():
        raise SSOError(_("No signing certificate: the metadata has none, and none was given."))
    try:
        certificate = x509.load_der_x509_certificate(_der(text))
    except ValueError as error:
        raise SSOError(_("The signing certificate cannot be read.")) from error
    if certificate.not_valid_after_utc < timezone.now():
        raise SSOError(
            _("The signing certificate expired on %(date)s.")
            % {"date": certificate.not_valid_after_utc.date().isoformat()}
        )
    return certificate


def _get_text(url: str) -> str:
    try:
        response = requests.get(url, timeout=settings.SSO_HTTP_TIMEOUT)
    except requests.RequestException as error:
        raise SSOError(
            _("Could not reach %(url)s: %(error)s") % {"url": url, "error": type(error).__name__}
        ) from error
    if response.status_code != 200:
        raise SSOError(
            _("%(url)s answered HTTP %(status)s.") % {"url": url, "status": response.status_code}
        )
    return response.text


@transaction.atomic
def _save_test(
    *,
    sso: CompanySSO,
    actor: AbstractBaseUser,
    found: dict[str, Any] | None,
    idp: dict[str, str] | None,
    detail: str,
) -> None:
    """A failed test un-tests settings not yet enforced (and unpins a SAML IdP); an enforced
    SSO stays enforced (its settings cannot have changed since its own successful test)."""
    sso = CompanySSO.objects.select_for_update().select_related("app", "company").get(pk=sso.pk)
    if found is not None:
        if idp is not None:
            sso.app.settings = {**sso.app.settings, "idp": idp}
            sso.app.save(update_fields=["settings"])
        sso.tested_at, sso.tested_digest = timezone.now(), sso.settings_digest()
        sso.tested_summary = found
    elif not sso.enforced:
        sso.tested_at, sso.tested_digest, sso.tested_summary = None, "", {}
        if "idp" in sso.app.settings:
            sso.app.settings = {k: v for k, v in sso.app.settings.items() if k != "idp"}
            sso.app.save(update_fields=["settings"])
    sso.save(update_fields=["tested_at", "tested_digest", "tested_summary"])
    record(
        company=sso.company,
        action=AuditEvent.Action.SSO_TESTED,
        actor=actor,
        survey_round=None,
        detail=detail,
    )


@transaction.atomic
def set_enforced(*, sso: CompanySSO, actor: AbstractBaseUser, enforced: bool) -> CompanySSO:
    sso = CompanySSO.objects.select_for_update().select_related("app", "company").get(pk=sso.pk)
    if enforced == sso.enforced:
        return sso
    if enforced and not sso.tested:
        raise SSOError(_("Test the connection with these settings before you require it."))
    if enforced and not verified_domains(sso.company):
        raise SSOError(_("Verify a company domain first: single sign-on applies to it."))
    sso.enforced_at = timezone.now() if enforced else None
    sso.save(update_fields=["enforced_at"])
    record(
        company=sso.company,
        action=AuditEvent.Action.SSO_ENFORCED if enforced else AuditEvent.Action.SSO_RELAXED,
        actor=actor,
        survey_round=None,
        detail=", ".join(verified_domains(sso.company)),
    )
    return sso


def record_sign_in(*, sso: CompanySSO, user: AbstractBaseUser, linked: bool) -> None:
    record(
        company=sso.company,
        action=AuditEvent.Action.SSO_LINKED if linked else AuditEvent.Action.SSO_ACCOUNT,
        actor=user,
        survey_round=None,
        detail=getattr(user, "email", ""),
    )
