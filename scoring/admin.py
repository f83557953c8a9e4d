from django.contrib import admin

from scoring.models import MoveDecision, PlannedAction


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
