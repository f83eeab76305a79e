from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "learncity.identity"
