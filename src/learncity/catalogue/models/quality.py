"""Quality assurance: practitioners and their qualifications, construction-standard checks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from learncity.catalogue import choices
from learncity.institutions.models import INSTITUTION_KINDS, Institution


class Practitioner(models.Model):
    """A teacher or manager of lifelong-learning services, with qualification and competence."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="practitioners"
    )
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(
        _("role"), max_length=10, choices=choices.django_choices(choices.PRACTITIONER_ROLES)
    )
    qualification = models.CharField(_("qualification"), max_length=200, blank=True)
    qualification_no = models.CharField(_("certificate number"), max_length=60, blank=True)
    competence = models.CharField(
        _("competence level"),
        max_length=12,
        choices=choices.django_choices(choices.COMPETENCE_LEVELS),
    )
    standard = models.CharField(_("competence standard"), max_length=100, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["institution", "name"]
        verbose_name = _("practitioner")
        verbose_name_plural = _("practitioners")

    def __str__(self) -> str:
        return self.name


class ChecklistItem(models.Model):
    """One requirement of a published construction standard for one kind of institution."""

    institution_kind = models.CharField(
        _("institution kind"),
        max_length=30,
        choices=[("*", _("Any other kind")), *INSTITUTION_KINDS],
    )
    standard = models.CharField(_("standard"), max_length=60)
    code = models.CharField(_("code"), max_length=20)
    text_zh = models.TextField(_("requirement (Chinese)"))
    text_en = models.TextField(_("requirement (English)"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["institution_kind", "standard", "code"], name="unique_checklist_item"
            )
        ]
        ordering = ["institution_kind", "order", "code"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")

    def __str__(self) -> str:
        return f"{self.code} {self.text_zh[:30]}"

    def text(self, language: str) -> str:
        return self.text_en if language.startswith("en") else self.text_zh


class Inspection(models.Model):
    """An institution checked against its standard: evidence per item, then a verdict."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="inspections"
    )
    standard = models.CharField(_("standard"), max_length=60)
    verdict = models.CharField(
        _("verdict"), max_length=12, choices=choices.django_choices(choices.VERDICTS), blank=True
    )
    note = models.TextField(_("reviewer's note"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")


class InspectionCheck(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="checks")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(
        _("answer"),
        max_length=16,
        choices=choices.django_choices(choices.CHECK_ANSWERS),
        default="unset",
    )
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["inspection", "item"], name="unique_inspection_item")
        ]
        ordering = ["item__order", "item__code"]
