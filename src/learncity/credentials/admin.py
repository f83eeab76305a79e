"""Read-only admin views: keys and credentials change only through services (audited)."""

from django.contrib import admin

from learncity.admin_audit import AuditedAdmin
from learncity.credentials.models import IssuedCredential, IssuerKey


class _ReadOnly(AuditedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IssuerKey)
class IssuerKeyAdmin(_ReadOnly):
    list_display = ("did", "fragment", "created_at", "retired_at", "withdrawn_at")
    exclude = ("sealed_private_key",)


@admin.register(IssuedCredential)
class IssuedCredentialAdmin(_ReadOnly):
    list_display = ("uuid", "kind", "title", "issued_at", "revoked_at", "suspended")
    list_filter = ("kind", "suspended")
    search_fields = ("uuid", "sha256", "learner__learner_no")
    exclude = ("document", "jwt")
