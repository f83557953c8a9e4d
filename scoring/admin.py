from django.contrib import admin
from django.http import HttpRequest

from scoring.models import MoveDecision, PlannedAction, PublishedResult


@admin.register(MoveDecision)
class MoveDecisionAdmin(admin.ModelAdmin[MoveDecision]):
    list_display = ["round", "relationship_type", "recommendation", "decided_by", "decided_at"]
    list_filter = ["recommendation", "round__company"]
    autocomplete_fields = ["round"]


@admin.register(PlannedAction)
class PlannedActionAdmin(admin.ModelAdmin[PlannedAction]):
    list_display = ["__str__", "company", "round", "owner", "due_date", "status"]
    list_filter = ["status", "company"]
    search_fields = ["title", "owner", "notes"]
    autocomplete_fields = ["company", "round"]


@admin.register(PublishedResult)
class PublishedResultAdmin(admin.ModelAdmin[PublishedResult]):
    """Read-only: results are published once, when a round closes."""

    list_display = ["round", "threshold", "published_at"]
    list_filter = ["round__company"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: PublishedResult | None = None
    ) -> bool:
        return False


# The workshop's agreements, the heads and the actions' owners and progress, read-only.
from scoring import joint_admin  # noqa: E402, F401
