"""API: awards — criteria, ranking from the archive, nomination, review, publication."""

from __future__ import annotations

from django.utils.translation import get_language
from ninja import Router
from ninja.responses import Status

from learncity.api.auth import API_AUTH, actor_of
from learncity.catalogue.api_more import Strict, _get
from learncity.catalogue.models import AwardScheme, Nomination
from learncity.catalogue.services import awards

router = Router(tags=["awards"])


class SchemeIn(Strict):
    year: int
    kind: str
    title_zh: str
    title_en: str = ""
    issuer_name: str
    weights: dict[str, float]
    minimums: dict[str, float] = {}
    quota: int = 10


def _nomination(n: Nomination) -> dict:
    return {
        "id": n.pk,
        "learner_id": n.learner_id,
        "team_id": n.team_id,
        "organisation_id": n.organisation_id,
        "score": float(n.score),
        "rank": n.rank,
        "breakdown": n.breakdown,
        "status": n.status,
    }


@router.post("/awards", response={201: dict}, auth=API_AUTH)
def create_scheme(request, scheme: SchemeIn):
    s = awards.create_scheme(actor_of(request), **scheme.model_dump())
    return Status(201, {"id": s.pk, "weights": s.weights})


@router.post("/awards/{scheme_id}/rank", response=list[dict], auth=API_AUTH)
def rank(request, scheme_id: int):
    """Rank the candidates on the award's criteria, from the archive and team logs."""
    nominations = awards.rank_candidates(actor_of(request), _get(AwardScheme, pk=scheme_id))
    return [_nomination(n) for n in nominations]


class ReviewIn(Strict):
    approve: bool
    note: str = ""


@router.post("/nominations/{nomination_id}/nominate", response=dict, auth=API_AUTH)
def nominate(request, nomination_id: int):
    n = awards.nominate(actor_of(request), _get(Nomination, pk=nomination_id))
    return _nomination(n)


@router.post("/nominations/{nomination_id}/review", response=dict, auth=API_AUTH)
def review(request, nomination_id: int, body: ReviewIn):
    n = awards.review(
        actor_of(request), _get(Nomination, pk=nomination_id), body.approve, body.note
    )
    return _nomination(n)


@router.post("/awards/{scheme_id}/publish", response=list[dict], auth=API_AUTH)
def publish(request, scheme_id: int):
    published = awards.publish(actor_of(request), _get(AwardScheme, pk=scheme_id))
    return [_nomination(n) | {"outcome_ids": n.outcome_ids} for n in published]


@router.get("/awards/{scheme_id}", response=dict)
def published_award(request, scheme_id: int):
    """A published award and its winners (names of teams and organisations, not learners)."""
    scheme = _get(AwardScheme, pk=scheme_id, published_at__isnull=False)
    winners = scheme.nominations.filter(status="published").select_related("team", "organisation")
    return {
        "year": scheme.year,
        "kind": scheme.kind,
        "title": scheme.title(get_language() or ""),
        "winners": [
            {
                "rank": n.rank,
                "team": n.team.name if n.team_id else None,
                "organisation": n.organisation.name if n.organisation_id else None,
            }
            for n in winners
        ],
    }
