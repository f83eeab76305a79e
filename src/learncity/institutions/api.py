"""API: public lists of institutions and the framework in force."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from learncity.errors import NotFound
from learncity.framework.selectors import framework_in_force
from learncity.institutions.models import Institution

router = Router(tags=["reference"])


class InstitutionOut(Schema):
    code: str
    name_zh: str
    name_en: str
    kind: str
    district_code: str
    uscc: str
    accredited: bool


class LevelOut(Schema):
    number: int
    name_zh: str
    name_en: str
    eqf_level: int
    knowledge_zh: str
    knowledge_en: str
    skills_zh: str
    skills_en: str
    competence_zh: str
    competence_en: str


class CategoryOut(Schema):
    code: str
    name_zh: str
    name_en: str


class FrameworkOut(Schema):
    code: str
    version: str
    name_zh: str
    name_en: str
    effective_from: date
    effective_to: date | None
    credit_unit_hours: float
    levels: list[LevelOut]
    categories: list[CategoryOut]


@router.get("/institutions", response=list[InstitutionOut], auth=None)
def list_institutions(request):
    return list(Institution.objects.filter(active=True))


@router.get("/framework", response=FrameworkOut, auth=None)
def current_framework(request, on: date | None = None):
    """The qualifications framework in force today (or on ?on=YYYY-MM-DD)."""
    framework = framework_in_force(on or timezone.localdate())
    if framework is None:
        raise NotFound(_("No framework is in force on that date."))
    return FrameworkOut(
        code=framework.code,
        version=framework.version,
        name_zh=framework.name_zh,
        name_en=framework.name_en,
        effective_from=framework.effective_from,
        effective_to=framework.effective_to,
        credit_unit_hours=float(framework.credit_unit_hours),
        levels=[LevelOut.model_validate(lv, from_attributes=True) for lv in framework.levels.all()],
        categories=[
            CategoryOut.model_validate(c, from_attributes=True) for c in framework.categories.all()
        ],
    )
