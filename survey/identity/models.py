"""A company's single sign-on: which identity provider its leaders sign in with.

The client id and secret live in allauth's own `SocialApp` row, as allauth expects (the
secret in clear in `socialaccount_socialapp.secret`, like every allauth app: the provider
needs it back to call the token endpoint, so it cannot be hashed). For SAML the same row
holds the IdP (entity ID, sign-in URL, signing certificate: public values) in `settings`. This row adds what
allauth does not know: whose app it is, whether the connection was tested with these very
settings, and whether password sign-in is refused for the company's verified domains.
"""

import hashlib
import json
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CompanySSO(models.Model):
    class Protocol(models.TextChoices):
        OIDC = "oidc", _("OpenID Connect")
        SAML = "saml", _("SAML 2.0")

    company = models.OneToOneField("survey.Company", on_delete=models.CASCADE, related_name="sso")
    protocol = models.CharField(
        _("protocol"), max_length=10, choices=Protocol.choices, default=Protocol.OIDC
    )
    app = models.OneToOneField(
        "socialaccount.SocialApp", on_delete=models.PROTECT, related_name="company_sso"
    )
    created_at = models.DateTimeField(_("configured"), default=timezone.now)
    # The last successful "test the connection", and a digest of the settings it tested:
    # a changed issuer, client id or secret needs a new test before it can be enforced.
    tested_at = models.DateTimeField(_("tested"), null=True, blank=True)
    tested_digest = models.CharField(max_length=64, blank=True, editable=False)
    tested_summary = models.JSONField(default=dict, blank=True, editable=False)
    enforced_at = models.DateTimeField(_("enforced"), null=True, blank=True)

    class Meta:
        verbose_name = _("single sign-on")
        verbose_name_plural = _("single sign-on")
        constraints = [
            models.CheckConstraint(
                condition=Q(enforced_at__isnull=True) | Q(tested_at__isnull=False),
                name="sso_enforced_only_once_tested",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.company} ({self.get_protocol_display()})"

    @property
    def issuer(self) -> str:
        """The OpenID issuer URL, or the SAML IdP's entity ID once tested."""
        if self.protocol == self.Protocol.SAML:
            return str(self.app.settings.get("idp", {}).get("entity_id", ""))
        return str(self.app.settings.get("server_url", ""))

    @property
    def source(self) -> dict:
        """What the owner gave for SAML: a metadata URL or XML, and a certificate to pin."""
        return dict(self.app.settings.get("source", {}))

    @property
    def ready(self) -> bool:
        """Whether allauth has what a sign-in needs (a SAML IdP is pinned by its test)."""
        return self.protocol == self.Protocol.OIDC or bool(self.app.settings.get("idp"))

    def settings_digest(self) -> str:
        app_settings = json.dumps(self.app.settings, sort_keys=True)
        material = "\n".join([self.protocol, app_settings, self.app.client_id, self.app.secret])
        key = settings.SECRET_KEY.encode()
        return hashlib.blake2b(material.encode(), key=key[:64], digest_size=32).hexdigest()

    @property
    def tested(self) -> bool:
        return self.tested_at is not None and self.tested_digest == self.settings_digest()

    @property
    def enforced(self) -> bool:
        return self.enforced_at is not None


class ApiToken(models.Model):
    """A company's key to the read-only API (scoring/api/): created by an owner, shown once,
    stored only as its SHA-256 (survey.models.hash_token), limited to its scopes and its
    expiry, and refused at once when revoked."""

    class Scope(models.TextChoices):
        RESULTS = "results", _("Results: rounds, published results and trends")
        PLAN = "plan", _("Plan: the actions and their status")

    company = models.ForeignKey(
        "survey.Company", on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)  # shown in the list to tell keys apart
    scopes = models.JSONField(_("scopes"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    last_used_from = models.GenericIPAddressField(_("last used from"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.company}: {self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class ScimToken(models.Model):
    """A bearer token the company's identity provider uses to provision its directory over
    SCIM (survey.identity.scim). Shown once when created; only its SHA-256 is stored, like
    every link of the product. The company is the token's: a request sees that company's
    directory and nothing else."""

    company = models.ForeignKey(
        "survey.Company", on_delete=models.CASCADE, related_name="scim_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    label = models.CharField(_("label"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    # The addresses it was used from, so a use from a new one goes on the record once.
    used_from = models.JSONField(default=list, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("directory token")
        verbose_name_plural = _("directory tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.company}: {self.label or self.pk}"


class DirectoryPerson(models.Model):
    """A person of the company's directory, as its identity provider sent them (a SCIM User).
    Never a leader's account: the staff do not sign in. What the assessment needs from the
    directory is the address, the department and the role (survey.identity.directory)."""

    company = models.ForeignKey(
        "survey.Company", on_delete=models.CASCADE, related_name="directory_people"
    )
    scim_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    external_id = models.CharField(max_length=255, blank=True)
    user_name = models.CharField(_("user name"), max_length=255)
    email = models.EmailField(_("email"), blank=True)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    display_name = models.CharField(_("name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    active = models.BooleanField(_("active"), default=True)
    # As the directory spells them (the enterprise extension's department, our extension's
    # role); what they mean for the assessment is survey.identity.directory.placement.
    department_attribute = models.CharField(max_length=100, blank=True)
    role_attribute = models.CharField(max_length=100, blank=True)
    # The whole resource as last stored, so attributes we do not use come back as sent.
    resource = models.JSONField(default=dict, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("directory person")
        verbose_name_plural = _("directory people")
        ordering = ["user_name"]
        constraints = [
            models.UniqueConstraint(
                Lower("user_name"), "company", name="directory_user_name_once_per_company"
            ),
        ]

    def __str__(self) -> str:
        return self.user_name


class DirectoryGroup(models.Model):
    """A SCIM Group of the company's directory; "Sales", "Marketing" and "Heads" place their
    members in the assessment when the user carries no department or role of its own."""

    company = models.ForeignKey(
        "survey.Company", on_delete=models.CASCADE, related_name="directory_groups"
    )
    scim_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    external_id = models.CharField(max_length=255, blank=True)
    display_name = models.CharField(_("name"), max_length=255)
    members = models.ManyToManyField(DirectoryPerson, related_name="directory_groups", blank=True)
    # The members' "display" as the directory sent it, by member id (returned as sent).
    displays = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("directory group")
        verbose_name_plural = _("directory groups")
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name


class DirectoryRound(models.Model):
    """A round that invited everyone in the directory: until it closes, joiners of the
    directory are invited to it, and people the directory deprovisions are removed from it."""

    round = models.OneToOneField("survey.Round", on_delete=models.CASCADE, related_name="directory")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("round that invited the directory")
        verbose_name_plural = _("rounds that invited the directory")

    def __str__(self) -> str:
        return str(self.round)
