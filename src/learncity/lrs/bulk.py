"""Fast inserts for the LRS's write path: COPY on PostgreSQL, one prepared statement on SQLite.

Storing a batch of statements used to spend most of its time in ``bulk_create``: a model
instance per row, every value through the INSERT compiler, and on PostgreSQL the psycopg
client-side quoting of one text array per column (a regular expression per value). Here, as in
``records.importer._insert_outcomes``, each field gets what the model would give it (the value
given, else its default, ``now`` for auto_now/auto_now_add fields) and every value the field
would not store as it is (a str in a text field, an int in an integer or foreign key field, a
bool in a boolean one, None) goes through the field's own ``get_db_prep_save``, as the
compiler does (UUIDs become 32-hex text on SQLite, datetimes naive UTC text there, and so on).
Then:

- PostgreSQL: a binary ``COPY table (columns) FROM STDIN`` through psycopg's C dumpers. When the
  caller needs the primary keys (statements, for their index rows), they are drawn from the
  table's own sequence first (``nextval`` in one query, as the INSERT would have drawn them)
  and copied in explicitly, ascending in row order. A few rows (a single statement and its
  index rows) go in one multi-row ``INSERT ... RETURNING id`` instead: one round trip, where
  nextval and a COPY take three.
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

_NONE = type(None)
_SEQUENCES: dict[tuple[str, str], str] = {}
_FEW = 16  # rows: up to this many, PostgreSQL gets one INSERT (see _insert_few), not a COPY
_TEXT_FIELDS = {"CharField", "TextField", "SlugField", "EmailField", "URLField"}
_INTEGER_FIELDS = {
    "BigIntegerField",
    "IntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
    "ForeignKey",
    "OneToOneField",
}


def _plain(field) -> tuple[type, ...]:
    """The Python types a field stores unchanged; any other value goes through the field."""
    internal = field.get_internal_type()
    if internal in _TEXT_FIELDS:
        return (str, _NONE)
    if internal in _INTEGER_FIELDS:
        return (int, _NONE)
    if internal == "BooleanField":
        return (bool, _NONE)
    return (_NONE,)


def _column(field, values: list, connection) -> list:
    """One column's values as the driver takes them: plain ones as they are, others through
    the field (once for a run of rows sharing one object: a batch's time, its credential)."""
    plain = _plain(field)
    out = []
    last, prepared = _NONE, None  # _NONE: no value seen yet
    for value in values:
        if type(value) in plain:
            out.append(value)
        elif value is last:
            out.append(prepared)
        else:
            last, prepared = value, field.get_db_prep_save(value, connection)
            out.append(prepared)
    return out


def _columns(model: type[Model], names: list[str], rows: list, connection):
    """(fields, columns of values): the named fields from the rows, every other concrete field
    but the primary key as the model would fill it (its default; now for auto_now(_add))."""
    from django.utils import timezone

    given = dict(zip(names, zip(*rows, strict=True), strict=True))
    fields, columns = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        if f.attname in given:
            values = list(given.pop(f.attname))
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            make = timezone.now if isinstance(f, DateTimeField) else date.today
            values = [make() for _row in rows]
        else:
            values = [f.get_default() for _row in rows]
        fields.append(f)
        columns.append(_column(f, values, connection))
    if given:
        raise ValueError(f"{model.__name__} has no concrete fields {sorted(given)}")
    return fields, columns


def _binary_types(fields, connection) -> list[str] | None:
    """PostgreSQL type names for a binary COPY of these fields (None: copy as text)."""
    names = []
    for f in fields:
        db_type = f.db_type(connection)
        if not db_type:
            return None
        names.append(db_type.split("(")[0].strip())
    return names


def _sequence(connection, table: str) -> str:
    name = _SEQUENCES.get((connection.alias, table))
    if name is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            name = cursor.fetchone()[0]
        _SEQUENCES[(connection.alias, table)] = name
    return name


def insert(model: type[Model], values: list[dict], *, keys: bool = False) -> list[int] | None:
    """Insert one row per dict (all dicts with the same keys, field attnames); return the new
    primary keys in row order when ``keys`` is true."""
    if not values:
        return [] if keys else None
    names = list(values[0])
    return insert_rows(model, names, [[v[n] for n in names] for v in values], keys=keys)


def insert_rows(
    model: type[Model], names: list[str], rows: list, *, keys: bool = False
) -> list[int] | None:
    """Like insert(), with each row a sequence of the values of the fields ``names``."""
    if not rows:
        return [] if keys else None
    connection = connections[router.db_for_write(model)]
    fields, columns = _columns(model, names, rows, connection)
    quote = connection.ops.quote_name
    table = model._meta.db_table
    if connection.vendor == "postgresql" and len(rows) <= _FEW:
        return _insert_few(connection, model, fields, columns, keys)
    if connection.vendor == "postgresql":
        pks = None
        if keys:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(%s) FROM generate_series(1, %s)",
                    [_sequence(connection, table), len(rows)],
                )
                pks = sorted(r[0] for r in cursor.fetchall())
            fields.insert(0, model._meta.pk)
            columns.insert(0, pks)
        names_sql = ", ".join(quote(f.column) for f in fields)
        types = _binary_types(fields, connection)
        # Binary COPY: psycopg's C dumpers write each value as PostgreSQL stores it, a third
        # of the client time of text COPY and less parsing for the server.
        binary = " (FORMAT BINARY)" if types else ""
        sql = f"COPY {quote(table)} ({names_sql}) FROM STDIN{binary}"
        with (
            connection.cursor() as cursor,
            connection.wrap_database_errors,
            cursor.cursor.copy(sql) as copy,
        ):
            if types:
                copy.set_types(types)
            for row in zip(*columns, strict=True):
                copy.write_row(row)
        return pks
    if connection.vendor == "sqlite":
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote(table),
            ", ".join(quote(f.column) for f in fields),
            ", ".join(["%s"] * len(fields)),
        )
        with connection.cursor() as cursor:
            cursor.executemany(sql, list(zip(*columns, strict=True)))
            if not keys:
                return None
            cursor.execute("SELECT last_insert_rowid()")
            last = cursor.fetchone()[0]
        return list(range(last - len(rows) + 1, last + 1))
    objects = [model(**dict(zip(names, row, strict=True))) for row in rows]  # pragma: no cover
    model._default_manager.bulk_create(objects)
    return [o.pk for o in objects] if keys else None


def _insert_few(connection, model, fields, columns, keys: bool) -> list[int] | None:
    """A few rows (a single statement's): one multi-row INSERT, its keys returned by the same
    round trip, instead of nextval, then a COPY (two more)."""
    quote = connection.ops.quote_name
    row_sql = "({})".format(", ".join(["%s"] * len(fields)))
    rows = list(zip(*columns, strict=True))
    sql = "INSERT INTO {} ({}) VALUES {}".format(
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join([row_sql] * len(rows)),
    )
    if keys:
        sql += f" RETURNING {quote(model._meta.pk.column)}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in rows for value in row])
        # The keys are drawn in VALUES order, as bulk_create relies on; sorted as COPY's are.
        return sorted(r[0] for r in cursor.fetchall()) if keys else None


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
    convert = [converter(f) for f in fields]
    return [tuple(c(v) if c else v for c, v in zip(convert, row, strict=True)) for row in rows]


def converter(field):
    """What Django's SQLite converters do for the field types select_in is used with (None:
    the value as it comes)."""
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
