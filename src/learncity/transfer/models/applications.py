"""Applications, per-course decisions, their history, notifications and what posting wrote."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from learncity.creditbank.models import LedgerEntry
from learncity.identity.models import Learner
from learncity.records.models import Outcome
from learncity.transfer.models.programmes import CREDITS, Programme, TransferRule, TransferStandard

STATES = [
    ("draft", _("Draft")),
    ("submitted", _("Submitted")),
    ("under_review", _("Under review")),
    ("approved", _("Approved")),
    ("partly_approved", _("Partly approved")),
    ("refused", _("Refused")),
    ("withdrawn", _("Withdrawn")),
    ("appealed", _("Appealed")),
    ("posted", _("Posted")),
]
OPEN_STATES = ("draft", "submitted", "under_review", "approved", "partly_approved", "appealed")


class Application(models.Model):
    """A learner's application (申请) to transfer outcomes into one programme."""

    learner = models.ForeignKey(
        Learner, on_delete=models.PROTECT, related_name="transfer_applications"
    )
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="applications")
    state = models.CharField(_("state"), max_length=16, choices=STATES, default="draft")
    as_of = models.DateField(_("standards and validity as of"))
    standards = models.ManyToManyField(TransferStandard, related_name="+", blank=True)
    proposal = models.JSONField(default=dict, blank=True)
    credits_proposed = models.DecimalField(default=0, **CREDITS)
    credits_approved = models.DecimalField(default=0, **CREDITS)
    consent_at = models.DateTimeField(_("consent to share the archive"), null=True, blank=True)
    appeal_reason = models.TextField(_("appeal"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "programme"],
                condition=Q(state__in=OPEN_STATES),
                name="one_open_application_per_programme",
            )
        ]
        indexes = [models.Index(fields=["programme", "state"], name="transfer_incoming")]
        ordering = ["-created_at", "-id"]
        verbose_name = _("transfer application")
        verbose_name_plural = _("transfer applications")

    def __str__(self) -> str:
        return f"#{self.pk} {self.programme.code} {self.state}"


class ApplicationItem(models.Model):
    """One target course (or a block of elective credits) asked for, and its decision."""

    DECISIONS = [
        ("pending", _("Waiting for a decision")),
        ("approved", _("Approved")),
        ("refused", _("Refused")),
    ]

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="items")
    use = models.PositiveSmallIntegerField()  # which rule application of the proposal
    course_code = models.CharField(_("course"), max_length=40, blank=True)  # blank: electives
    credits = models.DecimalField(_("credits"), **CREDITS)
    rule = models.ForeignKey(TransferRule, on_delete=models.PROTECT, related_name="+")
    rule_key = models.CharField(max_length=110)
    standard = models.ForeignKey(TransferStandard, on_delete=models.PROTECT, related_name="+")
    outcome_ids = models.JSONField(default=list)
    decision = models.CharField(max_length=10, choices=DECISIONS, default="pending")
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application", "use", "course_code"]
        verbose_name = _("application item")
        verbose_name_plural = _("application items")


class ApplicationEvent(models.Model):
    """One step of an application, as the learner and the institution see it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=120)
    action = models.CharField(max_length=40)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["application", "at", "id"]


class Notification(models.Model):
    """A simple in-app message to a learner; `kind` and `params` are worded when shown."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="notifications")
    application = models.ForeignKey(Application, null=True, blank=True, on_delete=models.CASCADE)
    kind = models.CharField(max_length=40)
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["learner", "read_at"], name="unread_notifications")]


class UsedOutcome(models.Model):
    """An outcome posted for a programme. Unique per programme: never posted twice."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="+")
    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="+")
    lineage = models.UUIDField()
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="used")
    institution_code = models.CharField(max_length=32, blank=True)
    year = models.PositiveSmallIntegerField()
    credits = models.DecimalField(max_digits=8, decimal_places=3)  # its share of the grant
    ledger_entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["programme", "lineage"], name="outcome_posted_once")
        ]


class GrantedCourse(models.Model):
    """A course (or electives, blank code) granted by a posted application."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="+")
    course_code = models.CharField(max_length=40, blank=True)
    credits = models.DecimalField(**CREDITS)
    item = models.OneToOneField(ApplicationItem, on_delete=models.PROTECT, related_name="grant")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "programme", "course_code"],
                condition=~Q(course_code=""),
                name="course_granted_once",
            )
        ]
