"""Institutions, staff roles and the API keys institutions call LearnCity with."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

INSTITUTION_KINDS = [
    ("university", _("Regular university")),
    ("vocational_college", _("Vocational college")),
    ("adult_college", _("Adult college")),
    ("open_university", _("Open university")),
    ("secondary_vocational", _("Secondary vocational school")),
    ("training", _("Training organisation")),
    ("enterprise", _("Enterprise or enterprise university")),
    ("community_school", _("Community school")),
    ("elderly_university", _("Elderly university")),
    ("public_venue", _("Library, museum or other public venue")),
    ("learning_point", _("Social learning point")),
    ("experience_base", _("Lifelong-learning experience base")),
]

ROLE_CHOICES = [
    ("officer", _("Institution officer")),
    ("reviewer", _("Credit bank reviewer")),
    ("framework_admin", _("Framework administrator")),
    ("analyst", _("Monitoring analyst")),
    ("auditor", _("Auditor")),
    ("admin", _("Administrator")),
]

API_SCOPES = ["outcomes:read", "outcomes:write"]


class Institution(models.Model):
    code = models.CharField(_("code"), max_length=32, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=INSTITUTION_KINDS)
    district_code = models.CharField(_("district"), max_length=12)
    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    accredited = models.BooleanField(_("accredited"), default=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"

    def display_name(self, language: str) -> str:
        return self.name_en if language.startswith("en") and self.name_en else self.name_zh


class StaffRole(models.Model):
    """A staff user's role, at one institution for officers, city-wide for the others."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=ROLE_CHOICES)
    institution = models.ForeignKey(Institution, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "institution"], name="unique_staff_role"
            )
        ]
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")

    def __str__(self) -> str:
        return f"{self.user} {self.role} {self.institution or ''}".strip()


class ApiKey(models.Model):
    """An institution's key. Only a SHA-256 of the secret is kept; the key is shown once."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="api_keys")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.institution.code} {self.name} ({self.prefix}…)"
