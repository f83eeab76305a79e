"""The question bank and surveys in the back office (every change audited). Published results
and responses are not editable here: results come from `learncity indicators --publish`."""

from django.contrib import admin

from learncity.admin_audit import AuditedAdmin
from learncity.monitoring.models import Item, Questionnaire, QuestionnaireItem, Survey


@admin.register(Item)
class ItemAdmin(AuditedAdmin):
    list_display = ("code", "version", "type", "text_zh")
    list_filter = ("type", "version")
    search_fields = ("code", "text_zh", "text_en")


class EntryInline(admin.TabularInline):
    model = QuestionnaireItem
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(AuditedAdmin):
    list_display = ("code", "version", "title_zh")
    inlines = [EntryInline]


@admin.register(Survey)
class SurveyAdmin(AuditedAdmin):
    list_display = ("code", "year", "questionnaire", "status")
    list_filter = ("status", "year")
