"""New outcomes as the database stores them, made without model instances and inserted fast.

bulk_create built a model instance per row and ran every value through its INSERT compiler; for
a large file that was most of the import's time. Here each field gets what the model would give
it (the value given, else its default, ``now`` for auto_now fields) and every value that is not
a plain str/int/bool/None is prepared by the field's own get_db_prep_save, as the compiler does.
Making rows needs no database round trip, so an import can make them in its reading process.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import connections, router
from django.db.models import DateTimeField
from django.utils import timezone

from learncity.records.models import Outcome

INSERT_ROWS = 2000  # rows per INSERT statement outside SQLite
_PLAIN = (str, int, bool, type(None))  # values every field and driver stores unchanged
_REPEATING = (Decimal, date)  # values prepared once each and remembered
MEMO_LIMIT = 50_000
GIVEN, NOW, CONSTANT, CALL = range(4)


class OutcomeRows:
    """Rows of the outcome table's columns (all but the id), for values given by attname."""

    def __init__(self) -> None:
        self.connection = connections[router.db_for_write(Outcome)]
        self.fields = [f for f in Outcome._meta.concrete_fields if not f.primary_key]
        self.learner_column = [f.attname for f in self.fields].index("learner_id")
        self._plan = None
        self._memo: dict = {}

    def _plan_for(self, given_keys) -> list:
        """Per column: (GIVEN, field, key) for a value given, (NOW, field, None) for auto_now
        fields, (CONSTANT, prepared default, None), or (CALL, field, default function)."""
        plan = []
        for f in self.fields:
            if f.attname in given_keys:
                plan.append((GIVEN, f, f.attname))
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                plan.append((NOW, f, None))
            elif f.has_default() and callable(f.default):  # e.g. a new uuid4 for every row
                plan.append((CALL, f, f.default))
            else:
                plan.append((CONSTANT, self._prepare(f, f.get_default(), {}), None))
        return plan

    def _prepare(self, field, value, memo: dict):
        if type(value) in _PLAIN:
            return value
        if type(value) in _REPEATING:  # the same dates and hours come back row after row
            prepared = memo.get((field.attname, value))
            if prepared is None:
                prepared = memo[(field.attname, value)] = field.get_db_prep_save(
                    value, self.connection
                )
            return prepared
        return field.get_db_prep_save(value, self.connection)

    def make(self, values: list[dict]) -> list[list]:
        """Database values for each dict of field values (one `now` for the whole list); every
        dict has the same keys (matching.outcome_fields makes them)."""
        if not values:
            return []
        if self._plan is None:
            self._plan = self._plan_for(values[0])
        if len(self._memo) > MEMO_LIMIT:
            self._memo.clear()
        prepare, memo, now = self._prepare, self._memo, timezone.now()
        plan = [
            (GIVEN, f, key)
            if what == GIVEN
            else (
                CONSTANT,
                prepare(f, now if isinstance(f, DateTimeField) else now.date(), memo),
                None,
            )
            if what == NOW
            else (what, f, key)
            for what, f, key in self._plan
        ]
        rows = []
        for given in values:
            row = []
            for what, f, key in plan:
                if what == GIVEN:
                    value = given[key]
                    row.append(value if type(value) in _PLAIN else prepare(f, value, memo))
                elif what == CONSTANT:
                    row.append(f)
                else:
                    row.append(prepare(f, key(), memo))
            rows.append(row)
        return rows

    def insert(self, rows: list[list]) -> None:
        """Insert rows made by make(): SQLite runs one prepared statement for every row;
        PostgreSQL gets one INSERT ... SELECT FROM UNNEST(column arrays) per INSERT_ROWS rows,
        as bulk_create does there; other databases multi-row VALUES. No signals are sent,
        as bulk_create sends none."""
        if not rows:
            return
        connection, quote = self.connection, self.connection.ops.quote_name
        head = "INSERT INTO {} ({}) ".format(
            quote(Outcome._meta.db_table), ", ".join(quote(f.column) for f in self.fields)
        )
        one = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.executemany(head + "VALUES " + one, rows)
                return
            if connection.vendor == "postgresql":
                types = [f.db_type(connection).split("(")[0] for f in self.fields]
                unnest = ", ".join(f"(%s)::{t}[]" for t in types)
                for start in range(0, len(rows), INSERT_ROWS):
                    columns = zip(*rows[start : start + INSERT_ROWS], strict=True)
                    cursor.execute(
                        f"{head}SELECT * FROM UNNEST({unnest})", [list(c) for c in columns]
                    )
                return
            for start in range(0, len(rows), INSERT_ROWS):
                part = rows[start : start + INSERT_ROWS]
                cursor.execute(
                    head + "VALUES " + ", ".join([one] * len(part)), [v for r in part for v in r]
                )
