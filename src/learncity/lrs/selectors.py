"""LRS reads: statement queries with stable pagination, single statements, activities,
attachment data and documents.

Pagination is keyset-based on (stored, id), and every page of one query is bounded by the
highest statement id that existed when its first page was read, so statements stored while a
client pages through neither appear in the middle nor push others onto the next page.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import connections, router
from django.db.models import Max

from learncity.lrs import bulk, indexing
from learncity.lrs.models import Activity, AttachmentPayload, Document, Statement

MAX_LIMIT = 500


@dataclass
class StatementQuery:
    agent: dict | None = None
    verb: str | None = None
    activity: str | None = None
    registration: str | None = None
    related_activities: bool = False
    related_agents: bool = False
    since: datetime | None = None
    until: datetime | None = None
    limit: int = 0
    ascending: bool = False
    after: tuple[datetime, int] | None = None  # keyset cursor: (stored, id) of the last row sent
    ceiling: int | None = None  # highest Statement.id visible to this query


def _keys(query: StatementQuery) -> list[tuple[str, str]]:
    """(kind, key) the statements must have, most selective first (the first drives the page)."""
    keys = []
    if query.registration is not None:
        keys.append(("r", str(uuid.UUID(query.registration))))
    if query.agent is not None:
        keys.append(("A" if query.related_agents else "a", indexing.agent_key(query.agent) or ""))
    if query.activity is not None:
        kind = "O" if query.related_activities else "o"
        keys.append((kind, indexing.activity_key(query.activity)))
    if query.verb is not None:
        keys.append(("v", indexing.activity_key("verb:" + query.verb)))
    return keys


def ceiling() -> int:
    return Statement.objects.aggregate(top=Max("id"))["top"] or 0


@dataclass(slots=True)
class Found:
    """A statement of a page: what the Statement resource needs, without a model instance
    (making 500 of them took longer than the query)."""

    pk: int
    stored: datetime
    full: str


def find_statements(query: StatementQuery) -> tuple[list[Found], bool]:
    """One page of statements and whether more follow.

    With a filter, the page is read from one (key, kind) range of the index table, which is
    ordered as pages are (stored, statement): the first ``limit + 1`` rows that pass the other
    conditions end the query, however many statements match. Other filters are checked per
    row through lrs_index_unique. Without one, lrs_stmt_stored serves the same way.
    """
    connection = connections[router.db_for_read(Statement)]
    stored_field = Statement._meta.get_field("stored")

    def moment(value: datetime):
        return stored_field.get_db_prep_value(value, connection)

    keys = _keys(query)
    params: list = []
    if keys:
        kind, key = keys[0]
        # CROSS JOIN keeps the index table as the outer loop on SQLite; PostgreSQL plans freely.
        source = (
            "lrs_statementindex d CROSS JOIN lrs_statement s "
            "WHERE s.id = d.statement_id AND d.key = %s AND d.kind = %s AND NOT s.voided"
        )
        params += [key, kind]
        order_stored, order_id = "d.stored", "d.statement_id"
    else:
        source = "lrs_statement s WHERE NOT s.voided"
        order_stored, order_id = "s.stored", "s.id"
    where = []
    for kind, key in keys[1:]:
        where.append(
            "EXISTS (SELECT 1 FROM lrs_statementindex e "
            "WHERE e.statement_id = s.id AND e.kind = %s AND e.key = %s)"
        )
        params += [kind, key]
    if query.since is not None:
        where.append(f"{order_stored} > %s")
        params.append(moment(query.since))
    if query.until is not None:
        where.append(f"{order_stored} <= %s")
        params.append(moment(query.until))
    if query.ceiling is not None:
        where.append(f"{order_id} <= %s")
        params.append(query.ceiling)
    if query.after is not None:
        stored, pk = query.after
        where.append(f"({order_stored}, {order_id}) {'>' if query.ascending else '<'} (%s, %s)")
        params += [moment(stored), pk]
    direction = "ASC" if query.ascending else "DESC"
    limit = min(query.limit or MAX_LIMIT, MAX_LIMIT)
    sql = (
        f'SELECT s.id, s.stored, s."full" FROM {source}'
        + "".join(f" AND {w}" for w in where)
        + f" ORDER BY {order_stored} {direction}, {order_id} {direction} LIMIT {limit + 1}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    convert = bulk.converter(stored_field) if connection.vendor != "postgresql" else None
    rows = [Found(pk, convert(stored) if convert else stored, full) for pk, stored, full in fetched]
    return rows[:limit], len(rows) > limit


def statement_by_id(statement_id: str, *, voided: bool) -> Statement | None:
    return (
        Statement.objects.filter(
            statement_id=uuid.UUID(statement_id),
            voided=voided,
        )
        .only("id", "stored", "full")
        .first()
    )


def canonical_definitions(iris: set[str]) -> dict[str, dict]:
    keys = {indexing.activity_key(iri): iri for iri in iris}
    return {a.iri: json.loads(a.definition) for a in Activity.objects.filter(key__in=keys)}


def activity(iri: str) -> dict:
    """The Activity object for an IRI: its canonical definition, or just its id if unknown."""
    found = Activity.objects.filter(key=indexing.activity_key(iri)).first()
    out = {"objectType": "Activity", "id": iri}
    if found is not None:
        definition = json.loads(found.definition)
        if definition:
            out["definition"] = definition
    return out


def attachment_payloads(sha2s: set[str]) -> list[AttachmentPayload]:
    return list(AttachmentPayload.objects.filter(sha2__in=sha2s))


def document(kind: str, scope: dict, doc_id: str) -> Document | None:
    return Document.objects.filter(kind=kind, doc_key=indexing.doc_key(doc_id), **scope).first()


def document_ids(kind: str, scope: dict, since: datetime | None) -> tuple[list[str], datetime]:
    qs = Document.objects.filter(kind=kind, **scope)
    if since is not None:
        qs = qs.filter(updated__gt=since)
    rows = list(qs.order_by("updated", "id").values_list("doc_id", "updated"))
    latest = max((updated for _d, updated in rows), default=None)
    return [doc for doc, _u in rows], latest
