from django.contrib import admin, messages
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from survey.models import (
    Answer,
    Company,
    CompanyInvitation,
    Membership,
    Respondent,
    Round,
    SharedLink,
)


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


@admin.register(CompanyInvitation)
class CompanyInvitationAdmin(admin.ModelAdmin):
    """Read-only: owners send invitations from the Members page; only a hash is stored."""

    list_display = ["email", "company", "created_at", "accepted_at"]
    list_filter = ["company"]
    readonly_fields = ["company", "email", "invited_by", "created_at", "accepted_at"]

    def has_add_permission(self, request):
        return False


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    readonly_fields = ["statement", "rating"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Respondent)
class RespondentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "round", "department", "role", "language", "submitted_at"]
    readonly_fields = ["submitted_at", "updated_at", "last_reminded_at"]
    list_filter = ["round__company", "department", "role", "language"]
    search_fields = ["name", "email", "round__title"]
    autocomplete_fields = ["round"]
    inlines = [AnswerInline]
    actions = ["reissue_links"]

    def save_model(self, request, obj, form, change):
        token = None if change else obj.issue_token()
        super().save_model(request, obj, form, change)
        if token:
            self.show_link(request, obj, token)

    @admin.action(description=_("Issue new personal links (the old ones stop working)"))
    def reissue_links(self, request, queryset):
        for respondent in queryset:
            token = respondent.issue_token()
            respondent.save(update_fields=["token_hash"])
            self.show_link(request, respondent, token)

    def show_link(self, request, respondent, token):
        url = request.build_absolute_uri(reverse("survey:respond", kwargs={"token": token}))
        message = _("Personal link for %(who)s, shown only now: copy it: %(url)s")
        messages.success(request, message % {"who": respondent, "url": url})
