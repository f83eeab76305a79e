"""Writing and verifying the hash-chained credit ledger.

Writers lock the learners' rows first (SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
transactions serialise writers anyway), so two transactions never take the same sequence number,
and the unique (learner, seq) constraint is the last guard.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connections, router
from django.db.models import DateTimeField, Max
from django.utils import timezone

from learncity.creditbank.chain import (
    GENESIS,
    ChainedEntry,
    ChainProblem,
    entry_hash,
    verify_account,
)
from learncity.creditbank.models import LedgerEntry
from learncity.identity.models import Learner


@dataclass(frozen=True)
class Draft:
    learner_id: int
    entry_type: str
    outcome_id: int
    recognition_id: int
    category: str
    level: int
    credits: Decimal
    year: int


def content(
    learner_id,
    seq,
    entry_type,
    outcome_id,
    recognition_id,
    category,
    level,
    credits,
    year,
    booked_on,
) -> dict:
    """The fields a ledger hash covers, in one canonical shape for writing and verifying."""
    return {
        "learner": learner_id,
        "seq": seq,
        "type": entry_type,
        "outcome": outcome_id,
        "recognition": recognition_id,
        "category": category,
        "level": level,
        "credits": Decimal(credits).quantize(Decimal("0.1")),
        "year": year,
        "booked_on": str(booked_on),
    }


def lock_learners(learner_ids: Iterable[int]) -> None:
    list(Learner.objects.select_for_update().filter(pk__in=set(learner_ids)).values_list("pk"))


def _heads(learner_ids: set[int]) -> dict[int, tuple[int, str]]:
    """Last (seq, hash) of each learner's chain."""
    last = dict(
        LedgerEntry.objects.filter(learner_id__in=learner_ids)
        .values("learner_id")
        .annotate(m=Max("seq"))
        .values_list("learner_id", "m")
    )
    if not last:
        return {}
    rows = LedgerEntry.objects.filter(learner_id__in=last.keys(), seq__in=set(last.values()))
    return {
        lid: (seq, h)
        for lid, seq, h in rows.values_list("learner_id", "seq", "entry_hash")
        if last[lid] == seq
    }


_PLAIN = (str, int, bool, type(None))  # values every field and driver stores unchanged
INSERT_ROWS = 1000  # rows per multi-row INSERT … RETURNING statement


def insert_rows(model, rows: list[dict], returning: tuple[str, ...] = ()) -> list[tuple]:
    """Insert rows as ``bulk_create([model(**row) ...])`` would, only faster; every row has the
    same keys (attnames). Return the ``returning`` columns of each inserted row (any order).

    Like records.importer._insert_outcomes: each field gets the value given, else its default
    (``now`` for auto_now fields, the same for the whole call), and every value that is not a
    plain str/int/bool/None is prepared by the field's own get_db_prep_save, as bulk_create's
    compiler does; no model instances and no signals (bulk_create sends none either). Rows
    with ``returning`` go in as multi-row INSERT … RETURNING; the others with one prepared
    statement (SQLite), COPY (PostgreSQL) or multi-row INSERTs (other databases).
    """
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    if returning and not connection.features.can_return_rows_from_bulk_insert:
        made = model.objects.bulk_create([model(**row) for row in rows])
        return [tuple(getattr(m, name) for name in returning) for m in made]
    now = timezone.now()
    plan = []  # (field, key in the rows, or None and the prepared value for every row)
    for f in model._meta.concrete_fields:
        if f.primary_key and f.attname not in rows[0]:
            continue
        if f.attname in rows[0]:
            plan.append((f, f.attname, None))
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now if isinstance(f, DateTimeField) else date.today()
        else:
            value = f.get_default()
        plan.append((f, None, f.get_db_prep_save(value, connection)))
    values = []
    for row in rows:
        out = []
        for f, key, fixed in plan:
            if key is None:
                out.append(fixed)
            else:
                value = row[key]
                out.append(
                    value if type(value) in _PLAIN else f.get_db_prep_save(value, connection)
                )
        values.append(out)
    quote = connection.ops.quote_name
    head = "INSERT INTO {} ({}) VALUES ".format(
        quote(model._meta.db_table), ", ".join(quote(f.column) for f, _k, _v in plan)
    )
    one = "(" + ", ".join(["%s"] * len(plan)) + ")"
    with connection.cursor() as cursor:
        if returning:
            tail = " RETURNING " + ", ".join(
                quote(model._meta.get_field(name).column) for name in returning
            )
            found: list[tuple] = []
            for start in range(0, len(values), INSERT_ROWS):
                part = values[start : start + INSERT_ROWS]
                cursor.execute(
                    head + ", ".join([one] * len(part)) + tail, [v for r in part for v in r]
                )
                found += cursor.fetchall()
            return found
        if connection.vendor == "sqlite":
            cursor.executemany(head + one, values)
        elif connection.vendor == "postgresql":
            columns = ", ".join(quote(f.column) for f, _k, _v in plan)
            copy = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
            with cursor.cursor.copy(copy) as stream:
                for out in values:
                    stream.write_row(out)
        else:
            for start in range(0, len(values), INSERT_ROWS):
                part = values[start : start + INSERT_ROWS]
                cursor.execute(head + ", ".join([one] * len(part)), [v for r in part for v in r])
    return []


