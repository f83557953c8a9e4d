"""The admin's read-only view of what the two heads decide together (scoring.joint_models):
they are written only by scoring.results.services, from the leaders' pages."""

from typing import TypeVar

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from scoring.models import ActionOwner, ActionProgress, RoundHead, WorkshopAgreement

Shown = TypeVar("Shown", bound=models.Model)


class ReadOnlyAdmin(admin.ModelAdmin[Shown]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Shown | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Shown | None = None) -> bool:
        return False


@admin.register(WorkshopAgreement)
class WorkshopAgreementAdmin(ReadOnlyAdmin[WorkshopAgreement]):
    list_display = ["round", "statement", "__str__", "action", "updated_at"]
    list_filter = ["round__company"]


@admin.register(RoundHead)
class RoundHeadAdmin(ReadOnlyAdmin[RoundHead]):
    list_display = ["round", "department", "user", "answered_at"]
    list_filter = ["department", "round__company"]


@admin.register(ActionOwner)
class ActionOwnerAdmin(ReadOnlyAdmin[ActionOwner]):
    list_display = ["action", "department", "display_name", "language", "assigned_at"]
    list_filter = ["department", "action__company"]


@admin.register(ActionProgress)
class ActionProgressAdmin(ReadOnlyAdmin[ActionProgress]):
    list_display = ["action", "__str__", "author", "created_at"]
    list_filter = ["action__company"]
