from django.apps import AppConfig


class CreditbankConfig(AppConfig):
    name = "learncity.creditbank"
    verbose_name = "Credit bank"

    def ready(self):
        from learncity.creditbank import receivers  # noqa: F401  (connects the signal)
