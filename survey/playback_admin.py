"""The heads' messages with the results, read-only: written only by survey.writes.playback."""

from django.contrib import admin

from scoring.joint_admin import ReadOnlyAdmin
from survey.playback_models import ResultsMessage


@admin.register(ResultsMessage)
class ResultsMessageAdmin(ReadOnlyAdmin):
    list_display = ["round", "__str__", "written_by", "updated_at"]
    list_filter = ["round__company"]
