"""Learning teams (学习团队) and learning organisations (学习型组织)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from learncity.catalogue import choices
from learncity.identity.models import Learner
from learncity.institutions.models import Institution


class LearningTeam(models.Model):
    name = models.CharField(_("name"), max_length=200)
    topic = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    district_code = models.CharField(_("district"), max_length=12)
    meeting_site = models.ForeignKey(
        "catalogue.Site", null=True, blank=True, on_delete=models.SET_NULL, related_name="teams"
    )
    leader = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=choices.django_choices(choices.TEAM_STATES),
        default="pending",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("learning team")
        verbose_name_plural = _("learning teams")

    def __str__(self) -> str:
        return self.name


class TeamMembership(models.Model):
    team = models.ForeignKey(LearningTeam, on_delete=models.CASCADE, related_name="memberships")
    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="team_memberships")
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "learner"], name="unique_team_member")
        ]


class TeamActivity(models.Model):
    """One entry in a team's activity log."""

    team = models.ForeignKey(LearningTeam, on_delete=models.CASCADE, related_name="activities")
    held_on = models.DateField(_("date"))
    title = models.CharField(_("what the team did"), max_length=200)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    attendees = models.PositiveIntegerField(_("people who took part"))
    site = models.ForeignKey(
        "catalogue.Site", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("team activity")
        verbose_name_plural = _("team activities")


class LearningOrganisation(models.Model):
    """A unit, community or enterprise registered as a learning organisation."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=12, choices=choices.django_choices(choices.ORGANISATION_KINDS)
    )
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    district_code = models.CharField(_("district"), max_length=12)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=choices.django_choices(choices.TEAM_STATES),
        default="pending",
    )
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("learning organisation")
        verbose_name_plural = _("learning organisations")

    def __str__(self) -> str:
        return self.name


class OrganisationMember(models.Model):
    """A member; their archive counts in the organisation's summary only while they consent."""

    organisation = models.ForeignKey(
        LearningOrganisation, on_delete=models.CASCADE, related_name="members"
    )
    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField(_("joined on"))
    consent_at = models.DateTimeField(
        _("consented to share a learning summary"), null=True, blank=True
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "learner"], name="unique_org_member")
        ]
