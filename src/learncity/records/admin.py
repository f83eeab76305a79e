from django.contrib import admin

from learncity.records.models import ImportBatch, Outcome


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    """Read-only: outcomes change only through services (corrections are new versions)."""

    list_display = ("title", "learner", "institution", "kind", "completed_on", "status", "version")
    list_filter = ("kind", "status", "source")
    search_fields = ("title", "code", "learner__learner_no")
    raw_id_fields = ("learner", "institution", "supersedes", "batch")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = (
        "file_name",
        "institution",
        "status",
        "rows_total",
        "rows_accepted",
        "rows_rejected",
        "created_at",
    )

    def has_change_permission(self, request, obj=None):
        return False
