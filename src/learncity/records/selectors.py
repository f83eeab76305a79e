"""Reading the archive: one learner's outcomes, as the actor may see them."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.errors import NotFound, PermissionDenied
from learncity.identity.delegation import is_delegate
from learncity.identity.models import Learner
from learncity.records.models import Outcome

CITYWIDE_READERS = ("reviewer", "auditor", "admin")


def learner_for(actor: Actor, learner_no: str | None = None) -> Learner:
    """The learner whose archive is asked for: one's own, or another's for staff."""
    if learner_no is None:
        return Learner.objects.get(pk=actor.require_learner())
    learner = Learner.objects.filter(learner_no=learner_no).first()
    if learner is None:
        raise NotFound(_("No learning account has this learner number."))
    if learner.pk != actor.learner_id and not (
        any(actor.has_role(r) for r in CITYWIDE_READERS)
        or actor.institution_ids()
        or is_delegate(actor, learner.pk)
    ):
        raise PermissionDenied(_("You may read only your own learning archive."))
    return learner


def archive(
    actor: Actor,
    learner: Learner,
    *,
    category: str = "",
    year: int | None = None,
    include_history: bool = False,
) -> QuerySet[Outcome]:
    """The outcomes of one learner that this actor may see, newest first."""
    outcomes = Outcome.objects.filter(learner=learner).select_related("institution", "learner")
    if (
        learner.pk != actor.learner_id
        and not any(actor.has_role(r) for r in CITYWIDE_READERS)
        and not is_delegate(actor, learner.pk)
    ):
        institutions = actor.institution_ids()
        if not institutions:
            raise PermissionDenied(_("You may read only your own learning archive."))
        outcomes = outcomes.filter(institution_id__in=institutions)
    if not include_history:
        outcomes = outcomes.filter(is_current=True)
    if category:
        outcomes = outcomes.filter(category=category)
    if year:
        outcomes = outcomes.filter(completed_on__year=year)
    return outcomes.order_by("-completed_on", "-id")


def outcome_with_history(actor: Actor, outcome_id: int) -> tuple[Outcome, list[Outcome]]:
    outcome = Outcome.objects.select_related("learner", "institution").filter(pk=outcome_id).first()
    if outcome is None:
        raise NotFound(_("No such outcome."))
    visible = archive(actor, outcome.learner, include_history=True)
    if not visible.filter(pk=outcome.pk).exists():
        raise PermissionDenied(_("You may not see this outcome."))
    versions = list(visible.filter(lineage=outcome.lineage).order_by("-version"))
    return outcome, versions


def archive_years(learner: Learner) -> list[int]:
    dates = Outcome.objects.filter(learner=learner, is_current=True).dates(
        "completed_on", "year", order="DESC"
    )
    return [d.year for d in dates]


def review_queue(actor: Actor) -> QuerySet[Outcome]:
    actor.require_role("reviewer")
    return (
        Outcome.objects.filter(status="pending_review", is_current=True)
        .select_related("learner")
        .order_by("created_at")
    )
