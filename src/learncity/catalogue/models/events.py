"""Citywide learning events: the activity week, reading festival, poetry festival…"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from learncity.catalogue import choices
from learncity.institutions.models import Institution


class Event(models.Model):
    code = models.CharField(_("code"), max_length=40, unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=choices.django_choices(choices.EVENT_KINDS)
    )
    organiser = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    published = models.BooleanField(_("published"), default=False)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("citywide event")
        verbose_name_plural = _("citywide events")

    def __str__(self) -> str:
        return self.title_zh

    def title(self, language: str) -> str:
        return self.title_en if language.startswith("en") and self.title_en else self.title_zh
