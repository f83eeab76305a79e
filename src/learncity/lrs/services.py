"""LRS writes: storing statements (one transaction per request, audited).

Storing a batch: check it (prepare.py), assign id/stored/authority, refuse the batch with 409 if
an id is already stored with a different statement, then insert statements, their index rows
(inherited through StatementRefs in both directions), attachment data and activity definitions,
and mark voided statements.
"""

from __future__ import annotations

import json
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learncity.audit.services import record
from learncity.errors import Conflict, ValidationFailed
from learncity.lrs import indexing
from learncity.lrs.compare import same_statement
from learncity.lrs.credentials import authority_for, lrs_actor, require_scope
from learncity.lrs.models import (
    Activity,
    AttachmentPayload,
    Credential,
    Statement,
    StatementIndex,
)
from learncity.lrs.prepare import BatchRefused, Payload, check_batch, prepare

VOIDED = "http://adlnet.gov/expapi/verbs/voided"

__all__ = ["lrs_actor", "require_scope", "store_statements"]


def _rows(statement: dict) -> set[tuple[str, str]]:
    keys = indexing.statement_keys(statement)
    rows = {("a", k) for k in keys.agents} | {("o", k) for k in keys.activities}
    rows |= {("A", k) for k in keys.related_agents - keys.agents}
    rows |= {("O", k) for k in keys.related_activities - keys.activities}
    rows.add(("v", indexing.activity_key("verb:" + statement["verb"]["id"])))
    registration = (statement.get("context") or {}).get("registration")
    if registration:
        rows.add(("r", str(uuid.UUID(registration))))
    return rows


def _target(statement: dict) -> uuid.UUID | None:
    obj = statement.get("object") or {}
    return uuid.UUID(obj["id"]) if obj.get("objectType") == "StatementRef" else None


def _inherit(new: list[Statement], rows: dict[uuid.UUID, set]) -> None:
    """Give each statement the index rows of the statement it references, transitively."""
    by_id = {s.statement_id: s for s in new}
    wanted = {s.object_statement for s in new if s.object_statement} - set(by_id)
    for sid, kind, key in StatementIndex.objects.filter(
        statement__statement_id__in=wanted
    ).values_list("statement__statement_id", "kind", "key"):
        rows.setdefault(sid, set()).add((kind, key))
    for _round in range(len(new)):
        changed = False
        for statement in new:
            extra = rows.get(statement.object_statement, set()) - rows[statement.statement_id]
            if statement.object_statement and extra:
                rows[statement.statement_id] |= extra
                changed = True
        if not changed:
            break


def _propagate(new_rows: dict[uuid.UUID, set]) -> None:
    """Statements already stored that reference the new ones inherit their rows too."""
    frontier = new_rows
    for _depth in range(20):
        following: dict[uuid.UUID, set] = {}
        inserts = []
        for pk, sid, target in Statement.objects.filter(object_statement__in=frontier).values_list(
            "pk", "statement_id", "object_statement"
        ):
            following[sid] = frontier[target]
            inserts += [
                StatementIndex(statement_id=pk, kind=k, key=key) for k, key in following[sid]
            ]
        if not inserts:
            return
        StatementIndex.objects.bulk_create(inserts, ignore_conflicts=True)
        frontier = following


def _merge_activities(statements: list[dict]) -> None:
    found: dict[str, dict] = {}
    for statement in statements:
        for iri, definition in indexing.activity_definitions(statement).items():
            indexing.merge_definition(found.setdefault(iri, {}), definition)
    keys = {indexing.activity_key(iri): iri for iri in found}
    existing = {a.key: a for a in Activity.objects.filter(key__in=keys)}
    create = []
    for key, iri in keys.items():
        definition = found[iri]
        if key not in existing:
            create.append(Activity(key=key, iri=iri, definition=json.dumps(definition)))
        elif definition:
            activity = existing[key]
            before = json.loads(activity.definition)
            merged = indexing.merge_definition(json.loads(activity.definition), definition)
            if merged != before:
                activity.definition = json.dumps(merged)
                activity.save(update_fields=["definition", "updated"])
    Activity.objects.bulk_create(create, ignore_conflicts=True)


