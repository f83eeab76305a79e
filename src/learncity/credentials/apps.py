from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "learncity.credentials"
    verbose_name = _("Verifiable credentials")

    def ready(self) -> None:
        from learncity.credentials import receivers  # noqa: F401  (connects the signal)
