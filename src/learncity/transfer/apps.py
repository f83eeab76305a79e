from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "learncity.transfer"
    verbose_name = "Credit transfer"
