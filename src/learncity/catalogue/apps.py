from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_search_index(sender, using="default", **kwargs):
    from django.db import connections

    from learncity.catalogue import searchindex

    searchindex.ensure(connections[using])


class CatalogueConfig(AppConfig):
    name = "learncity.catalogue"
    verbose_name = _("Learning catalogue")

    def ready(self) -> None:
        post_migrate.connect(_ensure_search_index, sender=self)
