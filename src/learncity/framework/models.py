"""The qualifications framework (资历框架): levels, categories and the credit unit, versioned."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Framework(models.Model):
    code = models.CharField(_("code"), max_length=40)
    version = models.CharField(_("version"), max_length=20)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    credit_unit_hours = models.DecimalField(
        _("learning hours per credit"), max_digits=5, decimal_places=1
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="unique_framework_version")
        ]
        ordering = ["code", "-effective_from"]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")

    def __str__(self) -> str:
        return f"{self.name_zh} {self.version}"


class Level(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField(_("level"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    knowledge_zh = models.TextField(_("knowledge (Chinese)"))
    knowledge_en = models.TextField(_("knowledge (English)"))
    skills_zh = models.TextField(_("skills (Chinese)"))
    skills_en = models.TextField(_("skills (English)"))
    competence_zh = models.TextField(_("competence (Chinese)"))
    competence_en = models.TextField(_("competence (English)"))
    eqf_level = models.PositiveSmallIntegerField(_("EQF level"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="unique_level_number")
        ]
        ordering = ["framework", "number"]
        verbose_name = _("level")
        verbose_name_plural = _("levels")

    def __str__(self) -> str:
        return f"{self.number} {self.name_zh}"


class Category(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(_("code"), max_length=30)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_category_code")
        ]
        verbose_name = _("outcome category")
        verbose_name_plural = _("outcome categories")

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"
