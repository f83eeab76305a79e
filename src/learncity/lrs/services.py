"""LRS writes: storing statements (one transaction per request, audited).

Storing a batch: check it (prepare.py), assign id/stored/authority, refuse the batch with 409 if
an id is already stored with a different statement, then insert statements, their index rows
(inherited through StatementRefs in both directions), attachment data and activity definitions,
and mark voided statements.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learncity.audit.services import record
from learncity.errors import Conflict, ValidationFailed
from learncity.lrs import bulk, indexing
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
# What json.dumps(s, ensure_ascii=False, separators=(",", ":")) writes, without building an
# encoder per statement or checking for cycles (parsed JSON has none).
_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode

__all__ = ["lrs_actor", "require_scope", "store_statements"]


@dataclass(slots=True)
class _New:
    """A statement of this batch, once inserted (no model instance: bulk.py inserts rows)."""

    pk: int
    statement_id: uuid.UUID
    object_statement: uuid.UUID | None
    is_voiding: bool


def _rows(statement: dict) -> set[tuple[str, str]]:
    """(kind, key) index rows of a statement; main keys are related keys too (models.py)."""
    keys = indexing.statement_keys(statement)
    rows = {("a", k) for k in keys.agents} | {("o", k) for k in keys.activities}
    rows |= {("A", k) for k in keys.related_agents}
    rows |= {("O", k) for k in keys.related_activities}
    rows.add(("v", indexing.activity_key("verb:" + statement["verb"]["id"])))
    registration = (statement.get("context") or {}).get("registration")
    if registration:
        rows.add(("r", str(uuid.UUID(registration))))
    return rows


def _target(statement: dict) -> uuid.UUID | None:
    obj = statement.get("object") or {}
    return uuid.UUID(obj["id"]) if obj.get("objectType") == "StatementRef" else None


def _inherit(new: list[_New], rows: dict[uuid.UUID, set]) -> None:
    """Give each statement the index rows of the statement it references, transitively."""
    by_id = {s.statement_id: s for s in new}
    wanted = {s.object_statement for s in new if s.object_statement} - set(by_id)
    if wanted:
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


def _referencing(ids) -> list[tuple[int, uuid.UUID, uuid.UUID, bool, object]]:
    """(pk, id, target, is voiding, stored) of the stored statements whose StatementRef
    targets one of ids."""
    return bulk.select_in(
        Statement,
        ["id", "statement_id", "object_statement", "is_voiding", "stored"],
        "object_statement",
        ids,
    )


def _propagate(new_rows: dict[uuid.UUID, set], referencing: list[tuple]) -> None:
    """Statements already stored that reference the new ones inherit their rows too.

    ``referencing`` is the first level, read before the new statements were inserted.
    """
    frontier = new_rows
    found = referencing
    for _depth in range(20):
        following: dict[uuid.UUID, set] = {}
        inserts = []
        for pk, sid, target, _voiding, stored in found:
            following[sid] = frontier[target]
            inserts += [
                StatementIndex(statement_id=pk, kind=k, key=key, stored=stored)
                for k, key in following[sid]
            ]
        if not inserts:
            return
        StatementIndex.objects.bulk_create(inserts, ignore_conflicts=True)
        frontier = following
        found = _referencing(frontier)


def _merge_activities(statements: list[dict]) -> None:
    """Fold the activity definitions of a batch into the canonical ones.

    An activity no statement has defined has no row: the Activities resource and
    format=canonical answer the same for it (its id, or the definition in the statement).
    """
    found: dict[str, dict] = {}
    for statement in statements:
        # activity_definitions gives new top-level dicts, which merging may change in place.
        for iri, definition in indexing.activity_definitions(statement).items():
            current = found.get(iri)
            if current is None:
                if definition:
                    found[iri] = definition
            elif definition and definition != current:  # the same again is the common case
                indexing.merge_definition(current, definition)
    keys = {indexing.activity_key(iri): iri for iri in found}
    existing = dict(bulk.select_in(Activity, ["key", "definition"], "key", keys))
    create = []
    # In key order, updates before inserts: concurrent batches then take their row locks in
    # one order and cannot deadlock over shared activities.
    for key, iri in sorted(keys.items()):
        definition = found[iri]
        if key not in existing:
            create.append(Activity(key=key, iri=iri, definition=json.dumps(definition)))
        elif existing[key] != json.dumps(definition):  # else the same definition again
            before = json.loads(existing[key])
            # merge_definition only assigns top-level names: a shallow copy keeps ``before``.
            merged = indexing.merge_definition(dict(before), definition)
            if merged != before:
                Activity.objects.filter(key=key).update(
                    definition=json.dumps(merged), updated=timezone.now()
                )
    if create:
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
    existing = dict(bulk.select_in(Statement, ["statement_id", "full"], "statement_id", ids))
    fresh, fresh_ids = [], []
    for sid, original, statement in zip(ids, received, ready, strict=True):
        old = existing.get(sid)
        if old is None:
            fresh.append(statement)
            fresh_ids.append(sid)
        elif not same_statement(json.loads(old), original):
            raise Conflict(
                _(
                    "A different statement with the id %(id)s is already stored; "
                    "statements cannot be changed."
                )
                % {"id": statement["id"]},
                field="id",
            )
    if fresh:
        _insert(credential, fresh, fresh_ids, payloads, stored)
        record(
            lrs_actor(credential, ip),
            "lrs.statements.store",
            credential,
            count=len(fresh),
            statement_ids=[s["id"] for s in fresh][:100],
        )
    return [s["id"] for s in ready]


def _insert(credential, fresh: list[dict], new_ids: list[uuid.UUID], payloads, stored) -> None:
    referencing = _referencing(new_ids)
    voided_already = {target for _pk, _sid, target, voiding, _stored in referencing if voiding}
    targets = {sid: _target(s) for sid, s in zip(new_ids, fresh, strict=True)}
    batch_voids = {
        targets[sid] for sid, s in zip(new_ids, fresh, strict=True) if s["verb"]["id"] == VOIDED
    }
    columns = [
        "statement_id",
        "stored",
        "verb",
        "object_statement",
        "is_voiding",
        "voided",
        "credential_id",
        "full",
    ]
    values, new = [], []
    for sid, statement in zip(new_ids, fresh, strict=True):
        voiding = statement["verb"]["id"] == VOIDED
        values.append(
            (
                sid,
                stored,
                indexing.activity_key("verb:" + statement["verb"]["id"]),
                targets[sid],
                voiding,
                not voiding and (sid in voided_already or sid in batch_voids),
                credential.pk,
                _compact(statement),
            )
        )
        new.append(_New(0, sid, targets[sid], voiding))
    # One COPY (PostgreSQL) or prepared executemany (SQLite) instead of bulk_create: see bulk.py.
    for n, pk in zip(new, bulk.insert_rows(Statement, columns, values, keys=True), strict=True):
        n.pk = pk
    rows = {n.statement_id: _rows(s) for n, s in zip(new, fresh, strict=True)}
    _inherit(new, rows)
    # The statements are new, so none of their index rows can exist yet: no conflict to ignore.
    bulk.insert_rows(
        StatementIndex,
        ["statement_id", "kind", "key", "stored"],
        [(n.pk, k, key, stored) for n in new for k, key in sorted(rows[n.statement_id])],
    )
    _propagate({n.statement_id: rows[n.statement_id] for n in new}, referencing)
    voided = [n.object_statement for n in new if n.is_voiding]
    if voided:
        Statement.objects.filter(statement_id__in=voided, is_voiding=False).update(voided=True)
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
