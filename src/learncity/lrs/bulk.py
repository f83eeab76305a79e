"""Fast inserts for the LRS's write path: COPY on PostgreSQL, one prepared statement on SQLite.

Storing a batch of statements used to spend most of its time in ``bulk_create``: a model
instance per row, every value through the INSERT compiler, and on PostgreSQL the psycopg
client-side quoting of one text array per column (a regular expression per value). Here, as in
``records.importer._insert_outcomes``, each field gets what the model would give it (the value
given, else its default, ``now`` for auto_now/auto_now_add fields) and every value that is not
a plain str/int/bool/None goes through the field's own ``get_db_prep_save``, as the compiler
does (UUIDs become 32-hex text on SQLite, datetimes naive UTC text there, and so on). Then:

- PostgreSQL: ``COPY table (columns) FROM STDIN`` through psycopg's C row formatter. When the
  caller needs the primary keys (statements, for their index rows), they are drawn from the
  table's own sequence first (``nextval`` in one query, as the INSERT would have drawn them)
  and copied in explicitly, ascending in row order.
- SQLite: one ``executemany`` of a prepared INSERT. Writes there hold the database lock from
  BEGIN (``transaction_mode`` IMMEDIATE in settings) and the key is AUTOINCREMENT, so the keys
  of rows inserted in one call are consecutive and end at ``last_insert_rowid()``.
- Other databases: ``bulk_create``.

No signals are sent (``bulk_create`` sends none either). Errors arrive as Django's database
exceptions (an ``IntegrityError`` for a duplicate key, as with the ORM). Callers must be inside
a transaction (``transaction.atomic``) when they ask for keys.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from django.db import connections, router
from django.db.models import DateTimeField, Model

_PLAIN = (str, int, bool, type(None))  # values every field and driver stores unchanged
_SEQUENCES: dict[tuple[str, str], str] = {}


def _plan(model: type[Model], keys) -> list[tuple]:
    """(field, key in the given values or None, else what makes its value) per column."""
    plan = []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        if f.attname in keys:
            plan.append((f, f.attname, None))
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            from django.utils import timezone

            plan.append((f, None, timezone.now if isinstance(f, DateTimeField) else date.today))
        else:
            plan.append((f, None, f.get_default))
    return plan


def _prepared(plan, values: list[dict], connection) -> list[list]:
    rows = []
    last: list = [(None, None)] * len(plan)  # per column: (value, prepared), reused while the
    for given in values:  # rows share one object (a batch's stored time, its credential)
        row = []
        for n, (f, key, make) in enumerate(plan):
            value = given[key] if make is None else make()
            if type(value) in _PLAIN:
                row.append(value)
            elif last[n][0] is value:
                row.append(last[n][1])
            else:
                prepared = f.get_db_prep_save(value, connection)
                last[n] = (value, prepared)
                row.append(prepared)
        rows.append(row)
    return rows


def _sequence(connection, table: str) -> str:
    name = _SEQUENCES.get((connection.alias, table))
    if name is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            name = cursor.fetchone()[0]
        _SEQUENCES[(connection.alias, table)] = name
    return name


def insert(model: type[Model], values: list[dict], *, keys: bool = False) -> list[int] | None:
    """Insert one row per dict (all dicts with the same keys); return the new primary keys in
    row order when ``keys`` is true."""
    if not values:
        return [] if keys else None
    connection = connections[router.db_for_write(model)]
    plan = _plan(model, values[0].keys())
    rows = _prepared(plan, values, connection)
    quote = connection.ops.quote_name
    table = model._meta.db_table
    columns = [quote(f.column) for f, _k, _m in plan]
    if connection.vendor == "postgresql":
        pks = None
        if keys:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(%s) FROM generate_series(1, %s)",
                    [_sequence(connection, table), len(rows)],
                )
                pks = sorted(r[0] for r in cursor.fetchall())
            columns.insert(0, quote(model._meta.pk.column))
            rows = [[pk, *row] for pk, row in zip(pks, rows, strict=True)]
        sql = f"COPY {quote(table)} ({', '.join(columns)}) FROM STDIN"
        with (
            connection.cursor() as cursor,
            connection.wrap_database_errors,
            cursor.cursor.copy(sql) as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return pks
    if connection.vendor == "sqlite":
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote(table), ", ".join(columns), ", ".join(["%s"] * len(columns))
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
            if not keys:
                return None
            cursor.execute("SELECT last_insert_rowid()")
            last = cursor.fetchone()[0]
        return list(range(last - len(rows) + 1, last + 1))
    objects = [model(**v) for v in values]  # pragma: no cover - neither SQLite nor PostgreSQL
    model._default_manager.bulk_create(objects)
    return [o.pk for o in objects] if keys else None


def select_in(model: type[Model], columns: list[str], field: str, values) -> list[tuple]:
    """The ``columns`` (field names) of the rows of ``model`` whose ``field`` is one of
    ``values``, as Python values (UUIDs as UUID, booleans as bool on SQLite too).

    For UUIDs and hex keys only (no commas): PostgreSQL gets the whole list as one text
    parameter (``= ANY(string_to_array(...))``), so a long list costs nothing to quote.
    """
    values = list(values)
    if not values:
        return []
    connection = connections[router.db_for_read(model)]
    opts = model._meta
    fields = [opts.get_field(c) for c in columns]
    target = opts.get_field(field)
    quote = connection.ops.quote_name
    head = "SELECT {} FROM {} WHERE {} ".format(
        ", ".join(quote(f.column) for f in fields), quote(opts.db_table), quote(target.column)
    )
    if connection.vendor == "postgresql":
        joined = ",".join(str(v) for v in values)
        if joined.count(",") != len(values) - 1:
            raise ValueError("select_in takes values without commas")
        base = target.db_type(connection).split("(")[0]
        sql, params = head + f"= ANY(string_to_array(%s, ',')::{base}[])", [joined]
    else:
        sql = head + "IN ({})".format(", ".join(["%s"] * len(values)))
        params = [target.get_db_prep_value(v, connection) for v in values]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if connection.vendor == "postgresql":
        return rows
    convert = [_converter(f) for f in fields]
    return [tuple(c(v) if c else v for c, v in zip(convert, row, strict=True)) for row in rows]


def _converter(field):
    """What Django's SQLite converters do for the field types select_in is used with."""
    from django.db.models import BooleanField, UUIDField
    from django.utils.dateparse import parse_datetime

    if isinstance(field, UUIDField):
        return lambda v: v if v is None or isinstance(v, uuid.UUID) else uuid.UUID(v)
    if isinstance(field, BooleanField):
        return lambda v: v if v is None else bool(v)
    if isinstance(field, DateTimeField):  # stored as naive UTC text (USE_TZ)
        return lambda v: (
            v if v is None else _utc(v if isinstance(v, datetime) else parse_datetime(v))
        )
    return None


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
