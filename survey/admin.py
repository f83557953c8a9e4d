from django.contrib import admin

from survey.models import (
    ApiToken,
    AuditEvent,
    Company,
    CompanyDomain,
    CompanyInvitation,
    CompanySSO,
    DailyRun,
    DirectoryGroup,
    DirectoryPerson,
    Membership,
    Respondent,
    Round,
    ScimToken,
    SharedLink,
)
from survey.webhooks.models import WebhookDelivery, WebhookEndpoint


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "anonymity_threshold"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]


@admin.register(DailyRun)
class DailyRunAdmin(admin.ModelAdmin):
    list_display = ["job", "ran_on"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "company", "role"]
    list_filter = ["role", "company"]
    autocomplete_fields = ["user", "company"]


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["title", "company", "anonymity_threshold", "opened_at", "closed_at"]
    list_filter = ["company"]
    search_fields = ["title", "company__name"]
    autocomplete_fields = ["company"]


@admin.register(SharedLink)
class SharedLinkAdmin(admin.ModelAdmin):
    list_display = ["round", "department", "role", "is_active"]
    list_filter = ["is_active", "round__company"]
    autocomplete_fields = ["round"]


@admin.register(CompanyDomain)
class CompanyDomainAdmin(admin.ModelAdmin):
    """Read-only: a domain is verified only by its DNS record (the owners' Domains page),
    never by hand, and every change is on the company's record."""

    list_display = ["domain", "company", "created_at", "verified_at", "checked_at"]
    list_filter = ["company"]
    search_fields = ["domain", "company__name"]
    readonly_fields = ["company", "domain", "token", "created_at", "verified_at", "checked_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CompanyInvitation)
class CompanyInvitationAdmin(admin.ModelAdmin):
    """Read-only: owners send invitations from the Members page; only a hash is stored."""

    list_display = ["email", "company", "created_at", "accepted_at"]
    list_filter = ["company"]
    readonly_fields = ["company", "email", "invited_by", "created_at", "accepted_at"]

    def has_add_permission(self, request):
        return False


@admin.register(Respondent)
class RespondentAdmin(admin.ModelAdmin):
    """Who is invited; never their answers or links. People are added from a round's page,
    where it goes in the round's record, not here."""

    list_display = ["__str__", "round", "department", "role", "language"]
    readonly_fields = ["submitted_at", "updated_at", "last_reminded_at", "claimed_via"]
    list_filter = ["round__company", "department", "role", "language"]
    search_fields = ["name", "email", "round__title"]
    autocomplete_fields = ["round"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the record of leaders' actions is written by survey.writes.services alone."""

    list_display = ["created_at", "company", "round", "actor", "action", "detail"]
    list_filter = ["action", "company"]
    search_fields = ["detail", "actor__email", "round__title"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# The heads' messages sent with the results, read-only.
from survey import playback_admin  # noqa: E402, F401


@admin.register(CompanySSO)
class CompanySSOAdmin(admin.ModelAdmin):
    """Owners configure single sign-on on their settings page (survey.identity.views); the
    admin shows it, and the operator may stop requiring it for a company locked out."""

    list_display = ["company", "protocol", "tested_at", "enforced_at"]
    readonly_fields = ["company", "protocol", "app", "created_at", "tested_at", "tested_summary"]
    fields = [*readonly_fields, "enforced_at"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """Owners manage their endpoints on the company's Webhooks page; the admin shows them
    without the signing secret, and the operator may switch one off."""

    list_display = ["company", "url", "is_active", "disabled_at"]
    readonly_fields = ["company", "url", "events", "created_by", "created_at", "disabled_at"]
    fields = [*readonly_fields, "is_active"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["endpoint", "event", "status", "attempts", "response_code", "created_at"]
    list_filter = ["status", "event"]
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Owners create and revoke tokens on their page (survey.identity.token_views); the admin
    shows them (never the token: only its hash is stored) and may revoke one."""

    list_display = ["company", "name", "prefix", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = [
        "company", "name", "prefix", "scopes", "created_by", "created_at", "expires_at",
        "last_used_at", "last_used_from",
    ]  # fmt: skip
    fields = [*readonly_fields, "revoked_at"]

    def has_add_permission(self, request) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ScimToken)
class ScimTokenAdmin(ReadOnlyAdmin):
    """Owners create and revoke directory tokens on the directory page; only hashes exist."""

    list_display = ["company", "label", "created_at", "last_used_at", "revoked_at"]
    exclude = ["token_hash"]


@admin.register(DirectoryPerson)
class DirectoryPersonAdmin(ReadOnlyAdmin):
    """Written by the company's identity provider over SCIM alone (survey.identity.scim)."""

    list_display = ["user_name", "company", "active", "department_attribute", "role_attribute"]
    list_filter = ["active", "company"]
    search_fields = ["user_name", "email", "external_id"]


@admin.register(DirectoryGroup)
class DirectoryGroupAdmin(ReadOnlyAdmin):
    list_display = ["display_name", "company"]
