"""Alliances and programmes (with courses and transfer rules) from YAML or JSON, all or none.

alliances:  [{code, name_zh, name_en, members: [INSTITUTION CODE…], joined_on}]
programmes: [{institution, code, name_zh, name_en, level, total_credits,
              transfer_max_credits, transfer_max_share, residency_min_credits,
              per_institution_max, per_year_max, elective_credits, validity_years,
              decided_by, courses: [{code, name_zh, name_en, credits, compulsory}]}]
"""

from __future__ import annotations

from datetime import date

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.audit.services import record
from learncity.errors import PermissionDenied, ValidationFailed
from learncity.institutions.models import Institution
from learncity.transfer.models import Alliance, AllianceMember, Programme, ProgrammeCourse

PROGRAMME_FIELDS = (
    "code",
    "name_zh",
    "name_en",
    "level",
    "total_credits",
    "transfer_max_credits",
    "transfer_max_share",
    "residency_min_credits",
    "per_institution_max",
    "per_year_max",
    "elective_credits",
    "validity_years",
    "decided_by",
)
COURSE_FIELDS = ("code", "name_zh", "name_en", "credits", "compulsory")


def _institution(code) -> Institution:
    inst = Institution.objects.filter(code=code).first()
    if inst is None:
        raise ValidationFailed(_("Unknown institution %(c)s.") % {"c": code}, field="institution")
    return inst


def _checked(obj, what: str):
    try:
        obj.full_clean(exclude=["programme", "institution"])
    except ValidationError as error:
        fields = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
        raise ValidationFailed(
            _("%(w)s is not valid: %(f)s") % {"w": what, "f": fields}, field="programmes"
        ) from None
    return obj


def import_alliance(actor: Actor, item: dict) -> Alliance:
    actor.require_role("framework_admin")
    alliance = _checked(
        Alliance(code=item["code"], name_zh=item["name_zh"], name_en=item.get("name_en", "")),
        item["code"],
    )
    alliance.save()
    joined = date.fromisoformat(str(item.get("joined_on") or date.today()))
    for code in item.get("members") or []:
        AllianceMember.objects.create(
            alliance=alliance, institution=_institution(code), joined_on=joined
        )
    record(actor, "transfer.alliance.create", alliance, members=item.get("members") or [])
    return alliance


def import_programme(actor: Actor, item: dict) -> Programme:
    inst = _institution(item.get("institution"))
    if not (actor.has_role("framework_admin") or actor.may_act_for(inst.pk)):
        raise PermissionDenied(_("Only the institution's officers may add its programmes."))
    unknown = set(item) - set(PROGRAMME_FIELDS) - {"institution", "courses"}
    if unknown:
        raise ValidationFailed(
            _("Programme %(c)s has unknown fields: %(f)s")
            % {"c": item.get("code"), "f": ", ".join(sorted(unknown))},
            field="programmes",
        )
    values = {k: item[k] for k in PROGRAMME_FIELDS if item.get(k) is not None}
    programme = _checked(Programme(institution=inst, **values), str(item.get("code")))
    programme.save()
    courses = []
    for c in item.get("courses") or []:
        values = {k: c[k] for k in COURSE_FIELDS if c.get(k) is not None}
        courses.append(_checked(ProgrammeCourse(programme=programme, **values), str(c)))
    codes = [c.code for c in courses]
    if len(set(codes)) != len(codes):
        raise ValidationFailed(_("A course code appears twice in %(p)s.") % {"p": programme.code})
    ProgrammeCourse.objects.bulk_create(courses)
    record(actor, "transfer.programme.create", programme, courses=len(courses))
    return programme


def import_catalogue(actor: Actor, text: str) -> tuple[list[Alliance], list[Programme]]:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        raise ValidationFailed(
            _("The file is not valid YAML or JSON: %(e)s") % {"e": error}
        ) from None
    if not isinstance(data, dict):
        raise ValidationFailed(_("The file must hold “alliances” and/or “programmes”."))
    with transaction.atomic():
        alliances = [import_alliance(actor, a) for a in data.get("alliances") or []]
        programmes = [import_programme(actor, p) for p in data.get("programmes") or []]
    return alliances, programmes
