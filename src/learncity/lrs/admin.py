"""Back office for the LRS: credentials (secret shown once), projection rules, read-only views."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from learncity.access import actor_for_user
from learncity.admin_audit import AuditedAdmin
from learncity.errors import LearnCityError
from learncity.lrs import indexing
from learncity.lrs.credentials import create_credential, revoke_credential
from learncity.lrs.models import SCOPES, Credential, ProjectedOutcome, ProjectionRule, Statement


class CredentialForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"), choices=[(s, s) for s in SCOPES], widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Credential
        fields = ["institution", "name", "scopes", "default_version"]


@admin.register(Credential)
class CredentialAdmin(AuditedAdmin):
    form = CredentialForm
    list_display = (
        "key",
        "institution",
        "name",
        "scopes",
        "default_version",
        "created_at",
        "last_used_at",
        "revoked_at",
    )
    list_filter = ("revoked_at", "default_version")
    search_fields = ("key", "name", "institution__code")
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        return ("institution", "key", "created_at", "last_used_at", "revoked_at") if obj else ()

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        actor = actor_for_user(request.user, request.META.get("REMOTE_ADDR"))
        credential, secret = create_credential(
            actor, obj.institution, obj.name, list(obj.scopes), obj.default_version
        )
        obj.pk, obj.key, obj.secret_hash = credential.pk, credential.key, credential.secret_hash
        obj._state.adding = False
        messages.warning(
            request,
            _(
                "Key %(key)s, secret %(secret)s — copy the secret now: it "
                "is not stored and will not be shown again."
            )
            % {"key": credential.key, "secret": secret},
        )

    @admin.action(description=_("Revoke the selected credentials"))
    def revoke(self, request, queryset):
        actor = actor_for_user(request.user, request.META.get("REMOTE_ADDR"))
        for credential in queryset.filter(revoked_at__isnull=True):
            try:
                revoke_credential(actor, credential, reason="admin")
            except LearnCityError as error:
                messages.error(request, str(error.message))

    def has_delete_permission(self, request, obj=None):
        return False  # statements keep pointing at the credential that stored them


@admin.register(ProjectionRule)
class ProjectionRuleAdmin(AuditedAdmin):
    list_display = ("activity_iri", "title", "code", "hours", "credits", "kind", "active")
    list_filter = ("active", "kind")
    search_fields = ("activity_iri", "title", "code")
    exclude = ("activity_key",)

    def save_model(self, request, obj, form, change):
        obj.activity_key = indexing.activity_key(obj.activity_iri)
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ("statement_id", "stored", "credential", "is_voiding", "voided")
    list_filter = ("voided", "is_voiding")
    search_fields = ("statement_id",)
    date_hierarchy = "stored"


@admin.register(ProjectedOutcome)
class ProjectedOutcomeAdmin(ReadOnlyAdmin):
    list_display = ("statement", "decision", "learner", "lineage", "revoked", "created_at")
    list_filter = ("decision", "revoked")
