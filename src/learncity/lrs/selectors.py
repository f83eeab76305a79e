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

from django.db.models import Max, Q

from learncity.lrs import indexing
from learncity.lrs.models import Activity, AttachmentPayload, Document, Statement, StatementIndex

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


def _with_key(qs, kinds: tuple[str, ...], key: str):
    return qs.filter(
        pk__in=StatementIndex.objects.filter(kind__in=kinds, key=key).values("statement_id")
    )


def _filtered(query: StatementQuery):
    qs = Statement.objects.filter(voided=False)
    if query.agent is not None:
        kinds = ("a", "A") if query.related_agents else ("a",)
        qs = _with_key(qs, kinds, indexing.agent_key(query.agent) or "")
    if query.activity is not None:
        kinds = ("o", "O") if query.related_activities else ("o",)
        qs = _with_key(qs, kinds, indexing.activity_key(query.activity))
    if query.verb is not None:
        qs = _with_key(qs, ("v",), indexing.activity_key("verb:" + query.verb))
    if query.registration is not None:
        qs = _with_key(qs, ("r",), str(uuid.UUID(query.registration)))
    if query.since is not None:
        qs = qs.filter(stored__gt=query.since)
    if query.until is not None:
        qs = qs.filter(stored__lte=query.until)
    return qs


def ceiling() -> int:
    return Statement.objects.aggregate(top=Max("id"))["top"] or 0


def find_statements(query: StatementQuery) -> tuple[list[Statement], bool]:
    """One page of statements and whether more follow."""
    qs = _filtered(query)
    if query.ceiling is not None:
        qs = qs.filter(pk__lte=query.ceiling)
    if query.after is not None:
        stored, pk = query.after
        if query.ascending:
            qs = qs.filter(Q(stored__gt=stored) | Q(stored=stored, pk__gt=pk))
        else:
            qs = qs.filter(Q(stored__lt=stored) | Q(stored=stored, pk__lt=pk))
    order = ("stored", "id") if query.ascending else ("-stored", "-id")
    limit = min(query.limit or MAX_LIMIT, MAX_LIMIT)
    rows = list(qs.order_by(*order).only("id", "stored", "full")[: limit + 1])
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
