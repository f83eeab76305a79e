"""A ModelAdmin base that writes every admin change to the LearnCity audit trail."""

from __future__ import annotations

from django.contrib import admin

from learncity.access import actor_for_user
from learncity.audit.services import record


class AuditedAdmin(admin.ModelAdmin):
    def _actor(self, request):
        return actor_for_user(request.user, request.META.get("REMOTE_ADDR"))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        action = f"admin.{obj._meta.model_name}.{'change' if change else 'add'}"
        record(self._actor(request), action, obj, changed=list(form.changed_data))

    def delete_model(self, request, obj):
        record(self._actor(request), f"admin.{obj._meta.model_name}.delete", obj)
        super().delete_model(request, obj)
