"""Learning teams (learners form them, administrators approve) and learning organisations
(units, communities and enterprises register; members share a learning summary only with
consent)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.audit.services import record
from learncity.catalogue import choices
from learncity.catalogue.models import (
    LearningOrganisation,
    LearningTeam,
    OrganisationMember,
    Site,
    TeamActivity,
    TeamMembership,
)
from learncity.catalogue.services.offers import WRITE_SCOPE
from learncity.errors import Conflict, PermissionDenied, ValidationFailed
from learncity.identity import districts
from learncity.records.models import Outcome

MIN_GROUP = 3  # a summary of fewer consenting members could reveal one person's learning


def _need(value: str, field: str, limit: int = 200) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(_("This is required."), field=field)
    if len(value) > limit:
        raise ValidationFailed(
            _("This is too long: at most %(limit)s characters.") % {"limit": limit}, field=field
        )
    return value


def _district(code: str) -> str:
    if districts.by_code(code or "") is None:
        raise ValidationFailed(_("Choose a district from the list."), field="district_code")
    return code


def create_team(
    actor: Actor,
    *,
    name: str,
    topic: str,
    district_code: str,
    meeting_site_id: int | None = None,
    description: str = "",
) -> LearningTeam:
    """A learner starts a team and leads it; it shows once an administrator approves it."""
    learner_id = actor.require_learner()
    site = (
        Site.objects.filter(pk=meeting_site_id, status="published").first()
        if meeting_site_id
        else None
    )
    if meeting_site_id and site is None:
        raise ValidationFailed(_("Choose a published learning site."), field="meeting_site_id")
    with transaction.atomic():
        team = LearningTeam.objects.create(
            name=_need(name, "name"),
            topic=_need(topic, "topic"),
            district_code=_district(district_code),
            meeting_site=site,
            leader_id=learner_id,
            description=description.strip()[:2000],
        )
        TeamMembership.objects.create(
            team=team, learner_id=learner_id, joined_on=timezone.localdate()
        )
        record(actor, "catalogue.team.create", team)
    return team


def approve_team(
    actor: Actor, team: LearningTeam, approve: bool = True, note: str = ""
) -> LearningTeam:
    actor.require_role("admin")
    with transaction.atomic():
        team.status = "active" if approve else "closed"
        team.save(update_fields=["status"])
        record(
            actor,
            "catalogue.team.approve" if approve else "catalogue.team.close",
            team,
            reason=note,
        )
    return team


def join_team(actor: Actor, team: LearningTeam) -> TeamMembership:
    learner_id = actor.require_learner()
    if team.status != "active":
        raise Conflict(_("This team is not open to new members."), code="team.closed")
    with transaction.atomic():
        membership, created = TeamMembership.objects.get_or_create(
            team=team, learner_id=learner_id, defaults={"joined_on": timezone.localdate()}
        )
        if not created and membership.left_on is None:
            raise Conflict(_("You are already a member of this team."), code="team.member")
        membership.left_on = None
        membership.save(update_fields=["left_on"])
        record(actor, "catalogue.team.join", team)
    return membership


def log_activity(
    actor: Actor,
    team: LearningTeam,
    *,
    held_on: date,
    title: str,
    hours: str,
    attendees: int,
    site_id: int | None = None,
    note: str = "",
) -> TeamActivity:
    """The team leader (or an administrator) adds an entry to the team's activity log."""
    if actor.learner_id != team.leader_id and not actor.is_admin:
        raise PermissionDenied(_("Only the team's leader can add to its activity log."))
    if held_on > timezone.localdate():
        raise ValidationFailed(_("Log an activity after it took place."), field="held_on")
    try:
        hours_value = Decimal(str(hours))
    except InvalidOperation:
        hours_value = Decimal(-1)
    if not Decimal(0) < hours_value <= Decimal(24):
        raise ValidationFailed(_("Hours must be more than 0 and at most 24."), field="hours")
    if not isinstance(attendees, int) or not 1 <= attendees <= 10_000:
        raise ValidationFailed(_("Say how many people took part (at least 1)."), field="attendees")
    with transaction.atomic():
        activity = TeamActivity.objects.create(
            team=team,
            held_on=held_on,
            title=_need(title, "title"),
            hours=hours_value,
            attendees=attendees,
            site_id=site_id,
            note=note.strip()[:2000],
            recorded_by=actor.user,
        )
        record(actor, "catalogue.team.activity", activity, team=team.pk)
    return activity


