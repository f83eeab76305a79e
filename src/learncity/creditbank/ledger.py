"""Writing and verifying the hash-chained credit ledger.

Writers lock the learners' rows first (SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
transactions serialise writers anyway), so two transactions never take the same sequence number,
and the unique (learner, seq) constraint is the last guard.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import connections, router
from django.db.models import DateTimeField
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from learncity.creditbank.chain import (
    GENESIS,
    ChainedEntry,
    ChainProblem,
    canonical_entry,
    credits_text,
    entry_hash,
    plain_text,
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


def select_in(model, sql: str, column: str, ids: list, *, lock: bool = False) -> list[tuple]:
    """Run ``sql`` with ``{in}`` replaced by "column is one of ids", for thousands of ids at a
    time: the ORM's ``__in`` prepares every value on its own, which was a tenth of the batch.

    PostgreSQL gets one array (= ANY(%s)), other databases a list of placeholders. With
    ``lock``, the rows are locked as select_for_update() would (FOR UPDATE where the database
    has row locks, refused outside a transaction as Django refuses it).
    """
    connection = connections[router.db_for_write(model)]
    if connection.vendor == "postgresql":
        where, params = f"{column} = ANY(%s)", [list(ids)]
    else:
        where, params = f"{column} IN ({', '.join(['%s'] * len(ids))})", list(ids)
    sql = sql.format(**{"in": where})
    if lock and connection.features.has_select_for_update:
        _require_transaction(connection, "select_for_update")
        sql += " " + connection.ops.for_update_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def lock_learners(learner_ids: Iterable[int]) -> None:
    """Lock the learners' rows, as select_for_update().filter(pk__in=...) would.

    Where the database has no row locks (SQLite) there is nothing to take: its writers are
    serialised by the IMMEDIATE transaction itself, and the plain SELECT select_for_update()
    would run there only costs a batch time while it holds the one write lock."""
    connection = connections[router.db_for_write(Learner)]
    if not connection.features.has_select_for_update:
        _require_transaction(connection, "select_for_update")
        return
    ids = sorted(set(learner_ids))
    if ids:
        select_in(
            Learner, f"SELECT id FROM {Learner._meta.db_table} WHERE {{in}}", "id", ids, lock=True
        )


def _heads(learner_ids: set[int]) -> dict[int, tuple[int, str]]:
    """Last (seq, hash) of each learner's chain: one query, two index probes per learner."""
    if not learner_ids:
        return {}
    last = (
        f"FROM {LedgerEntry._meta.db_table} e WHERE e.learner_id = l.id ORDER BY e.seq DESC LIMIT 1"
    )
    rows = select_in(
        Learner,
        f"SELECT l.id, (SELECT e.seq {last}), (SELECT e.entry_hash {last}) "
        f"FROM {Learner._meta.db_table} l WHERE {{in}}",
        "l.id",
        sorted(learner_ids),
    )
    return {lid: (seq, h) for lid, seq, h in rows if seq is not None}


_PLAIN = (str, int, bool, type(None))  # values every field and driver stores unchanged
_PLAIN_TYPES = frozenset(_PLAIN)
_NO_DUMPS = object()
INSERT_ROWS = 1000  # rows per multi-row INSERT where there is neither executemany nor COPY


def _require_transaction(connection, what: str) -> None:
    """Refuse, as Django refuses select_for_update, what only means something inside one."""
    if connection.get_autocommit() and connection.features.supports_transactions:
        raise TransactionManagementError(f"{what} cannot be used outside of a transaction.")


