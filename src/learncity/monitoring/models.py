"""Monitoring tables: the question bank, surveys with their sample and responses, published
indicator results and reports. The monitoring *data* (the snapshot) lives in Parquet files."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

ITEM_TYPES = [
    ("single", _("Single choice")),
    ("multiple", _("Multiple choice")),
    ("scale", _("Scale")),
    ("number", _("Number")),
    ("text", _("Text")),
]


class Item(models.Model):
    """One question of the question bank (题库), in one version. Never edited once used."""

    code = models.CharField(_("code"), max_length=40)
    version = models.CharField(_("version"), max_length=20)
    type = models.CharField(_("type"), max_length=10, choices=ITEM_TYPES)
    text_zh = models.TextField(_("wording (Chinese)"))
    text_en = models.TextField(_("wording (English)"))
    options = models.JSONField(_("options"), default=list, blank=True)  # [{code, zh, en}]
    scale_min = models.SmallIntegerField(null=True, blank=True)
    scale_max = models.SmallIntegerField(null=True, blank=True)
    scale_labels = models.JSONField(default=dict, blank=True)  # {"min": {zh,en}, "max": ...}
    number_min = models.FloatField(null=True, blank=True)
    number_max = models.FloatField(null=True, blank=True)
    indicators = models.JSONField(_("indicators fed"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="unique_item")]
        ordering = ["code", "version"]
        verbose_name = _("question bank item")
        verbose_name_plural = _("question bank")

    def __str__(self) -> str:
        return f"{self.code}@{self.version}"

    def text(self, language: str) -> str:
        return self.text_en if language.startswith("en") else self.text_zh


class Questionnaire(models.Model):
    code = models.CharField(_("code"), max_length=40)
    version = models.CharField(_("version"), max_length=20)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    intro_zh = models.TextField(blank=True)
    intro_en = models.TextField(blank=True)
    items = models.ManyToManyField(Item, through="QuestionnaireItem", related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="unique_questionnaire")
        ]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return f"{self.code}@{self.version}"


class QuestionnaireItem(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE,
                                      related_name="entries")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    required = models.BooleanField(default=True)
    show_if = models.JSONField(default=dict, blank=True)  # {"item": code, "values": [...]}

    class Meta:
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "item"], name="unique_entry")
        ]


class Survey(models.Model):
    STATES = [("open", _("Open")), ("closed", _("Closed"))]

    code = models.CharField(_("code"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT)
    status = models.CharField(_("status"), max_length=10, choices=STATES, default="open")
    design = models.JSONField(_("sample design"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return self.code


class SampleUnit(models.Model):
    """One sampled resident: design variables and frame facts, never a name or number. A web
    respondent is reached by an anonymous link whose token is kept only as a hash."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="units")
    unit_key = models.BigIntegerField()
    stratum = models.CharField(max_length=40)
    psu = models.CharField(max_length=40)
    base_weight = models.FloatField()
    district_code = models.CharField(max_length=12)
    sex = models.CharField(max_length=1)
    age_band = models.CharField(max_length=10)
    hukou = models.CharField(max_length=10)
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "unit_key"], name="unique_sample_unit")
        ]


class Response(models.Model):
    SOURCES = [("web", _("Web form")), ("import", _("Imported file"))]

    unit = models.OneToOneField(SampleUnit, on_delete=models.PROTECT, related_name="response")
    answers = models.JSONField(default=dict)  # item code -> value ("a;b" for several)
    source = models.CharField(max_length=10, choices=SOURCES)
    submitted_at = models.DateTimeField(auto_now_add=True)


class IndicatorRun(models.Model):
    """One published computation of the catalogue for a year (with its trend years)."""

    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    years = models.JSONField(default=list)
    engine = models.CharField(max_length=10)
    catalogue_version = models.CharField(max_length=20)
    min_cell = models.PositiveSmallIntegerField()
    snapshot_kind = models.CharField(max_length=12)  # operational or synthetic
    survey_design = models.JSONField(default=dict, blank=True)
    assumptions = models.JSONField(default=list, blank=True)
    seconds = models.FloatField(default=0)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-published_at", "-id"]
        verbose_name = _("indicator run")
        verbose_name_plural = _("indicator runs")

    def __str__(self) -> str:
        return f"{self.year} ({self.engine}, {self.catalogue_version})"


class IndicatorValue(models.Model):
    """One published cell: an aggregate, suppressed and flagged when it rests on few people."""

    run = models.ForeignKey(IndicatorRun, on_delete=models.CASCADE, related_name="values")
    indicator = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    dimension = models.CharField(max_length=20)
    group = models.CharField(max_length=60)
    value = models.FloatField(null=True)
    numerator = models.FloatField(null=True)
    denominator = models.FloatField(null=True)
    flag = models.CharField(max_length=12, blank=True)
    se = models.FloatField(null=True)
    lci = models.FloatField(null=True)
    uci = models.FloatField(null=True)
    cv = models.FloatField(null=True)
    n = models.IntegerField(null=True)
    deff = models.FloatField(null=True)

    class Meta:
        indexes = [models.Index(fields=["run", "indicator", "year"], name="indicator_value_run")]
        ordering = ["indicator", "year", "dimension", "group"]


class Report(models.Model):
    run = models.ForeignKey(IndicatorRun, on_delete=models.PROTECT, related_name="reports")
    year = models.PositiveSmallIntegerField()
    language = models.CharField(max_length=8)
    html_file = models.CharField(max_length=255)
    pdf_file = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "language", "-created_at"]
