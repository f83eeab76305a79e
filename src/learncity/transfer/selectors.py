"""Reads shared by pages, API and CLI: proposals, applications, changes, transcript, notices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.creditbank.models import Recognition
from learncity.errors import NotFound, PermissionDenied
from learncity.records.models import Outcome
from learncity.transfer import engine, loading
from learncity.transfer.messages import IMPOSSIBLE, notification_text, reason_text
from learncity.transfer.models import (
    Application,
    Notification,
    Programme,
    TransferStandard,
)
from learncity.transfer.services.access import may_see_shared


def programme_by_code(code: str, *, active_only: bool = True) -> Programme:
    rows = Programme.objects.select_related("institution")
    if active_only:
        rows = rows.filter(active=True)
    programme = rows.filter(code=code).first()
    if programme is None:
        raise NotFound(_("No open programme has the code %(c)s.") % {"c": code})
    return programme


def programmes() -> QuerySet[Programme]:
    return Programme.objects.filter(active=True).select_related("institution").order_by("code")


def proposal_for(
    programme: Programme,
    learner_id: int,
    at: datetime | None = None,
    standards: list[TransferStandard] | None = None,
) -> tuple[engine.Proposal, list[TransferStandard]]:
    """The engine's explained proposal for this learner, with the standards it used."""
    at = at or timezone.now()
    if standards is None:
        standards = loading.standards_in_force(programme, at)
    ruleset = loading.ruleset_for(programme, standards)
    proposal = engine.propose(
        ruleset,
        held=loading.held_of(learner_id),
        as_of=timezone.localdate(at) if isinstance(at, datetime) else at,
        prior=loading.prior_of(learner_id, programme.pk),
    )
    return proposal, standards


def explore(actor: Actor, programme: Programme, learner_id: int | None = None) -> dict:
    """What the learner's outcomes are worth in this programme now (own archive, or staff)."""
    if learner_id is None:
        learner_id = actor.require_learner()
    elif learner_id != actor.learner_id and not (
        actor.has_role("reviewer") or actor.is_admin or actor.may_act_for(programme.institution_id)
    ):
        raise PermissionDenied(_("You may explore only your own archive."))
    proposal, standards = proposal_for(programme, learner_id)
    return proposal_view(proposal.as_dict(), programme) | {"standards": standards}


@dataclass
class Row:
    title: str
    outcome_id: int
    text: str


def proposal_view(data: dict, programme: Programme) -> dict:
    """A stored or live proposal with titles and reasons in the reader's language."""
    ids = {o for use in data.get("uses", []) for o in use["outcomes"]}
    ids |= {u["outcome_id"] for u in data.get("unused", [])}
    titles = dict(Outcome.objects.filter(pk__in=ids).values_list("pk", "title"))
    names = dict(programme.courses.values_list("code", "name_zh"))
    uses = [
        use
        | {
            "outcome_titles": [titles.get(o, f"#{o}") for o in use["outcomes"]],
            "course_names": [(c, names.get(c, c), credits) for c, credits in use["courses"]],
        }
        for use in data.get("uses", [])
    ]
    unused = [
        Row(
            titles.get(u["outcome_id"], f"#{u['outcome_id']}"),
            u["outcome_id"],
            reason_text(u["reason"], u["params"]),
        )
        for u in data.get("unused", [])
    ]
    impossible = data.get("impossible")
    return {
        "proposal": data,
        "uses": uses,
        "unused": unused,
        "impossible": str(IMPOSSIBLE[impossible]) if impossible else "",
    }


def changes(app: Application) -> list[dict]:
    """Outcomes of the application that were revoked, replaced or lost their recognition."""
    ids = {o for item in app.items.all() if item.decision != "refused" for o in item.outcome_ids}
    recognised = set(
        Recognition.objects.filter(
            outcome_id__in=ids, is_current=True, status="recognised"
        ).values_list("outcome_id", flat=True)
    )
    found = []
    for pk, title, status, current in Outcome.objects.filter(pk__in=ids).values_list(
        "pk", "title", "status", "is_current"
    ):
        change = ""
        if status != "recorded":
            change = status
        elif not current:
            change = "superseded"
        elif pk not in recognised:
            change = "recognition_withdrawn"
        if change:
            found.append({"outcome_id": pk, "title": title, "change": change})
    return sorted(found, key=lambda c: c["outcome_id"])


def my_applications(actor: Actor) -> QuerySet[Application]:
    return Application.objects.filter(learner_id=actor.require_learner()).select_related(
        "programme"
    )


def incoming(actor: Actor) -> QuerySet[Application]:
    """Officers: every application to their institutions' programmes; reviewers: the ones
    reviewers decide. Drafts and applications without consent stay private."""
    rows = Application.objects.exclude(state="draft").filter(consent_at__isnull=False)
    if actor.is_admin or actor.is_system:
        allowed = Q()
    else:
        allowed = Q(programme__institution_id__in=list(actor.institution_ids()))
        if actor.has_role("reviewer"):
            allowed |= Q(programme__decided_by="reviewer")
        if not actor.institution_ids() and not actor.has_role("reviewer"):
            raise PermissionDenied(_("Only officers and reviewers see incoming applications."))
    return (
        rows.filter(allowed).select_related("programme", "learner").order_by("submitted_at", "id")
    )


def shared_archive(actor: Actor, app: Application) -> QuerySet[Outcome] | None:
    """The learner's archive, for the institution and deciders, when the learner consented."""
    if not may_see_shared(actor, app):
        return None
    return Outcome.objects.filter(learner_id=app.learner_id, is_current=True).select_related(
        "institution"
    )


def transcript(actor: Actor, learner_id: int) -> QuerySet[Application]:
    """Posted transfers: who approved each course, on which standard version, when posted."""
    if actor.learner_id != learner_id and not any(
        actor.has_role(r) for r in ("reviewer", "auditor", "admin")
    ):
        raise PermissionDenied(_("You may read only your own transfer transcript."))
    return (
        Application.objects.filter(learner_id=learner_id, state="posted")
        .select_related("programme", "programme__institution")
        .prefetch_related("items__standard", "items__decided_by", "used__ledger_entry")
        .order_by("-posted_at")
    )


def notifications(actor: Actor) -> list[dict]:
    rows = Notification.objects.filter(learner_id=actor.require_learner())[:200]
    return [
        {
            "id": n.pk,
            "text": notification_text(n.kind, n.params),
            "at": n.created_at,
            "read": n.read_at is not None,
            "application_id": n.application_id,
            "kind": n.kind,
        }
        for n in rows
    ]


def unread_count(learner_id: int) -> int:
    return Notification.objects.filter(learner_id=learner_id, read_at__isnull=True).count()