def _new_pks(connection, model, count: int) -> list[int]:
    """`count` fresh primary keys from the table's own sequence (PostgreSQL), ascending."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return sorted(pk for (pk,) in cursor.fetchall())


def _prepared(field, values: list, connection) -> list:
    """The column's values as bulk_create's compiler would send them: plain ones unchanged,
    the others through the field's get_db_prep_save — once per distinct value, then mapped
    back at C speed. Decimals are told apart by value (equal amounts are stored alike in a
    fixed-scale column, and a batch makes a fresh Decimal per entry), other objects by
    identity (a batch shares one timestamp and one explanation dict per kind of decision)."""
    kinds = set(map(type, values))
    if kinds <= _PLAIN_TYPES:  # the common case, checked at C speed
        return values
    if kinds <= {Decimal, type(None)}:
        ready = {v: field.get_db_prep_save(v, connection) for v in set(values)}
        return list(map(ready.__getitem__, values))
    objects = {id(v): v for v in values}  # the list keeps them alive, so ids stay theirs
    ready = {
        key: v if type(v) in _PLAIN else _copy_ready(field.get_db_prep_save(v, connection))
        for key, v in objects.items()
    }
    return list(map(ready.__getitem__, map(id, values)))


def _copy_ready(value):
    """psycopg's JSON wrapper as its JSON text: COPY would otherwise encode the same
    explanation again for every row that shares it (one dict for thousands of decisions)."""
    dumps = getattr(value, "dumps", _NO_DUMPS)
    if dumps is _NO_DUMPS or not hasattr(value, "obj"):
        return value
    return (dumps or json.dumps)(value.obj)


def insert_rows(model, rows: list[dict], *, keys: bool = False) -> list[int] | None:
    """Insert rows as ``bulk_create([model(**row) ...])`` would, only faster; every row has the
    same keys (attnames). With ``keys``, returns the new rows' keys in row order (inside a
    transaction): PostgreSQL draws them from the table's sequence first and copies them in;
    on SQLite nobody else inserts inside the caller's IMMEDIATE transaction and the key is
    AUTOINCREMENT, so one executemany's keys are consecutive and end at last_insert_rowid().
    Other databases return None.

    Like records.importer._insert_outcomes: each field gets the value given, else its default
    (``now`` for auto_now fields, the same for the whole call), and every value that is not a
    plain str/int/bool/None is prepared by the field's own get_db_prep_save, as bulk_create's
    compiler does (once per object, see _prepared). No model instances and no signals
    (bulk_create sends none either). SQLite runs one prepared statement for all rows,
    PostgreSQL takes them by COPY, other databases by multi-row INSERTs.
    """
    if not rows:
        return [] if keys else None
    connection = connections[router.db_for_write(model)]
    if keys:
        _require_transaction(connection, "new keys")
    pks = None
    if keys and connection.vendor == "postgresql":
        pks = _new_pks(connection, model, len(rows))
    now = timezone.now()
    fields, columns = [], []
    for f in model._meta.concrete_fields:
        if f.attname in rows[0]:
            column = _prepared(f, [row[f.attname] for row in rows], connection)
        elif f.primary_key:
            if pks is None:
                continue
            column = pks
        else:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                value = now if isinstance(f, DateTimeField) else date.today()
            else:
                value = f.get_default()
            column = [f.get_db_prep_save(value, connection)] * len(rows)
        fields.append(f)
        columns.append(column)
    values = list(zip(*columns, strict=True))
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(f.column) for f in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES {one}", values)
            if keys:
                cursor.execute("SELECT last_insert_rowid()")
                last = cursor.fetchone()[0]
                return list(range(last - len(rows) + 1, last + 1))
        elif connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as stream:
                for row in values:
                    stream.write_row(row)
        else:
            for start in range(0, len(values), INSERT_ROWS):
                part = values[start : start + INSERT_ROWS]
                cursor.execute(
                    f"INSERT INTO {table} ({names}) VALUES " + ", ".join([one] * len(part)),
                    [v for r in part for v in r],
                )
    return pks


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
    hashing = _Hashing(str(today))
    rows = []
    for d in drafts:
        seq, prev = heads.get(d.learner_id, (0, GENESIS))
        seq += 1
        credits, digest = hashing.entry(d, seq, prev)
        rows.append(
            {
                "learner_id": d.learner_id,
                "seq": seq,
                "entry_type": d.entry_type,
                "outcome_id": d.outcome_id,
                "recognition_id": d.recognition_id,
                "category": d.category,
                "level": d.level,
                "credits": credits,
                "year": d.year,
                "booked_on": today,
                "prev_hash": prev,
                "entry_hash": digest,
            }
        )
        heads[d.learner_id] = (seq, digest)
    insert_rows(LedgerEntry, rows)
    return len(rows)


_TENTH = Decimal("0.1")


class _Hashing:
    """entry_hash(prev, content(...)) for one append, without a dict per entry: a batch hashes
    millions of entries while it holds the write lock. Amounts and texts repeat, so their
    canonical forms are worked out once; anything unusual goes the long way."""

    def __init__(self, booked_on: str):
        self.booked_on = booked_on
        self.amounts: dict = {}
        self.plain: dict[str, bool] = {}
        self.usual_day = self._plain(booked_on)

    def entry(self, d: Draft, seq: int, prev: str) -> tuple[Decimal, str]:
        amount = self.amounts.get(d.credits)
        if amount is None:
            quantized = Decimal(d.credits).quantize(_TENTH)
            amount = self.amounts[d.credits] = (quantized, credits_text(quantized))
        usual = (
            self.usual_day
            and type(d.learner_id) is type(d.outcome_id) is type(d.recognition_id) is int
            and type(d.level) is type(d.year) is int
            and self._plain(d.category)
            and self._plain(d.entry_type)
        )
        if not usual:
            body = content(
                d.learner_id, seq, d.entry_type, d.outcome_id, d.recognition_id,
                d.category, d.level, d.credits, d.year, self.booked_on,
            )  # fmt: skip
            return amount[0], entry_hash(prev, body)
        text = canonical_entry(
            self.booked_on, d.category, amount[1], d.learner_id, d.level,
            d.outcome_id, d.recognition_id, seq, d.entry_type, d.year,
        )  # fmt: skip
        return amount[0], hashlib.sha256((prev + text).encode()).hexdigest()

    def _plain(self, text) -> bool:
        found = self.plain.get(text)
        if found is None:
            found = self.plain[text] = type(text) is str and plain_text(text)
        return found


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
