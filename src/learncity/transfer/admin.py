"""Back office: alliances, programmes with courses, standards with rules (drafts only editable),
and read-only views of applications."""

from django.contrib import admin

from learncity.admin_audit import AuditedAdmin
from learncity.transfer.models import (
    Alliance,
    AllianceMember,
    Application,
    ApplicationEvent,
    ApplicationItem,
    Programme,
    ProgrammeCourse,
    TransferRule,
    TransferStandard,
)


class MemberInline(admin.TabularInline):
    model = AllianceMember
    extra = 1
    raw_id_fields = ("institution",)


@admin.register(Alliance)
class AllianceAdmin(AuditedAdmin):
    list_display = ("code", "name_zh", "name_en")
    inlines = [MemberInline]


class CourseInline(admin.TabularInline):
    model = ProgrammeCourse
    extra = 1


@admin.register(Programme)
class ProgrammeAdmin(AuditedAdmin):
    list_display = ("code", "name_zh", "institution", "total_credits", "decided_by", "active")
    list_filter = ("decided_by", "active")
    search_fields = ("code", "name_zh", "name_en")
    inlines = [CourseInline]


class RuleInline(admin.StackedInline):
    model = TransferRule
    extra = 0

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.status == "draft"

    has_add_permission = has_delete_permission = has_change_permission


@admin.register(TransferStandard)
class TransferStandardAdmin(AuditedAdmin):
    """Drafts are edited here; publishing (with its checks) goes through the portal or API."""

    list_display = ("code", "version", "name_zh", "status", "effective_from", "effective_to")
    list_filter = ("status",)
    search_fields = ("code", "name_zh")
    inlines = [RuleInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != "draft":
            return [f.name for f in obj._meta.fields]
        return ["status", "published_at"]


class ReadOnly(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ItemInline(ReadOnly):
    model = ApplicationItem
    fields = ("course_code", "credits", "rule_key", "outcome_ids", "decision", "reason")


class EventInline(ReadOnly):
    model = ApplicationEvent
    fields = ("at", "actor_label", "action", "from_state", "to_state", "reason")


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    """Applications change only through their workflow, never here."""

    list_display = ("id", "learner", "programme", "state", "credits_approved", "submitted_at")
    list_filter = ("state",)
    raw_id_fields = ("learner",)
    inlines = [ItemInline, EventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
