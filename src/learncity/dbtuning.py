"""Database settings that only long batch work needs, applied around it and then undone."""

from __future__ import annotations

import contextlib


@contextlib.contextmanager
def larger_page_cache(connection, kilobytes: int):
    """Raise SQLite's page cache (2 MB by default) for the duration of a big import or batch.

    Both write index entries at random places (an outcome under its learner, a ledger entry
    under its account); once those indexes outgrow 2 MB, nearly every page is read back from
    the file system before it is changed. Restored afterwards, so the connection's other work
    keeps the usual memory. Other databases size their caches on the server: nothing to do.
    """
    if connection.vendor != "sqlite" or not kilobytes:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = -{int(kilobytes)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def values_rows(queryset) -> list[tuple]:
    """``list(queryset)`` for a values_list() queryset, converting each distinct value once.

    Django converts every value of every row (SQLite's dates and decimals arrive as text and
    floats); a batch reading millions of outcomes meets a few thousand dates and hours over and
    over. Same converters, same results, in one fetch instead of pages of 100 rows.
    """
    from django.db.models.sql.constants import MULTI

    compiler = queryset.query.get_compiler(using=queryset.db)
    rows = [row for part in compiler.execute_sql(MULTI, chunk_size=10_000) for row in part]
    converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])
    if not rows or not converters:
        return [tuple(row) for row in rows]
    columns = list(zip(*rows, strict=True))
    for position, (functions, expression) in converters.items():

        def convert(value, functions=functions, expression=expression):
            for function in functions:
                value = function(value, expression, compiler.connection)
            return value

        try:
            ready = {value: convert(value) for value in set(columns[position])}
        except TypeError:  # an unhashable value (a buffer): convert each one
            columns[position] = list(map(convert, columns[position]))
        else:
            columns[position] = list(map(ready.__getitem__, columns[position]))
    return list(zip(*columns, strict=True))
