"""From the database to the engine: programmes, standards in force, archives, earlier postings."""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db.models import Q, Sum

from learncity.creditbank.models import Recognition
from learncity.records.models import Outcome
from learncity.transfer import engine
from learncity.transfer.matching import Held, Source
from learncity.transfer.models import (
    AllianceMember,
    GrantedCourse,
    Programme,
    TransferRule,
    TransferStandard,
    UsedOutcome,
)

SETS = ("kinds", "institution_codes", "institution_kinds", "alliances", "categories")
TEXTS = ("code_exact", "code_pattern", "min_result")
INTS = ("min_level", "max_level")
DATES = ("completed_from", "completed_to")
SOURCE_FIELDS = (*SETS, *TEXTS, *INTS, *DATES, "min_hours", "accredited_only")


def source_of(data: dict) -> Source:
    """A slot's criteria from JSON; ValueError names what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("a source must be a mapping of criteria")
    unknown = set(data) - set(SOURCE_FIELDS)
    if unknown:
        raise ValueError(f"unknown source criteria: {', '.join(sorted(unknown))}")
    values: dict = {}
    for name in SETS:
        if data.get(name):
            items = data[name] if isinstance(data[name], list) else [data[name]]
            values[name] = frozenset(str(x) for x in items)
    for name in TEXTS:
        if data.get(name) not in (None, ""):
            values[name] = str(data[name])
    for name in INTS:
        if data.get(name) is not None:
            values[name] = int(data[name])
    for name in DATES:
        if data.get(name):
            values[name] = date.fromisoformat(str(data[name]))
    if data.get("min_hours") is not None:
        try:
            values["min_hours"] = Decimal(str(data["min_hours"]))
        except InvalidOperation:
            raise ValueError(f"minimum hours {data['min_hours']!r} is not a number") from None
    values["accredited_only"] = bool(data.get("accredited_only", False))
    return Source(**values)


def rule_of(row: TransferRule, standard_key: str) -> engine.TransferRule:
    return engine.TransferRule(
        key=f"{standard_key}/{row.code}",
        standard=standard_key,
        sources=tuple(source_of(s) for s in row.sources),
        targets=tuple(str(t) for t in row.targets),
        elective_credits=Decimal(row.elective_credits),
    )


def programme_of(p: Programme) -> engine.Programme:
    caps = engine.Caps(
        total_credits=p.total_credits,
        max_credits=p.transfer_max_credits,
        max_share=p.transfer_max_share,
        residency_min=p.residency_min_credits,
        per_institution=p.per_institution_max,
        per_year=p.per_year_max,
        electives=p.elective_credits,
        validity_years=p.validity_years,
    )
    courses = tuple(engine.Course(c.code, c.credits, c.name_zh) for c in p.courses.order_by("code"))
    return engine.Programme(p.code, courses, caps)


def standards_in_force(programme: Programme, at: datetime) -> list[TransferStandard]:
    """Published standards that apply to the programme at `at`; per code the newest version."""
    day = at.date() if isinstance(at, datetime) else at
    alliances = AllianceMember.objects.filter(
        institution_id=programme.institution_id, joined_on__lte=day
    ).values("alliance_id")
    found = (
        TransferStandard.objects.filter(status="published", published_at__lte=at)
        .filter(Q(institution_id=programme.institution_id) | Q(alliance_id__in=alliances))
        .filter(effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("code", "-effective_from", "-published_at")
    )
    chosen: dict[str, TransferStandard] = {}
    for s in found:
        if s.programmes and programme.code not in s.programmes:
            continue
        chosen.setdefault(s.code, s)
    return list(chosen.values())


_CACHE: OrderedDict = OrderedDict()
CACHE_SIZE = 32


def ruleset_for(programme: Programme, standards: list[TransferStandard]) -> engine.RuleSet:
    """The programme's compiled rules (cached: published standards never change)."""
    target = programme_of(programme)
    key = (target, tuple(sorted((s.pk, s.key, s.published_at) for s in standards)))
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    keys = {s.pk: s.key for s in standards}
    courses = {c.code for c in target.courses}
    rows = TransferRule.objects.filter(standard_id__in=keys).order_by("standard_id", "id")
    rules = [
        rule_of(r, keys[r.standard_id]) for r in rows if not r.targets or set(r.targets) & courses
    ]
    ruleset = engine.RuleSet(target, rules)
    _CACHE[key] = ruleset
    if len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return ruleset


def alliances_by_institution() -> dict[int, frozenset[str]]:
    found = defaultdict(set)
    for inst, code in AllianceMember.objects.values_list("institution_id", "alliance__code"):
        found[inst].add(code)
    return {k: frozenset(v) for k, v in found.items()}


OUTCOME_FIELDS = (
    "pk",
    "kind",
    "code",
    "completed_on",
    "institution_id",
    "institution__code",
    "institution__kind",
    "institution__accredited",
    "result_type",
    "result",
    "hours",
    "category",
    "status",
    "lineage",
    "title",
)


def held_of(learner_id: int) -> list[Held]:
    """The learner's current outcomes with their current recognition, as the engine sees them."""
    recognitions = {
        row[0]: row[1:]
        for row in Recognition.objects.filter(learner_id=learner_id, is_current=True).values_list(
            "outcome_id", "status", "level", "category", "credits"
        )
    }
    alliances = alliances_by_institution()
    rows = Outcome.objects.filter(learner_id=learner_id, is_current=True).order_by("pk")
    return [
        held_from(row, recognitions.get(row[0]), alliances)
        for row in rows.values_list(*OUTCOME_FIELDS)
    ]


def held_from(row: tuple, rec: tuple | None, alliances: dict) -> Held:
    """One outcome row (OUTCOME_FIELDS) and its recognition (status, level, category, credits)."""
    pk, kind, code, done, inst, icode, ikind, accredited, rtype, result, hours, category = row[:12]
    status, lineage, title = row[12:]
    usable = ""
    if status != "recorded":
        usable = status
    elif rec is None or rec[0] != "recognised":
        usable = rec[0] if rec else "not_recognised"
    return Held(
        outcome_id=pk,
        kind=kind,
        code=code,
        completed_on=done,
        institution_code=icode or "",
        institution_kind=ikind or "",
        alliances=alliances.get(inst, frozenset()),
        accredited=bool(accredited),
        result_type=rtype,
        result=result,
        hours=hours,
        level=rec[1] if rec else None,
        category=(rec[2] if rec else "") or category,
        credits=rec[3] if rec else None,
        usable=usable,
        lineage=str(lineage),
        title=title,
    )


def prior_of(learner_id: int, programme_id: int) -> engine.Prior:
    used = UsedOutcome.objects.filter(learner_id=learner_id, programme_id=programme_id)
    granted = GrantedCourse.objects.filter(learner_id=learner_id, programme_id=programme_id)
    by_institution, by_year = defaultdict(Decimal), defaultdict(Decimal)
    for inst, year, share in used.values_list("institution_code", "year", "credits"):
        by_institution[inst] += share
        by_year[year] += share
    return engine.Prior(
        used=frozenset(str(x) for x in used.values_list("lineage", flat=True)),
        granted=frozenset(granted.exclude(course_code="").values_list("course_code", flat=True)),
        credits=granted.aggregate(s=Sum("credits"))["s"] or Decimal(0),
        electives=granted.filter(course_code="").aggregate(s=Sum("credits"))["s"] or Decimal(0),
        by_institution=dict(by_institution),
        by_year=dict(by_year),
    )
