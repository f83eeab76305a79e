from django.contrib import admin

from learncity.admin_audit import AuditedAdmin
from learncity.framework.models import Category, Framework, Level


class LevelInline(admin.StackedInline):
    model = Level
    extra = 0


class CategoryInline(admin.TabularInline):
    model = Category
    extra = 0


@admin.register(Framework)
class FrameworkAdmin(AuditedAdmin):
    list_display = (
        "code",
        "version",
        "name_zh",
        "effective_from",
        "effective_to",
        "credit_unit_hours",
    )
    inlines = [CategoryInline, LevelInline]
