"""Taking part: enrolments (with the waiting list) and the rating given afterwards."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from learncity.catalogue import choices
from learncity.identity.models import Learner

LIVE_STATES = ("enrolled", "waiting", "attended", "absent")


class Enrolment(models.Model):
    """One learner's place (or place in the queue) in one session. Cancelled rows are kept."""

    session = models.ForeignKey(
        "catalogue.Session", on_delete=models.PROTECT, related_name="enrolments"
    )
    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(
        _("status"), max_length=10, choices=choices.django_choices(choices.ENROLMENT_STATES)
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    promoted_at = models.DateTimeField(_("moved up from the waiting list"), null=True, blank=True)
    outcome_id = models.BigIntegerField(null=True, blank=True)  # archive entry for attendance

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "learner"],
                condition=Q(status__in=LIVE_STATES),
                name="one_live_enrolment_per_session",
            )
        ]
        indexes = [
            models.Index(fields=["session", "status", "id"], name="enrolment_queue"),
            models.Index(fields=["learner", "status"], name="enrolment_learner"),
        ]
        ordering = ["id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self) -> str:
        return f"{self.learner_id} {self.session_id} {self.status}"


class Rating(models.Model):
    """A learner's rating of a course (or event session) and its site; one per enrolment."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="rating")
    provider = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+"
    )
    course = models.ForeignKey(
        "catalogue.Course", null=True, blank=True, on_delete=models.PROTECT, related_name="ratings"
    )
    site = models.ForeignKey("catalogue.Site", on_delete=models.PROTECT, related_name="ratings")
    stars = models.PositiveSmallIntegerField(_("rating of the course (1–5)"))
    site_stars = models.PositiveSmallIntegerField(
        _("rating of the site (1–5)"), null=True, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5), name="rating_stars_1_5"
            ),
            models.CheckConstraint(
                condition=Q(site_stars__isnull=True) | Q(site_stars__gte=1, site_stars__lte=5),
                name="rating_site_stars_1_5",
            ),
        ]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
