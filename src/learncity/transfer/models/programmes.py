"""Programmes with their courses and rules, alliances, and versioned transfer standards."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from learncity.institutions.models import Institution

CREDITS = {"max_digits": 6, "decimal_places": 1}


class Alliance(models.Model):
    """A credit mutual-recognition alliance (学分互认联盟) whose members accept its standards."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    members = models.ManyToManyField(Institution, through="AllianceMember", related_name="+")

    class Meta:
        ordering = ["code"]
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"


class AllianceMember(models.Model):
    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="memberships")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField(_("joined on"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alliance", "institution"], name="unique_member")
        ]
        verbose_name = _("alliance member")
        verbose_name_plural = _("alliance members")


class Programme(models.Model):
    """A target institution's programme and the rules for credits transferred into it."""

    DECIDERS = [
        ("officer", _("The institution's officer")),
        ("reviewer", _("A credit bank reviewer")),
    ]

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="programmes"
    )
    code = models.CharField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    level = models.PositiveSmallIntegerField(_("framework level"), null=True, blank=True)
    total_credits = models.DecimalField(_("credits to graduate"), **CREDITS)
    transfer_max_credits = models.DecimalField(
        _("at most credits by transfer"), null=True, blank=True, **CREDITS
    )
    transfer_max_share = models.DecimalField(
        _("at most this share by transfer (0–1)"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    residency_min_credits = models.DecimalField(
        _("credits to earn at the institution"), default=0, **CREDITS
    )
    per_institution_max = models.DecimalField(
        _("at most credits from one source institution"), null=True, blank=True, **CREDITS
    )
    per_year_max = models.DecimalField(
        _("at most credits from outcomes of one year"), null=True, blank=True, **CREDITS
    )
    elective_credits = models.DecimalField(
        _("elective credits transfer may fill"), default=0, **CREDITS
    )
    validity_years = models.PositiveSmallIntegerField(
        _("outcomes older than this many years do not count"), null=True, blank=True
    )
    decided_by = models.CharField(
        _("who decides applications"), max_length=10, choices=DECIDERS, default="officer"
    )
    active = models.BooleanField(_("open for applications"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"

    def display_name(self, language: str) -> str:
        return self.name_en if language.startswith("en") and self.name_en else self.name_zh


class ProgrammeCourse(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="courses")
    code = models.CharField(_("course code"), max_length=40)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    credits = models.DecimalField(_("credits"), **CREDITS)
    compulsory = models.BooleanField(_("compulsory"), default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="unique_programme_course")
        ]
        ordering = ["programme", "code"]
        verbose_name = _("programme course")
        verbose_name_plural = _("programme courses")

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh} ({self.credits})"


class TransferStandard(models.Model):
    """A versioned transfer standard (转换标准). Published versions are never edited."""

    STATES = [("draft", _("Draft")), ("published", _("Published")), ("retired", _("Retired"))]

    code = models.CharField(_("code"), max_length=60)
    version = models.CharField(_("version"), max_length=20)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    alliance = models.ForeignKey(Alliance, null=True, blank=True, on_delete=models.PROTECT)
    programmes = models.JSONField(_("only for these programmes"), default=list, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=STATES, default="draft")
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="unique_transfer_standard"),
            models.CheckConstraint(
                condition=Q(institution__isnull=True) ^ Q(alliance__isnull=True),
                name="transfer_standard_one_publisher",
            ),
        ]
        ordering = ["code", "-effective_from"]
        verbose_name = _("transfer standard")
        verbose_name_plural = _("transfer standards")

    def __str__(self) -> str:
        return f"{self.key} {self.name_zh}"

    @property
    def key(self) -> str:
        return f"{self.code}@{self.version}"

    @property
    def publisher_code(self) -> str:
        return self.institution.code if self.institution_id else self.alliance.code


class TransferRule(models.Model):
    """One rule of a standard: source slots (JSON criteria) to target courses or electives."""

    standard = models.ForeignKey(TransferStandard, on_delete=models.CASCADE, related_name="rules")
    code = models.CharField(_("rule"), max_length=40)
    sources = models.JSONField(_("source outcomes"), default=list)
    targets = models.JSONField(_("target courses"), default=list, blank=True)
    elective_credits = models.DecimalField(_("elective credits"), default=0, **CREDITS)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["standard", "code"], name="unique_rule_in_standard")
        ]
        ordering = ["standard", "id"]
        verbose_name = _("transfer rule")
        verbose_name_plural = _("transfer rules")

    def __str__(self) -> str:
        return self.code