def append(drafts: list[Draft]) -> int:
    """Chain and insert entries; call inside the transaction that made the decisions.

    Returns how many entries were written.
    """
    if not drafts:
        return 0
    learner_ids = {d.learner_id for d in drafts}
    lock_learners(learner_ids)
    heads = _heads(learner_ids)
    today = timezone.localdate()
    rows = []
    for d in drafts:
        seq, prev = heads.get(d.learner_id, (0, GENESIS))
        seq += 1
        body = content(
            d.learner_id,
            seq,
            d.entry_type,
            d.outcome_id,
            d.recognition_id,
            d.category,
            d.level,
            d.credits,
            d.year,
            today,
        )
        digest = entry_hash(prev, body)
        rows.append(
            {
                "learner_id": d.learner_id,
                "seq": seq,
                "entry_type": d.entry_type,
                "outcome_id": d.outcome_id,
                "recognition_id": d.recognition_id,
                "category": d.category,
                "level": d.level,
                "credits": body["credits"],
                "year": d.year,
                "booked_on": today,
                "prev_hash": prev,
                "entry_hash": digest,
            }
        )
        heads[d.learner_id] = (seq, digest)
    insert_rows(LedgerEntry, rows)
    return len(rows)


FIELDS = (
    "pk",
    "learner_id",
    "seq",
    "entry_type",
    "outcome_id",
    "recognition_id",
    "category",
    "level",
    "credits",
    "year",
    "booked_on",
    "prev_hash",
    "entry_hash",
)


def _chained(row) -> ChainedEntry:
    pk, learner_id, seq, *rest = row
    *body, prev, digest = rest
    return ChainedEntry(pk, seq, content(learner_id, seq, *body), prev, digest)


def verify(
    learner_ids: Iterable[int] | None = None, progress: Callable[[int], None] | None = None
) -> tuple[int, list[tuple[int, ChainProblem]]]:
    """Verify every chain (or the given learners'); return (entries read, problems by learner)."""
    rows = LedgerEntry.objects.order_by("learner_id", "seq")
    if learner_ids is not None:
        rows = rows.filter(learner_id__in=list(learner_ids))
    problems: list[tuple[int, ChainProblem]] = []
    current, chain, count = None, [], 0
    for row in rows.values_list(*FIELDS).iterator(chunk_size=20000):
        if row[1] != current:
            problems += [(current, p) for p in verify_account(chain)]
            current, chain = row[1], []
        chain.append(_chained(row))
        count += 1
        if progress and count % 100000 == 0:
            progress(count)
    problems += [(current, p) for p in verify_account(chain)]
    if progress:
        progress(count)
    return count, problems
