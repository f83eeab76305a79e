from django.contrib import admin

from learncity.admin_audit import AuditedAdmin
from learncity.creditbank.models import LedgerEntry, Recognition, RecognitionStandard


@admin.register(RecognitionStandard)
class RecognitionStandardAdmin(AuditedAdmin):
    """Framework administrators edit drafts here; publishing goes through the service."""

    list_display = (
        "code",
        "version",
        "name_zh",
        "status",
        "effective_from",
        "effective_to",
        "level",
        "category",
        "credits_fixed",
        "hours_per_credit",
    )
    list_filter = ("status", "category", "level")
    search_fields = ("code", "name_zh", "name_en", "code_exact", "code_pattern")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != "draft":
            return [f.name for f in obj._meta.fields]  # published standards never change
        return ["status", "published_at"]


@admin.register(Recognition)
class RecognitionAdmin(admin.ModelAdmin):
    list_display = ("outcome", "learner", "status", "standard", "credits", "created_at")
    list_filter = ("status", "method")
    raw_id_fields = ("outcome", "learner", "standard", "appeal_of")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(RecognitionAdmin):
    list_display = ("learner", "seq", "entry_type", "category", "level", "credits", "year")
    list_filter = ("entry_type", "category")
    raw_id_fields = ("learner", "outcome", "recognition")
