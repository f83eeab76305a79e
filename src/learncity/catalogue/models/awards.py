"""Incentives (激励表彰): award schemes with configurable criteria, and their nominations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from learncity.catalogue import choices
from learncity.identity.models import Learner


class AwardScheme(models.Model):
    """One year's award of one kind, with the criteria its candidates are ranked on."""

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(
        _("kind"), max_length=14, choices=choices.django_choices(choices.AWARD_KINDS)
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    issuer_name = models.CharField(_("awarded by"), max_length=200)
    weights = models.JSONField(_("weights"), default=dict)
    minimums = models.JSONField(_("minimums"), default=dict)
    quota = models.PositiveSmallIntegerField(_("number of awards"), default=10)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "kind"], name="unique_award_year_kind")
        ]
        ordering = ["-year", "kind"]
        verbose_name = _("award scheme")
        verbose_name_plural = _("award schemes")

    def __str__(self) -> str:
        return f"{self.year} {self.title_zh}"

    def title(self, language: str) -> str:
        return self.title_en if language.startswith("en") and self.title_en else self.title_zh


class Nomination(models.Model):
    scheme = models.ForeignKey(AwardScheme, on_delete=models.CASCADE, related_name="nominations")
    learner = models.ForeignKey(
        Learner, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        "catalogue.LearningTeam", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "catalogue.LearningOrganisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    score = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    rank = models.PositiveIntegerField(null=True, blank=True)
    breakdown = models.JSONField(default=dict)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=choices.django_choices(choices.NOMINATION_STATES),
        default="candidate",
    )
    review_note = models.TextField(_("reviewer's note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome_ids = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "learner"], condition=Q(learner__isnull=False), name="unique_star"
            ),
            models.UniqueConstraint(
                fields=["scheme", "team"], condition=Q(team__isnull=False), name="unique_team_award"
            ),
            models.UniqueConstraint(
                fields=["scheme", "organisation"],
                condition=Q(organisation__isnull=False),
                name="unique_org_award",
            ),
        ]
        ordering = ["scheme", "rank", "id"]
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
