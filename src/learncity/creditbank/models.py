"""Recognition standards, recognition decisions, appeals and the credit ledger."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from learncity.framework.models import Framework
from learncity.identity.models import Learner
from learncity.records.models import Outcome


class RecognitionStandard(models.Model):
    """A versioned recognition rule (认定标准). Published standards are never edited."""

    STATES = [("draft", _("Draft")), ("published", _("Published")), ("retired", _("Retired"))]

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT)
    code = models.CharField(_("code"), max_length=60)
    version = models.CharField(_("version"), max_length=20)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=STATES, default="draft")
    published_at = models.DateTimeField(null=True, blank=True)
    # what it matches (empty = anything)
    kinds = models.JSONField(_("outcome kinds"), default=list, blank=True)
    institution_codes = models.JSONField(_("issuing institutions"), default=list, blank=True)
    institution_kinds = models.JSONField(_("institution kinds"), default=list, blank=True)
    accredited_only = models.BooleanField(_("accredited institutions only"), default=False)
    code_exact = models.CharField(_("course or certificate code"), max_length=64, blank=True)
    code_pattern = models.CharField(_("code pattern (e.g. SOU-PA-*)"), max_length=64, blank=True)
    min_result = models.CharField(_("minimum result"), max_length=10, blank=True)
    min_hours = models.DecimalField(
        _("minimum hours"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    completed_from = models.DateField(_("completed on or after"), null=True, blank=True)
    completed_to = models.DateField(_("completed on or before"), null=True, blank=True)
    # what it yields
    level = models.PositiveSmallIntegerField(_("framework level"))
    category = models.CharField(_("category"), max_length=30)
    credits_fixed = models.DecimalField(
        _("credits (fixed)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    hours_per_credit = models.DecimalField(
        _("hours per credit (formula)"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    rounding_step = models.DecimalField(_("round to"), max_digits=4, decimal_places=2, default=0.5)
    credits_cap = models.DecimalField(
        _("at most credits"), max_digits=6, decimal_places=1, null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="unique_standard_version")
        ]
        ordering = ["code", "-version"]
        verbose_name = _("recognition standard")
        verbose_name_plural = _("recognition standards")

    def __str__(self) -> str:
        return f"{self.code}@{self.version} {self.name_zh}"

    @property
    def key(self) -> str:
        return f"{self.code}@{self.version}"


class Recognition(models.Model):
    """A decision placing an outcome on the framework. One is current per outcome."""

    STATES = [
        ("pending", _("Waiting for a reviewer")),
        ("second_review", _("Waiting for a second reviewer")),
        ("recognised", _("Recognised")),
        ("refused", _("Refused")),
        ("appealed", _("Appealed")),
        ("revoked", _("Revoked")),
    ]
    METHODS = [("standard", _("By a published standard")), ("review", _("By reviewers"))]

    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="recognitions")
    # The outcome's learner, copied for the learner's pages (indexed). No foreign-key check of
    # its own: the outcome's key is checked, and its learner is.
    learner = models.ForeignKey(
        Learner, on_delete=models.PROTECT, related_name="recognitions", db_constraint=False
    )
    # Few indexes on purpose: the batch writes a million recognitions a minute. Status is led
    # by recognition_queue; reviewers, standards and appeals are looked up rarely (appeals
    # through the partial index below, which holds appeals only).
    status = models.CharField(_("status"), max_length=14, choices=STATES)
    method = models.CharField(_("method"), max_length=10, choices=METHODS, blank=True)
    standard = models.ForeignKey(
        RecognitionStandard, null=True, blank=True, on_delete=models.PROTECT, db_index=False
    )
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    category = models.CharField(_("category"), max_length=30, blank=True)
    credits = models.DecimalField(
        _("credits"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)
    explanation = models.JSONField(default=dict, blank=True)
    first_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    second_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    appeal_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeals",
        db_index=False,
    )
    appeal_reason = models.TextField(_("appeal"), blank=True)
    appeal_evidence_url = models.URLField(max_length=500, blank=True)
    appeal_evidence_sha256 = models.CharField(max_length=64, blank=True)
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["outcome"], condition=Q(is_current=True), name="one_current_recognition"
            )
        ]
        indexes = [
            models.Index(fields=["status", "is_current"], name="recognition_queue"),
            models.Index(
                fields=["appeal_of"],
                name="recognition_appeals",
                condition=Q(appeal_of__isnull=False),
            ),
        ]
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")

    def __str__(self) -> str:
        return f"{self.outcome_id} {self.status}"

    def why(self) -> str:
        """The reason for this decision in the reader's language."""
        if self.reason:
            return self.reason
        code = self.explanation.get("code", "")
        key = self.explanation.get("standard") or ""
        if key and (code in ("only", "most_specific") or self.status == "recognised"):
            return _("Recognised by the standard %(key)s.") % {"key": key}
        if code == "tie":
            return _("Several standards match equally (%(keys)s); a reviewer decides.") % {
                "keys": ", ".join(self.explanation.get("candidates", []))
            }
        if code == "formula":
            return _(
                "The matching standard cannot compute credits for this outcome (for "
                "example it has no learning hours); a reviewer decides."
            )
        if self.appeal_of_id:
            return _("Appeal: %(reason)s") % {"reason": self.appeal_reason}
        if self.status == "pending":
            return _("No standard in force matches this outcome; a reviewer decides.")
        return self.explanation.get("why", "")


class LedgerEntry(models.Model):
    """One hash-chained movement of credits on a learner's account. Never updated or deleted."""

    TYPES = [("credit", _("Credit")), ("reversal", _("Reversal"))]

    # The learner and the outcome are the recognition's, copied so an account's chain and an
    # outcome's entries are read without a join; only the recognition's key is checked by the
    # database (it checks the outcome's, which checks the learner's). The learner is covered by
    # unique_ledger_seq, which leads with it.
    learner = models.ForeignKey(
        Learner,
        on_delete=models.PROTECT,
        related_name="ledger",
        db_index=False,
        db_constraint=False,
    )
    seq = models.PositiveIntegerField()
    entry_type = models.CharField(_("type"), max_length=10, choices=TYPES)
    outcome = models.ForeignKey(
        Outcome, on_delete=models.PROTECT, related_name="+", db_constraint=False
    )
    recognition = models.ForeignKey(
        Recognition, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    category = models.CharField(_("category"), max_length=30)
    level = models.PositiveSmallIntegerField(_("level"))
    credits = models.DecimalField(_("credits"), max_digits=7, decimal_places=1)
    year = models.PositiveSmallIntegerField(_("year"))
    booked_on = models.DateField(_("booked on"))
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["learner", "seq"], name="unique_ledger_seq")]
        ordering = ["learner", "seq"]
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")

    def __str__(self) -> str:
        return f"{self.learner_id}#{self.seq} {self.credits}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("ledger entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("ledger entries are never deleted")
