"""API: the signed-in learner's own account and archive, and public reference lists."""

from __future__ import annotations

from datetime import date

from django.utils.translation import get_language
from ninja import Router, Schema

from learncity.api.auth import API_AUTH, actor_of
from learncity.identity import districts
from learncity.identity.services import reveal_identity_number
from learncity.records.schemas import OutcomeOut, outcome_out
from learncity.records.selectors import archive, learner_for

router = Router(tags=["learners"])


class DistrictOut(Schema):
    code: str
    name: str
    name_zh: str
    name_en: str
    zone: str


class LearnerOut(Schema):
    learner_no: str
    name: str
    doc_type: str
    id_number: str
    birth_date: date | None
    sex: str
    district_code: str
    hukou: str


class ArchiveOut(Schema):
    learner: LearnerOut
    count: int
    outcomes: list[OutcomeOut]


@router.get("/districts", response=list[DistrictOut], auth=None)
def list_districts(request):
    lang = get_language() or "zh-hans"
    return [
        DistrictOut(
            code=d.code, name=d.label(lang), name_zh=d.name_zh, name_en=d.name_en, zone=d.zone
        )
        for d in districts.all_districts()
    ]


def _learner_out(actor, learner) -> LearnerOut:
    return LearnerOut(
        learner_no=learner.learner_no,
        name=learner.name,
        doc_type=learner.doc_type,
        id_number=reveal_identity_number(actor, learner),
        birth_date=learner.birth_date,
        sex=learner.sex,
        district_code=learner.district_code,
        hukou=learner.hukou,
    )


def _archive(request, learner_no, category, year, limit, offset) -> ArchiveOut:
    actor = actor_of(request)
    learner = learner_for(actor, learner_no)
    outcomes = archive(actor, learner, category=category, year=year)
    limit = max(1, min(limit, 500))
    page = list(outcomes[offset : offset + limit])
    return ArchiveOut(
        learner=_learner_out(actor, learner),
        count=outcomes.count(),
        outcomes=[outcome_out(o) for o in page],
    )


@router.get("/me/archive", response=ArchiveOut, auth=API_AUTH)
def my_archive(
    request, category: str = "", year: int | None = None, limit: int = 100, offset: int = 0
):
    """The signed-in learner's archive, newest first."""
    return _archive(request, None, category, year, limit, offset)


@router.get("/learners/{learner_no}/archive", response=ArchiveOut, auth=API_AUTH)
def learner_archive(
    request,
    learner_no: str,
    category: str = "",
    year: int | None = None,
    limit: int = 100,
    offset: int = 0,
):
    """Another learner's archive: staff only; officers see their institution's outcomes."""
    return _archive(request, learner_no, category, year, limit, offset)
