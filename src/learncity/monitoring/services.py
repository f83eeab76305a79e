"""Monitoring writes: the question bank, surveys, responses, published results, reports.
Each is one transaction, checks the actor, and writes its audit entry."""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from learncity.access import Actor
from learncity.audit.services import record
from learncity.errors import Conflict, NotFound, ValidationFailed
from learncity.identity.districts import all_districts
from learncity.monitoring import bank_file, survey_import
from learncity.monitoring.messages import problem_text
from learncity.monitoring.models import (
    IndicatorRun,
    IndicatorValue,
    Item,
    Questionnaire,
    QuestionnaireItem,
    Report,
    Response,
    SampleUnit,
    Survey,
)

STAFF_ROLES = ("analyst",)  # administrators and the system pass every role check


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def load_question_bank(actor: Actor, path: Path | None = None) -> dict[str, int]:
    """Store the bank's items and questionnaires that are not stored yet. A stored item or
    questionnaire whose content differs from the file is refused: change means a new version."""
    actor.require_role(*STAFF_ROLES)
    raw = bank_file.read(path)
    added = {"items": 0, "questionnaires": 0}
    with transaction.atomic():
        items = {}
        for entry in raw["items"]:
            fields = bank_file.item_fields(entry, raw["version"])
            item, created = Item.objects.get_or_create(
                code=fields["code"], version=fields["version"], defaults=fields)
            if not created and any(getattr(item, k) != v for k, v in fields.items()):
                raise Conflict(_("Item %(code)s version %(version)s is already stored with "
                                 "other content; give the changed item a new version.")
                               % {"code": item.code, "version": item.version})
            added["items"] += created
            items[item.code] = item
        for q in raw["questionnaires"]:
            questionnaire, created = Questionnaire.objects.get_or_create(
                code=q["code"], version=str(q["version"]),
                defaults={"title_zh": q["title"]["zh"], "title_en": q["title"]["en"],
                          "intro_zh": q.get("intro", {}).get("zh", ""),
                          "intro_en": q.get("intro", {}).get("en", "")})
            if created:
                for position, entry in enumerate(q["items"], start=1):
                    QuestionnaireItem.objects.create(
                        questionnaire=questionnaire, item=items[entry["item"]],
                        position=position, required=entry.get("required", True),
                        show_if=entry.get("show_if", {}))
            added["questionnaires"] += created
        record(actor, "monitoring.question_bank.load", None, version=raw["version"], **added)
    return added


def create_survey(actor: Actor, code: str, year: int, questionnaire: Questionnaire,
                  design: dict | None = None) -> Survey:
    actor.require_role(*STAFF_ROLES)
    with transaction.atomic():
        if Survey.objects.filter(code=code).exists():
            raise Conflict(_("A survey with this code already exists."), field="code")
        survey = Survey.objects.create(code=code, year=year, questionnaire=questionnaire,
                                       design=design or {})
        record(actor, "monitoring.survey.create", survey, code=code, year=year)
    return survey


def issue_links(actor: Actor, survey: Survey, units: list[dict]) -> list[tuple[int, str]]:
    """Create the sampled units with one anonymous link token each; returns (unit_key, token).
    The tokens are shown once (only their SHA-256 is kept)."""
    actor.require_role(*STAFF_ROLES)
    out = []
    with transaction.atomic():
        for unit in units:
            token = secrets.token_urlsafe(18)
            SampleUnit.objects.create(survey=survey, token_hash=_hash(token), **unit)
            out.append((unit["unit_key"], token))
        record(actor, "monitoring.survey.links", survey, units=len(out))
    return out


def unit_for_token(token: str) -> SampleUnit:
    unit = (SampleUnit.objects.select_related("survey__questionnaire")
            .filter(token_hash=_hash(token)).first())
    if unit is None:
        raise NotFound(_("This survey link is not valid. Check that you copied all of it."))
    return unit


def questionnaire_specs(questionnaire: Questionnaire):
    entries = questionnaire.entries.select_related("item").order_by("position")
    return [(e, bank_file.spec(e.item, e.required, e.show_if)) for e in entries]


