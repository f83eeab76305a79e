"""API shapes of outcomes, shared by the learner and institution endpoints."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema
from pydantic import ConfigDict

from learncity.records.models import Outcome

Scalar = str | int | float | None


class OutcomeIn(Schema):
    """One outcome as an institution sends it. Values may be strings or numbers."""

    model_config = ConfigDict(extra="forbid")

    id_type: str = "cn_resident"
    id_country: str = ""
    id_number: str
    name: str
    kind: str
    title: str
    code: Scalar = ""
    hours: Scalar = None
    credits: Scalar = None
    result: Scalar = ""
    started_on: date | str | None = None
    completed_on: date | str
    evidence_url: str = ""
    reference: str = ""

    def as_texts(self) -> dict[str, str]:
        return {k: "" if v is None else str(v) for k, v in self.model_dump().items()}


class OutcomeBatchIn(Schema):
    model_config = ConfigDict(extra="forbid")
    outcomes: list[OutcomeIn]


class OutcomeOut(Schema):
    id: int
    learner_no: str
    learner_name: str
    learner_id_masked: str
    institution: str | None
    issuer_name: str
    kind: str
    category: str
    title: str
    code: str
    hours: Decimal | None
    credits: Decimal | None
    result_type: str
    result: str
    started_on: date | None
    completed_on: date
    evidence_url: str
    evidence_sha256: str
    source: str
    status: str
    version: int
    is_current: bool
    created_at: datetime


def outcome_out(o: Outcome) -> OutcomeOut:
    return OutcomeOut(
        id=o.pk,
        learner_no=o.learner.learner_no,
        learner_name=o.learner.name,
        learner_id_masked=o.learner.id_masked,
        institution=o.institution.code if o.institution_id else None,
        issuer_name=o.issuer_name,
        kind=o.kind,
        category=o.category,
        title=o.title,
        code=o.code,
        hours=o.hours,
        credits=o.credits,
        result_type=o.result_type,
        result=o.result,
        started_on=o.started_on,
        completed_on=o.completed_on,
        evidence_url=o.evidence_url,
        evidence_sha256=o.evidence_sha256,
        source=o.source,
        status=o.status,
        version=o.version,
        is_current=o.is_current,
        created_at=o.created_at,
    )
