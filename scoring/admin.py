from django.contrib import admin

from scoring.models import GroupRelease, MoveDecision, PlannedAction


@admin.register(MoveDecision)
class MoveDecisionAdmin(admin.ModelAdmin):
    list_display = ["round", "relationship_type", "recommendation", "decided_by", "decided_at"]
    list_filter = ["recommendation", "round__company"]
    autocomplete_fields = ["round"]


@admin.register(PlannedAction)
class PlannedActionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "company", "round", "owner", "due_date", "status"]
    list_filter = ["status", "company"]
    search_fields = ["title", "owner", "notes"]
    autocomplete_fields = ["company", "round"]


@admin.register(GroupRelease)
class GroupReleaseAdmin(admin.ModelAdmin):
    """Read-only: releases are written by scoring.releases alone."""

    list_display = ["round", "department", "role", "respondents", "pending", "released_at"]
    list_filter = ["round__company"]
    exclude = ["people"]  # who counts with which answers: not for browsing

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