def register_organisation(
    actor: Actor,
    *,
    name: str,
    kind: str,
    district_code: str,
    institution_id: int | None = None,
    description: str = "",
) -> LearningOrganisation:
    """An institution's officer (for itself) or an administrator registers an organisation."""
    if institution_id is not None:
        actor.require_institution(institution_id, WRITE_SCOPE)
    else:
        actor.require_role("admin")
    if kind not in choices.ORGANISATION_KINDS:
        raise ValidationFailed(_("Choose a unit, a community or an enterprise."), field="kind")
    with transaction.atomic():
        organisation = LearningOrganisation.objects.create(
            name=_need(name, "name"),
            kind=kind,
            district_code=_district(district_code),
            institution_id=institution_id,
            description=description.strip()[:2000],
        )
        record(actor, "catalogue.organisation.register", organisation)
    return organisation


def approve_organisation(actor: Actor, organisation: LearningOrganisation) -> LearningOrganisation:
    actor.require_role("admin")
    with transaction.atomic():
        organisation.status = "active"
        organisation.registered_on = timezone.localdate()
        organisation.save(update_fields=["status", "registered_on"])
        record(actor, "catalogue.organisation.approve", organisation)
    return organisation


def join_organisation(
    actor: Actor, organisation: LearningOrganisation, consent: bool
) -> OrganisationMember:
    """A learner joins, choosing whether their learning counts in the organisation's summary."""
    learner_id = actor.require_learner()
    if organisation.status != "active":
        raise Conflict(_("This organisation is not registered yet."), code="organisation.pending")
    try:
        with transaction.atomic():
            member = OrganisationMember.objects.create(
                organisation=organisation,
                learner_id=learner_id,
                joined_on=timezone.localdate(),
                consent_at=timezone.now() if consent else None,
            )
            record(actor, "catalogue.organisation.join", organisation, consent=consent)
    except IntegrityError:
        raise Conflict(_("You are already a member."), code="organisation.member") from None
    return member


def set_consent(
    actor: Actor, organisation: LearningOrganisation, consent: bool
) -> OrganisationMember:
    """Give or withdraw consent; withdrawing takes effect at once for every later summary."""
    learner_id = actor.require_learner()
    member = OrganisationMember.objects.filter(
        organisation=organisation, learner_id=learner_id
    ).first()
    if member is None:
        raise ValidationFailed(_("You are not a member of this organisation."))
    with transaction.atomic():
        member.consent_at = timezone.now() if consent else None
        member.save(update_fields=["consent_at"])
        record(
            actor,
            "consent.give" if consent else "consent.withdraw",
            organisation,
            purpose="learning organisation summary",
        )
    return member


@dataclass(frozen=True)
class OrganisationSummary:
    members: int
    consenting: int
    shown: bool
    outcomes: int = 0
    hours: Decimal = Decimal(0)
    by_category: tuple[tuple[str, int], ...] = ()


def organisation_summary(
    organisation: LearningOrganisation, year: int | None = None
) -> OrganisationSummary:
    """Members' learning from their archives, counting only members who consent; hidden below
    MIN_GROUP consenting members so no one's learning can be singled out."""
    members = organisation.members.count()
    consenting = list(
        organisation.members.filter(consent_at__isnull=False).values_list("learner_id", flat=True)
    )
    if len(consenting) < MIN_GROUP:
        return OrganisationSummary(members, len(consenting), False)
    outcomes = Outcome.objects.filter(learner_id__in=consenting, is_current=True, status="recorded")
    if year:
        outcomes = outcomes.filter(completed_on__year=year)
    totals = outcomes.aggregate(n=Count("id"), hours=Sum("hours"))
    by_category = tuple(
        (row["category"], row["n"])
        for row in outcomes.values("category").annotate(n=Count("id")).order_by("-n", "category")
    )
    return OrganisationSummary(
        members, len(consenting), True, totals["n"], totals["hours"] or Decimal(0), by_category
    )
