"""API: institutions deposit outcomes (one, a batch, or a spreadsheet) and read them back."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from ninja import File, Form, Header, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from learncity.access import Actor
from learncity.api.auth import API_AUTH, actor_of
from learncity.errors import IdempotencyConflict, ValidationFailed
from learncity.institutions.models import Institution
from learncity.institutions.services import institution_by_code
from learncity.records.importer import import_outcomes
from learncity.records.models import IdempotentResponse
from learncity.records.schemas import OutcomeBatchIn, OutcomeIn, OutcomeOut, outcome_out
from learncity.records.selectors import outcome_with_history
from learncity.records.services import deposit_outcomes

router = Router(tags=["outcomes"])


class BatchOut(Schema):
    count: int
    outcomes: list[OutcomeOut]


class ImportOut(Schema):
    batch_id: int
    already_imported: bool
    rows_total: int
    rows_accepted: int
    rows_rejected: int
    report: list[dict]


def _institution(actor: Actor, code: str | None) -> Institution:
    if code:
        return institution_by_code(code)
    if actor.api_key is not None:
        return actor.api_key.institution
    mine = actor.institution_ids()
    if len(mine) == 1:
        return Institution.objects.get(pk=next(iter(mine)))
    raise ValidationFailed(
        _("Say which institution deposits: add ?institution=CODE."), field="institution"
    )


def _idempotent(institution: Institution, key: str | None, payload, make_response):
    """Run make_response once per Idempotency-Key; a retry gets the stored answer."""
    if not key:
        return make_response()
    if len(key) > 200:
        raise ValidationFailed(
            _("The Idempotency-Key header may have at most 200 characters."),
            field="Idempotency-Key",
        )
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
    stored = IdempotentResponse.objects.filter(institution=institution, key=key).first()
    if stored is None:
        try:
            with transaction.atomic():
                status, body = make_response()
                IdempotentResponse.objects.create(
                    institution=institution,
                    key=key,
                    request_sha256=digest,
                    status_code=status,
                    body=json.loads(json.dumps(body, default=str)),
                )
                return status, body
        except IntegrityError:
            stored = IdempotentResponse.objects.get(institution=institution, key=key)
    if stored.request_sha256 != digest:
        raise IdempotencyConflict(
            _(
                "This Idempotency-Key was already used for a different "
                "request. Use a new key for new data."
            ),
            field="Idempotency-Key",
        )
    return stored.status_code, stored.body


def _deposit(request, items: list[OutcomeIn], institution_code, key):
    actor = actor_of(request)
    institution = _institution(actor, institution_code)
    actor.require_institution(institution.pk)
    payload = [i.as_texts() for i in items]

    def make():
        outcomes = deposit_outcomes(actor, institution, payload, source="api", idempotency_key=key)
        body = BatchOut(count=len(outcomes), outcomes=[outcome_out(o) for o in outcomes])
        return 201, body.model_dump(mode="json")

    return _idempotent(institution, key, payload, make)


@router.post("", response={201: OutcomeOut, 200: OutcomeOut}, auth=API_AUTH)
def deposit_one(
    request,
    outcome: OutcomeIn,
    institution: str | None = None,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    """Deposit one outcome. Send an Idempotency-Key so a retry never duplicates."""
    status, body = _deposit(request, [outcome], institution, idempotency_key)
    return Status(status, body["outcomes"][0])


@router.post("/batch", response={201: BatchOut, 200: BatchOut}, auth=API_AUTH)
def deposit_batch(
    request,
    batch: OutcomeBatchIn,
    institution: str | None = None,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
):
    """Deposit up to 1,000 outcomes, all or none."""
    return Status(*_deposit(request, batch.outcomes, institution, idempotency_key))


@router.post("/import", response=ImportOut, auth=API_AUTH)
def import_spreadsheet(
    request,
    file: UploadedFile = File(...),
    accept_valid: bool = Form(False),
    institution: str | None = Form(None),
):
    """Upload a .xlsx or .csv of outcomes (see the template in the portal)."""
    actor = actor_of(request)
    target = _institution(actor, institution)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload"
        with open(path, "wb") as handle:
            for chunk in file.chunks():
                handle.write(chunk)
        result = import_outcomes(
            actor, target, path, file.name or "upload", accept_valid=accept_valid
        )
    b = result.batch
    return ImportOut(
        batch_id=b.pk,
        already_imported=result.already_imported,
        rows_total=b.rows_total,
        rows_accepted=b.rows_accepted,
        rows_rejected=b.rows_rejected,
        report=b.report,
    )


@router.get("/{outcome_id}", response=OutcomeOut, auth=API_AUTH)
def get_outcome(request, outcome_id: int):
    outcome, _versions = outcome_with_history(actor_of(request), outcome_id)
    return outcome_out(outcome)
