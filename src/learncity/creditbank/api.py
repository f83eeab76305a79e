"""API: standards (read for all, write for framework administrators), decisions, appeals,
balances and the ledger."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import yaml
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from learncity.api.auth import API_AUTH, actor_of
from learncity.creditbank import ledger
from learncity.creditbank.selectors import balance, history, recognition_queue
from learncity.creditbank.services import appeal, decide_recognition, publish_standard
from learncity.creditbank.standards_file import import_standards, standards_data
from learncity.records.selectors import learner_for

router = Router(tags=["credit bank"])


class StandardsOut(Schema):
    standards: list[dict]


class ImportIn(Schema):
    standards: list[dict]


class PublishOut(Schema):
    examined: int
    reevaluated: int
    dry_run: bool
    examples: list[dict]


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    approve: bool
    reason: str
    level: int | None = None
    category: str = ""
    credits: Decimal | None = None


class AppealIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reason: str
    evidence_url: str


class RecognitionOut(Schema):
    id: int
    outcome_id: int
    learner_no: str
    learner_id_masked: str
    outcome_title: str
    status: str
    standard: str | None
    level: int | None
    category: str
    credits: Decimal | None
    reason: str
    explanation: dict
    created_at: datetime


class EntryOut(Schema):
    seq: int
    entry_type: str
    outcome_id: int
    outcome_title: str
    recognition_id: int
    standard: str | None
    category: str
    level: int
    credits: Decimal
    year: int
    booked_on: date
    entry_hash: str


class CreditsOut(Schema):
    learner_no: str
    total: Decimal
    by_category: dict[str, Decimal]
    by_level: dict[int, Decimal]
    by_year: dict[int, Decimal]
    entries: list[EntryOut]


class VerifyOut(Schema):
    entries_checked: int
    problems: list[dict]


def _recognition_out(r) -> RecognitionOut:
    return RecognitionOut(
        id=r.pk,
        outcome_id=r.outcome_id,
        learner_no=r.learner.learner_no,
        learner_id_masked=r.learner.id_masked,
        outcome_title=r.outcome.title,
        status=r.status,
        standard=r.standard.key if r.standard_id else None,
        level=r.level,
        category=r.category,
        credits=r.credits,
        reason=r.reason,
        explanation=r.explanation,
        created_at=r.created_at,
    )


@router.get("/standards", response=StandardsOut, auth=None)
def list_standards(request, status: str = "published"):
    """Published recognition standards (also as YAML: `learncity standards export`)."""
    return StandardsOut(standards=standards_data(status))


@router.post("/standards", response={201: StandardsOut}, auth=API_AUTH)
def create_standards(request, payload: ImportIn):
    """Create draft standards (framework administrators)."""
    created = import_standards(actor_of(request), yaml.safe_dump(payload.model_dump()))
    return Status(201, StandardsOut(standards=[{"id": s.pk, "key": s.key} for s in created]))


@router.post("/standards/{standard_id}/publish", response=PublishOut, auth=API_AUTH)
def publish(request, standard_id: int, dry_run: bool = False):
    """Publish a draft and re-evaluate waiting outcomes; `dry_run=true` only counts."""
    report = publish_standard(actor_of(request), standard_id, dry_run=dry_run)
    return PublishOut(
        examined=report.examined,
        reevaluated=report.reevaluated,
        dry_run=report.dry_run,
        examples=report.examples,
    )


@router.get("/recognitions/queue", response=list[RecognitionOut], auth=API_AUTH)
def queue(request, limit: int = 100):
    return [_recognition_out(r) for r in recognition_queue(actor_of(request))[: min(limit, 500)]]


@router.post("/recognitions/{recognition_id}/decision", response=RecognitionOut, auth=API_AUTH)
def decide(request, recognition_id: int, decision: DecisionIn):
    r = decide_recognition(
        actor_of(request),
        recognition_id,
        approve=decision.approve,
        reason=decision.reason,
        level=decision.level,
        category=decision.category,
        credits=decision.credits,
    )
    return _recognition_out(r)


@router.post("/recognitions/{recognition_id}/appeal", response={201: RecognitionOut}, auth=API_AUTH)
def make_appeal(request, recognition_id: int, body: AppealIn):
    r = appeal(
        actor_of(request), recognition_id, reason=body.reason, evidence_url=body.evidence_url
    )
    return Status(201, _recognition_out(r))


def _credits(request, learner_no):
    actor = actor_of(request)
    learner = learner_for(actor, learner_no)
    b = balance(actor, learner)
    entries = [
        EntryOut(
            seq=e.seq,
            entry_type=e.entry_type,
            outcome_id=e.outcome_id,
            outcome_title=e.outcome.title,
            recognition_id=e.recognition_id,
            standard=e.recognition.standard.key if e.recognition.standard_id else None,
            category=e.category,
            level=e.level,
            credits=e.credits,
            year=e.year,
            booked_on=e.booked_on,
            entry_hash=e.entry_hash,
        )
        for e in history(actor, learner)[:1000]
    ]
    return CreditsOut(
        learner_no=learner.learner_no,
        total=b.total,
        by_category=b.by_category,
        by_level=b.by_level,
        by_year=b.by_year,
        entries=entries,
    )


@router.get("/me/credits", response=CreditsOut, auth=API_AUTH)
def my_credits(request):
    """The signed-in learner's balance (total, by category, level, year) and ledger."""
    return _credits(request, None)


@router.get("/learners/{learner_no}/credits", response=CreditsOut, auth=API_AUTH)
def learner_credits(request, learner_no: str):
    return _credits(request, learner_no)


@router.get("/ledger/verify", response=VerifyOut, auth=API_AUTH)
def verify(request, learner_no: str | None = None):
    """Check the hash chains (auditors); name every entry changed in the database."""
    actor = actor_of(request)
    actor.require_role("auditor")
    ids = None
    if learner_no:
        learner = learner_for(actor, learner_no)
        ids = [learner.pk]
    count, problems = ledger.verify(ids)
    return VerifyOut(
        entries_checked=count,
        problems=[
            {"learner_id": lid, "entry_id": p.entry_id, "seq": p.seq, "problem": p.problem}
            for lid, p in problems
        ],
    )
