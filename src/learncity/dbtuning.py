"""What only long batch work needs from the database: SQLite settings applied around it and
then undone (batch_settings), and reading many rows without converting each value anew
(values_rows)."""

from __future__ import annotations

import contextlib


@contextlib.contextmanager
def batch_settings(connection, cache_kb: int, checkpoint_pages: int = 0):
    """Raise SQLite's page cache (2 MB by default) and, with ``checkpoint_pages``, its
    write-ahead log's automatic checkpoint (1,000 pages by default) for the duration of a big
    import or batch; both are restored afterwards, so the connection's other work keeps the
    usual memory and log. Other databases size their caches on the server: nothing to do.

    The cache: imports and batches write index entries at random places (an outcome under its
    learner, a ledger entry under its account); once those indexes outgrow 2 MB, nearly every
    page is read back from the file system before it is changed.
    The checkpoint: it copies the latest version of every page the log holds into the database
    file. After each chunk of a batch the default copies the few thousand index pages that chunk
    changed; the next chunks change most of the same pages again. Checkpointing every 100,000
    pages copies each of them once for many chunks (bench/README.md: recognition of 3,000,000
    outcomes 877,000 -> 990,000 a minute); the log is then up to about 400 MB larger.
    """
    if connection.vendor != "sqlite" or not (cache_kb or checkpoint_pages):
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        cache_before = cursor.fetchone()[0]
        cursor.execute("PRAGMA wal_autocheckpoint")
        checkpoint_before = cursor.fetchone()[0]
        if cache_kb:
            cursor.execute(f"PRAGMA cache_size = -{int(cache_kb)}")
        if checkpoint_pages:
            cursor.execute(f"PRAGMA wal_autocheckpoint = {int(checkpoint_pages)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(cache_before)}")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {int(checkpoint_before)}")


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
