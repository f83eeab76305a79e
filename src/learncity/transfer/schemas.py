"""API shapes for credit transfer, and how models become them."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema
from pydantic import ConfigDict

from learncity.transfer.messages import reason_text
from learncity.transfer.models import Application, Programme
from learncity.transfer.selectors import changes


class CourseOut(Schema):
    code: str
    name_zh: str
    name_en: str
    credits: Decimal
    compulsory: bool


class ProgrammeOut(Schema):
    code: str
    institution: str
    name_zh: str
    name_en: str
    total_credits: Decimal
    transfer_max_credits: Decimal | None
    transfer_max_share: Decimal | None
    residency_min_credits: Decimal
    per_institution_max: Decimal | None
    per_year_max: Decimal | None
    elective_credits: Decimal
    validity_years: int | None
    decided_by: str
    courses: list[CourseOut]


class StandardsIn(Schema):
    standards: list[dict]


class StandardsOut(Schema):
    standards: list[dict]


class StartIn(Schema):
    model_config = ConfigDict(extra="forbid")
    programme: str


class SubmitIn(Schema):
    model_config = ConfigDict(extra="forbid")
    consent: bool


class ReasonIn(Schema):
    model_config = ConfigDict(extra="forbid")
    reason: str = ""


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")
    approve: bool
    reason: str


class ItemOut(Schema):
    id: int
    use: int
    course_code: str
    credits: Decimal
    rule: str
    standard: str
    outcome_ids: list[int]
    decision: str
    reason: str
    decided_by: str | None
    decided_at: datetime | None


class EventOut(Schema):
    at: datetime
    actor: str
    action: str
    from_state: str
    to_state: str
    reason: str
    details: dict


class ApplicationOut(Schema):
    id: int
    learner_no: str
    programme: str
    state: str
    as_of: date
    standards: list[str]
    credits_proposed: Decimal
    credits_approved: Decimal
    consent: bool
    submitted_at: datetime | None
    decided_at: datetime | None
    posted_at: datetime | None
    items: list[ItemOut]
    events: list[EventOut]
    changes: list[dict]
    proposal: dict


class NotificationOut(Schema):
    id: int
    text: str
    at: datetime
    read: bool
    application_id: int | None
    kind: str


def programme_out(p: Programme) -> ProgrammeOut:
    fields = {name: getattr(p, name) for name in ProgrammeOut.model_fields if hasattr(p, name)}
    fields.pop("courses", None)
    fields["institution"] = p.institution.code
    courses = [CourseOut.model_validate(c, from_attributes=True) for c in p.courses.all()]
    return ProgrammeOut(**fields, courses=courses)


def explained(proposal: dict) -> dict:
    """The proposal with each unused outcome's reason in words."""
    unused = [
        u | {"text": reason_text(u["reason"], u["params"])} for u in proposal.get("unused", [])
    ]
    return proposal | {"unused": unused}


def application_out(app: Application) -> ApplicationOut:
    items = [
        ItemOut(
            id=i.pk,
            use=i.use,
            course_code=i.course_code,
            credits=i.credits,
            rule=i.rule_key,
            standard=i.standard.key,
            outcome_ids=i.outcome_ids,
            decision=i.decision,
            reason=i.reason,
            decided_by=i.decided_by.username if i.decided_by_id else None,
            decided_at=i.decided_at,
        )
        for i in app.items.select_related("standard", "decided_by")
    ]
    events = [
        EventOut(
            at=e.at,
            actor=e.actor_label,
            action=e.action,
            from_state=e.from_state,
            to_state=e.to_state,
            reason=e.reason,
            details=e.details,
        )
        for e in app.events.all()
    ]
    return ApplicationOut(
        id=app.pk,
        learner_no=app.learner.learner_no,
        programme=app.programme.code,
        state=app.state,
        as_of=app.as_of,
        standards=sorted(s.key for s in app.standards.all()),
        credits_proposed=app.credits_proposed,
        credits_approved=app.credits_approved,
        consent=app.consent_at is not None,
        submitted_at=app.submitted_at,
        decided_at=app.decided_at,
        posted_at=app.posted_at,
        items=items,
        events=events,
        changes=changes(app) if app.state not in ("posted", "withdrawn") else [],
        proposal=explained(app.proposal),
    )
