"""The catalogue in the Django admin. Changes are audited (AuditedAdmin); moderation and
approvals go through the services, so the admin and the pages decide the same way."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from learncity.access import actor_for_user
from learncity.admin_audit import AuditedAdmin
from learncity.catalogue import models
from learncity.catalogue.services import community, events, offers
from learncity.errors import LearnCityError


def _run(modeladmin, request, queryset, action):
    actor = actor_for_user(request.user, request.META.get("REMOTE_ADDR"))
    done = 0
    for obj in queryset:
        try:
            action(actor, obj)
            done += 1
        except LearnCityError as error:
            modeladmin.message_user(request, f"{obj}: {error.message}", messages.ERROR)
    modeladmin.message_user(request, _("%(n)s done.") % {"n": done}, messages.SUCCESS)


@admin.action(description=_("Publish the selected entries"))
def publish(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, lambda a, o: offers.moderate(a, o, "publish"))


@admin.action(description=_("Suspend the selected entries"))
def suspend(modeladmin, request, queryset):
    note = str(_("Suspended by an administrator."))
    _run(modeladmin, request, queryset, lambda a, o: offers.moderate(a, o, "suspend", note))


class EntryAdmin(AuditedAdmin):
    list_filter = ("status",)
    actions = [publish, suspend]
    raw_id_fields = ("provider",)
    readonly_fields = ("status", "search_grams")


@admin.register(models.Course)
class CourseAdmin(EntryAdmin):
    list_display = ("title_zh", "code", "provider", "mode", "kind", "status", "next_start")
    list_filter = ("status", "mode", "kind")
    search_fields = ("code", "title_zh", "title_en")
    raw_id_fields = ("provider", "level", "category")


@admin.register(models.Site)
class SiteAdmin(EntryAdmin):
    list_display = ("name_zh", "code", "provider", "kind", "district_code", "status")
    list_filter = ("status", "kind", "district_code")
    search_fields = ("code", "name_zh", "address")


@admin.register(models.Session)
class SessionAdmin(AuditedAdmin):
    list_display = ("__str__", "site", "starts_on", "capacity", "seats_taken", "cancelled")
    raw_id_fields = ("course", "event", "site")
    readonly_fields = ("seats_taken",)


@admin.register(models.Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    """Read-only: places change only through enrolment and cancellation (never overbooked)."""

    list_display = ("session", "learner", "status", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("session", "learner")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.action(description=_("Approve the selected teams"))
def approve_teams(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, lambda a, o: community.approve_team(a, o))


@admin.register(models.LearningTeam)
class TeamAdmin(AuditedAdmin):
    list_display = ("name", "topic", "district_code", "status")
    list_filter = ("status",)
    actions = [approve_teams]
    raw_id_fields = ("leader", "meeting_site")


@admin.action(description=_("Approve the selected organisations"))
def approve_organisations(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, lambda a, o: community.approve_organisation(a, o))


@admin.register(models.LearningOrganisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("name", "kind", "district_code", "status", "registered_on")
    list_filter = ("status", "kind")
    actions = [approve_organisations]
    raw_id_fields = ("institution",)


@admin.action(description=_("Publish the selected events"))
def publish_events(modeladmin, request, queryset):
    _run(modeladmin, request, queryset, lambda a, o: events.publish_event(a, o))


@admin.register(models.Event)
class EventAdmin(AuditedAdmin):
    list_display = ("title_zh", "code", "kind", "starts_on", "ends_on", "published")
    actions = [publish_events]
    raw_id_fields = ("organiser",)


@admin.register(models.Practitioner)
class PractitionerAdmin(AuditedAdmin):
    list_display = ("name", "institution", "role", "competence", "verified_at")
    raw_id_fields = ("institution", "verified_by")


@admin.register(models.ChecklistItem)
class ChecklistItemAdmin(AuditedAdmin):
    list_display = ("code", "institution_kind", "standard", "text_zh")
    list_filter = ("institution_kind", "standard")


class CheckInline(admin.TabularInline):
    model = models.InspectionCheck
    extra = 0
    readonly_fields = ("item", "answer", "evidence")
    can_delete = False


@admin.register(models.Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ("institution", "standard", "verdict", "decided_at")
    inlines = [CheckInline]
    readonly_fields = ("institution", "standard", "verdict", "note", "reviewer", "decided_at")


@admin.register(models.AwardScheme)
class AwardSchemeAdmin(admin.ModelAdmin):
    list_display = ("year", "kind", "title_zh", "quota", "published_at")
    readonly_fields = ("published_at",)

    def has_add_permission(self, request):
        return False  # created through the API or service, which check the criteria


@admin.register(models.Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ("scheme", "rank", "score", "learner", "team", "organisation", "status")
    list_filter = ("status", "scheme")

    def has_change_permission(self, request, obj=None):
        return False
