from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "learncity.audit"
    verbose_name = "Audit trail"