def submit_response(actor: Actor, token: str, raw: dict) -> Response:
    """Store an anonymous respondent's answers; a link answers once. Raises ValidationFailed
    with `details` = {item code: message} when answers break the questionnaire's rules."""
    from learncity.monitoring.answers import clean

    unit = unit_for_token(token)
    if unit.survey.status != "open":
        raise Conflict(_("This survey is closed. Thank you for your interest."))
    specs = [s for _e, s in questionnaire_specs(unit.survey.questionnaire)]
    answers, problems = clean(specs, raw)
    if problems:
        raise ValidationFailed(_("Some answers need attention."), code="survey.answers",
                               details={p.item: problem_text(p) for p in problems})
    try:
        with transaction.atomic():
            response = Response.objects.create(unit=unit, answers=answers, source="web")
            record(actor, "monitoring.survey.respond", None, survey=unit.survey.code)
    except IntegrityError:
        raise Conflict(_("This link has already been used to answer. Thank you!")) from None
    return response


def import_responses(actor: Actor, survey: Survey, path: Path) -> dict[str, int]:
    """Import sampled units and responses from .csv/.xlsx, all or nothing."""
    actor.require_role(*STAFF_ROLES)
    specs = [s for _e, s in questionnaire_specs(survey.questionnaire)]
    try:
        rows = survey_import.read_rows(path)
    except ValueError as error:
        raise ValidationFailed(str(error), code="survey.unreadable") from None
    checked, problems = survey_import.check(rows, specs, {d.code for d in all_districts()})
    existing = set(SampleUnit.objects.filter(survey=survey).values_list("unit_key", flat=True))
    problems += [survey_import.RowProblem(r.number, "unit_key", survey_import.Problem(
        "unit_key", "bad_column", str(r.unit["unit_key"])))
        for r in checked if r.unit.get("unit_key") in existing]
    if problems:
        details = [{"row": p.row, "column": p.column, "message": problem_text(p.problem)}
                   for p in sorted(problems, key=lambda p: (p.row, p.column))]
        raise ValidationFailed(
            _("The file was not imported: %(count)s problems, listed by row.")
            % {"count": len(details)}, code="survey.import_refused", details=details)
    with transaction.atomic():
        answered = 0
        for row in checked:
            fields = {k: v for k, v in row.unit.items() if k != "responded"}
            unit = SampleUnit.objects.create(survey=survey, **fields)
            if row.answers is not None:
                Response.objects.create(unit=unit, answers=row.answers, source="import")
                answered += 1
        record(actor, "monitoring.survey.import", survey, file=path.name, rows=len(checked),
               responses=answered)
    return {"rows": len(checked), "responses": answered}


def publish_run(actor: Actor, result) -> IndicatorRun:
    """Publish a computed run (jobs.RunResult): its cells become the public figures."""
    actor.require_role(*STAFF_ROLES)
    with transaction.atomic():
        run = IndicatorRun.objects.create(
            year=result.year, years=list(result.years), engine=result.engine,
            catalogue_version=result.catalogue_version, min_cell=result.min_cell,
            snapshot_kind=result.snapshot_kind, survey_design=result.survey,
            assumptions=result.assumptions, seconds=result.seconds,
            published_by=actor.user if getattr(actor.user, "pk", None) else None)
        fields = ("indicator", "year", "dimension", "group", "value", "numerator",
                  "denominator", "flag", "se", "lci", "uci", "cv", "n", "deff")
        IndicatorValue.objects.bulk_create(
            [IndicatorValue(run=run, **{f: _finite(getattr(c, f)) for f in fields})
             for c in result.cells], batch_size=500)
        record(actor, "monitoring.results.publish", run, year=run.year, engine=run.engine,
               cells=len(result.cells), catalogue=run.catalogue_version)
    return run


def _finite(value):
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return None
    return value


def record_report(actor: Actor, run: IndicatorRun, language: str, html: str, pdf: str) -> Report:
    actor.require_role(*STAFF_ROLES)
    with transaction.atomic():
        report = Report.objects.create(run=run, year=run.year, language=language,
                                       html_file=html, pdf_file=pdf)
        record(actor, "monitoring.report.create", report, year=run.year, language=language)
    return report


def close_survey(actor: Actor, survey: Survey) -> None:
    actor.require_role(*STAFF_ROLES)
    with transaction.atomic():
        survey.status = "closed"
        survey.save(update_fields=["status"])
        record(actor, "monitoring.survey.close", survey)
