"""Which framework is in force on a date."""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from learncity.framework.models import Framework


def framework_in_force(on: date) -> Framework | None:
    return (
        Framework.objects.filter(effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .prefetch_related("levels", "categories")
        .order_by("-effective_from")
        .first()
    )
