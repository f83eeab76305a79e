from django.contrib import admin

from learncity.admin_audit import AuditedAdmin
from learncity.identity.models import Learner


@admin.register(Learner)
class LearnerAdmin(AuditedAdmin):
    list_display = ("learner_no", "name", "id_masked", "district_code", "hukou", "created_at")
    search_fields = ("learner_no", "name")
    list_filter = ("district_code", "hukou", "doc_type")
    readonly_fields = (
        "learner_no",
        "doc_type",
        "doc_country",
        "id_masked",
        "birth_date",
        "sex",
        "created_at",
    )
    exclude = ("id_encrypted", "id_index")

    def has_add_permission(self, request):
        return False  # accounts are opened through the registration service, which checks ids
