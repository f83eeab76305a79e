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
