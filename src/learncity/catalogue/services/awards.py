"""Incentives: configure an award's criteria, rank candidates from the archive, nominate,
review, publish. A published learning-star award, and a team award for each of the team's
members, becomes an outcome (competition award) in the learner's archive."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.audit.services import record
from learncity.catalogue import choices, ranking
from learncity.catalogue.models import AwardScheme, Nomination, TeamMembership
from learncity.catalogue.services.award_metrics import candidates_for
from learncity.errors import Conflict, ValidationFailed
from learncity.records.models import Outcome

CANDIDATES_PER_AWARD = 3  # rank this many candidates per award for the nominators to choose
OWNER_FIELD = {"learning_star": "learner_id", "team": "team_id", "organisation": "organisation_id"}


def create_scheme(
    actor: Actor,
    *,
    year: int,
    kind: str,
    title_zh: str,
    issuer_name: str,
    weights: dict,
    minimums: dict | None = None,
    quota: int = 10,
    title_en: str = "",
) -> AwardScheme:
    actor.require_role("admin")
    if kind not in choices.AWARD_KINDS:
        raise ValidationFailed(_("Choose a kind of award."), field="kind")
    try:
        criteria = ranking.Criteria(kind, dict(weights), dict(minimums or {})).check()
    except (ranking.CriteriaError, TypeError, ValueError) as error:
        raise ValidationFailed(
            _("The criteria are not valid: %(error)s. Measures for this award: %(known)s.")
            % {"error": error, "known": ", ".join(ranking.METRICS.get(kind, ()))},
            field="weights",
        ) from None
    if not (2000 <= year <= 2100) or not (1 <= quota <= 1000):
        raise ValidationFailed(_("Give a year and a number of awards between 1 and 1,000."))
    if AwardScheme.objects.filter(year=year, kind=kind).exists():
        raise Conflict(_("This award already exists for this year."), code="award.exists")
    with transaction.atomic():
        scheme = AwardScheme.objects.create(
            year=year,
            kind=kind,
            title_zh=title_zh.strip(),
            title_en=title_en.strip(),
            issuer_name=issuer_name.strip(),
            weights=criteria.weights,
            minimums=criteria.minimums,
            quota=quota,
        )
        record(actor, "catalogue.award.create", scheme, weights=criteria.weights)
    return scheme


def rank_candidates(actor: Actor, scheme: AwardScheme) -> list[Nomination]:
    """(Re)compute the ranked candidates; nominations already made are kept as they are."""
    actor.require_role("admin")
    if scheme.published_at:
        raise Conflict(_("This award is published."), code="award.published")
    criteria = ranking.Criteria(scheme.kind, scheme.weights, scheme.minimums)
    ranked = ranking.rank(candidates_for(scheme.kind, scheme.year), criteria)
    keep = [r for r in ranked if r.eligible][: scheme.quota * CANDIDATES_PER_AWARD]
    field = OWNER_FIELD[scheme.kind]
    with transaction.atomic():
        scheme.nominations.filter(status="candidate").delete()
        taken = set(scheme.nominations.values_list(field, flat=True))
        rows = [
            Nomination(
                scheme=scheme,
                score=r.score,
                rank=r.rank,
                breakdown=r.breakdown,
                **{field: int(r.key)},
            )
            for r in keep
            if int(r.key) not in taken
        ]
        Nomination.objects.bulk_create(rows)
        record(actor, "catalogue.award.rank", scheme, candidates=len(rows))
    return list(scheme.nominations.all())


def _move(
    actor: Actor, nomination: Nomination, expected: str, to: str, note: str = ""
) -> Nomination:
    if nomination.status != expected:
        raise Conflict(
            _("This nomination is “%(status)s”, not ready for this step.")
            % {"status": choices.label(choices.NOMINATION_STATES, nomination.status, "en")},
            code="award.step",
        )
    with transaction.atomic():
        nomination.status = to
        nomination.review_note = note.strip() or nomination.review_note
        nomination.decided_by = (
            actor.user if to in ("approved", "rejected") else nomination.decided_by
        )
        nomination.save(update_fields=["status", "review_note", "decided_by"])
        record(actor, f"catalogue.award.{to}", nomination, scheme=nomination.scheme_id, reason=note)
    return nomination


def nominate(actor: Actor, nomination: Nomination) -> Nomination:
    actor.require_role("admin")
    return _move(actor, nomination, "candidate", "nominated")


def review(actor: Actor, nomination: Nomination, approve: bool, note: str = "") -> Nomination:
    actor.require_role("reviewer")
    if not approve and not note.strip():
        raise ValidationFailed(_("Say why it is not approved."), field="note")
    return _move(actor, nomination, "nominated", "approved" if approve else "rejected", note)


def publish(actor: Actor, scheme: AwardScheme) -> list[Nomination]:
    """Publish every approved nomination; awards to people become archive outcomes."""
    actor.require_role("admin")
    if scheme.published_at:
        raise Conflict(_("This award is already published."), code="award.published")
    approved = list(scheme.nominations.filter(status="approved").select_related("learner", "team"))
    if not approved:
        raise ValidationFailed(_("No nomination is approved yet."))
    today = timezone.localdate()
    with transaction.atomic():
        for nomination in approved:
            nomination.outcome_ids = _outcomes_for(actor, scheme, nomination, today)
            nomination.status = "published"
            nomination.save(update_fields=["status", "outcome_ids"])
        scheme.published_at = timezone.now()
        scheme.save(update_fields=["published_at"])
        record(actor, "catalogue.award.publish", scheme, awards=[n.pk for n in approved])
    return approved


def _outcomes_for(actor: Actor, scheme: AwardScheme, nomination: Nomination, today) -> list[int]:
    if nomination.learner_id:
        learners, title = [nomination.learner_id], scheme.title_zh
    elif nomination.team_id:
        learners = list(
            TeamMembership.objects.filter(
                team_id=nomination.team_id, left_on__isnull=True
            ).values_list("learner_id", flat=True)
        )
        title = f"{scheme.title_zh}：{nomination.team.name}"
    else:
        return []
    made = []
    for learner_id in learners:
        key = f"award:{nomination.pk}:{learner_id}"
        outcome = Outcome.objects.filter(idempotency_key=key, institution__isnull=True).first()
        if outcome is None:
            outcome = Outcome.objects.create(
                learner_id=learner_id,
                issuer_name=scheme.issuer_name[:200],
                kind="competition_award",
                category="social_practice",
                title=f"{scheme.year} {title}"[:300],
                result_type="none",
                completed_on=today,
                source="form",
                status="recorded",
                idempotency_key=key,
                created_by=actor.user,
            )
            record(actor, "outcome.award", outcome, nomination=nomination.pk)
        made.append(outcome.pk)
    return made
