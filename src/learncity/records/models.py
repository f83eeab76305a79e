"""Outcomes (学习成果) — the learning archive — and the batches that deposit them."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from learncity.identity.models import Learner
from learncity.institutions.models import Institution
from learncity.records.kinds import OUTCOME_KINDS

KIND_CHOICES = [(code, _(label[0])) for code, label in OUTCOME_KINDS.items()]
RESULT_TYPES = [
    ("score", _("Score")),
    ("grade", _("Grade")),
    ("pass", _("Pass/fail")),
    ("none", _("No result")),
]
SOURCES = [
    ("form", _("Portal form")),
    ("api", _("API")),
    ("upload", _("Spreadsheet upload")),
    ("self", _("Reported by the learner")),
    ("xapi", _("xAPI statement")),
]
STATUSES = [
    ("recorded", _("Recorded")),
    ("pending_review", _("Waiting for review")),
    ("refused", _("Refused")),
    ("superseded", _("Replaced by a correction")),
    ("revoked", _("Revoked by the issuer")),
]


class ImportBatch(models.Model):
    """One spreadsheet upload; kept so a retried upload of the same file never duplicates."""

    MODES = [
        ("all_or_nothing", _("Refuse the whole file if any row is bad")),
        ("accept_valid", _("Accept the valid rows, return the rejected ones")),
    ]
    STATES = [
        ("running", _("Running")),
        ("done", _("Done")),
        ("refused", _("Refused")),
        ("failed", _("Failed")),
    ]

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    mode = models.CharField(max_length=20, choices=MODES)
    status = models.CharField(max_length=10, choices=STATES, default="running")
    rows_total = models.PositiveIntegerField(default=0)
    rows_accepted = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=list, blank=True)
    rejected_file = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")


class Outcome(models.Model):
    """One learning outcome. Never edited in place: a correction is a new version."""

    # Few indexes on purpose: every index slows the million-row import. The learner is covered
    # by archive_timeline, the institution by the idempotency constraint (both lead with them).
    learner = models.ForeignKey(
        Learner, on_delete=models.PROTECT, related_name="outcomes", db_index=False
    )
    institution = models.ForeignKey(
        Institution,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="outcomes",
        db_index=False,
    )
    issuer_name = models.CharField(_("issuer"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=KIND_CHOICES)
    category = models.CharField(_("category"), max_length=30)
    title = models.CharField(_("title"), max_length=300)
    code = models.CharField(_("course or certificate code"), max_length=64, blank=True)
    hours = models.DecimalField(
        _("learning hours"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    credits = models.DecimalField(
        _("credits (issuer)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    result_type = models.CharField(
        _("result type"), max_length=8, choices=RESULT_TYPES, default="none"
    )
    result = models.CharField(_("result"), max_length=20, blank=True)
    started_on = models.DateField(_("start date"), null=True, blank=True)
    completed_on = models.DateField(_("completion date"))
    evidence_file = models.FileField(_("evidence file"), upload_to="evidence/%Y/%m/", blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    evidence_url = models.URLField(_("evidence link"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=SOURCES)
    status = models.CharField(_("status"), max_length=16, choices=STATUSES)
    lineage = models.UUIDField(default=uuid.uuid4, editable=False)  # read within one learner
    version = models.PositiveSmallIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    is_current = models.BooleanField(default=True)
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="outcomes"
    )
    review_note = models.TextField(_("review note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "idempotency_key"], name="unique_outcome_idempotency_key"
            ),
        ]
        indexes = [
            models.Index(fields=["learner", "is_current", "-completed_on"], name="archive_timeline")
        ]
        ordering = ["-completed_on", "-id"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return f"{self.title} ({self.completed_on})"


class IdempotentResponse(models.Model):
    """The stored answer to an API request made with an Idempotency-Key header."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE)
    key = models.CharField(max_length=200)
    request_sha256 = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "key"], name="unique_idempotent_response"
            )
        ]
