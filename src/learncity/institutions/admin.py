from django import forms
from django.contrib import admin

from learncity.admin_audit import AuditedAdmin
from learncity.institutions.models import ApiKey, Institution, StaffRole
from learncity.institutions.uscc import USCCError, check_uscc


class InstitutionForm(forms.ModelForm):
    class Meta:
        model = Institution
        fields = [
            "code",
            "name_zh",
            "name_en",
            "kind",
            "district_code",
            "uscc",
            "accredited",
            "active",
        ]

    def clean_uscc(self):
        try:
            return check_uscc(self.cleaned_data["uscc"])
        except USCCError as error:
            raise forms.ValidationError(
                f"统一社会信用代码无效 / invalid unified social credit code ({error.code})"
            ) from None


@admin.register(Institution)
class InstitutionAdmin(AuditedAdmin):
    form = InstitutionForm
    list_display = ("code", "name_zh", "kind", "district_code", "accredited", "active")
    list_filter = ("kind", "accredited", "active")
    search_fields = ("code", "name_zh", "name_en", "uscc")


@admin.register(StaffRole)
class StaffRoleAdmin(AuditedAdmin):
    list_display = ("user", "role", "institution")
    list_filter = ("role",)


@admin.register(ApiKey)
class ApiKeyAdmin(AuditedAdmin):
    list_display = ("institution", "name", "prefix", "scopes", "created_at", "revoked_at")
    readonly_fields = ("prefix", "secret_hash", "created_at", "last_used_at", "created_by")

    def has_add_permission(self, request):
        return False  # keys are issued in the portal so the secret is shown exactly once