def store_statements(
    credential: Credential,
    statements: list,
    *,
    version: str,
    payloads: dict[str, Payload] | None = None,
    ip: str | None = None,
) -> list[str]:
    """Store a batch (all or nothing) and return the statement ids in order."""
    require_scope(credential, "write")
    try:
        check_batch(statements, version, payloads)
    except BatchRefused as refusal:
        raise ValidationFailed(
            refusal.message, field=refusal.field, code="statement.invalid"
        ) from None
    stored = timezone.now()
    authority = authority_for(credential)
    ready = [prepare(s, stored=stored, authority=authority, version=version) for s in statements]
    try:
        with transaction.atomic():
            return _store(credential, statements, ready, payloads or {}, stored, ip)
    except IntegrityError:
        raise Conflict(
            _(
                "Another request stored a statement with one of these ids at the same "
                "moment; send the batch again."
            )
        ) from None


def _store(credential, received, ready, payloads, stored, ip) -> list[str]:
    ids = [uuid.UUID(s["id"]) for s in ready]
    existing = {s.statement_id: s for s in Statement.objects.filter(statement_id__in=ids)}
    for original, statement in zip(received, ready, strict=True):
        old = existing.get(uuid.UUID(statement["id"]))
        if old is not None and not same_statement(json.loads(old.full), original):
            raise Conflict(
                _(
                    "A different statement with the id %(id)s is already stored; "
                    "statements cannot be changed."
                )
                % {"id": statement["id"]},
                field="id",
            )
    fresh = [s for s in ready if uuid.UUID(s["id"]) not in existing]
    if fresh:
        _insert(credential, fresh, payloads, stored)
        record(
            lrs_actor(credential, ip),
            "lrs.statements.store",
            credential,
            count=len(fresh),
            statement_ids=[s["id"] for s in fresh][:100],
        )
    return [s["id"] for s in ready]


def _insert(credential, fresh: list[dict], payloads, stored) -> None:
    new_ids = [uuid.UUID(s["id"]) for s in fresh]
    voided_already = set(
        Statement.objects.filter(is_voiding=True, object_statement__in=new_ids).values_list(
            "object_statement", flat=True
        )
    )
    batch_voids = {_target(s) for s in fresh if s["verb"]["id"] == VOIDED}
    objects = []
    for statement in fresh:
        sid = uuid.UUID(statement["id"])
        voiding = statement["verb"]["id"] == VOIDED
        objects.append(
            Statement(
                statement_id=sid,
                stored=stored,
                credential=credential,
                verb=indexing.activity_key("verb:" + statement["verb"]["id"]),
                object_statement=_target(statement),
                is_voiding=voiding,
                voided=not voiding and (sid in voided_already or sid in batch_voids),
                full=json.dumps(statement, ensure_ascii=False, separators=(",", ":")),
            )
        )
    Statement.objects.bulk_create(objects)
    if any(o.pk is None for o in objects):  # databases that do not return ids
        pks = dict(
            Statement.objects.filter(statement_id__in=new_ids).values_list("statement_id", "pk")
        )
        for o in objects:
            o.pk = pks[o.statement_id]
    rows = {o.statement_id: _rows(s) for o, s in zip(objects, fresh, strict=True)}
    _inherit(objects, rows)
    StatementIndex.objects.bulk_create(
        [
            StatementIndex(statement_id=o.pk, kind=k, key=key)
            for o in objects
            for k, key in rows[o.statement_id]
        ],
        ignore_conflicts=True,
    )
    _propagate({o.statement_id: rows[o.statement_id] for o in objects})
    targets = [o.object_statement for o in objects if o.is_voiding]
    if targets:
        Statement.objects.filter(statement_id__in=targets, is_voiding=False).update(voided=True)
    if payloads:
        AttachmentPayload.objects.bulk_create(
            [
                AttachmentPayload(
                    sha2=sha2, content_type=p.content_type, length=len(p.data), content=p.data
                )
                for sha2, p in payloads.items()
            ],
            ignore_conflicts=True,
        )
    _merge_activities(fresh)
