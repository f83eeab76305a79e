"""Full-text matching on either database, with a bounded pool of candidates.

SQLite: an FTS5 MATCH on the published-only trigram index (searchindex); PostgreSQL: trigram
ILIKE/LIKE served by pg_trgm GIN indexes. A common word (书法) can match tens of thousands of
courses, and scoring, filtering or sorting each costs a row visit. So the search works on a pool
of ids — POOL matches, more when paging deep or when filters leave a page unfilled (up to
POOL_MAX) — fetched first, then ranked with the filters. On SQLite the pool is the newest
matches and the count of matches stays exact (counted inside the index); on PostgreSQL the pool
is the first matches found and a larger count is reported as "more than". The trade-off, in
docs/catalogue.md: for very common words, relevance orders a pool, not every match.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Case, ExpressionWrapper, IntegerField, Q, Value, When

from learncity.catalogue import searchindex, textsearch

POOL = 1_000
POOL_MAX = 20_000
COUNT_CAP = 10_000


def _postgres_where(ix: searchindex.Indexed, query: textsearch.Query) -> tuple[list, list]:
    """Conditions on unqualified columns (the same expressions the GIN indexes are built on),
    so they bind to the right table in a main query and in a subquery alike."""
    where, params = [], []
    for kind, pattern in textsearch.like_patterns(query):
        column = ix.text_sql() if kind == "text" else "search_grams"
        where.append(f"{column} {'ILIKE' if kind == 'text' else 'LIKE'} %s")
        params.append(pattern)
    return where, params


def count_matches(ix: searchindex.Indexed, query: textsearch.Query) -> int | None:
    """How many published entries have every term: exact on SQLite (counted inside the FTS
    index); None on PostgreSQL, where counting means visiting every matching row."""
    if connection.vendor == "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {ix.fts} WHERE {ix.fts} MATCH %s",
            [textsearch.fts5_expression(query)],
        )
        return cursor.fetchone()[0]


def pool_ids(ix: searchindex.Indexed, query: textsearch.Query, size: int) -> list[int]:
    """Up to `size` ids of published entries with every term: the newest on SQLite (the FTS
    index walks backwards cheaply); the first found on PostgreSQL (the bitmap scan stops after
    `size` rows instead of visiting every match)."""
    if connection.vendor == "postgresql":
        where, params = _postgres_where(ix, query)
        sql = (
            f"SELECT id FROM {ix.table} WHERE status = 'published' AND {' AND '.join(where)} "
            f"LIMIT {int(size)}"
        )
    else:
        sql = (
            f"SELECT rowid FROM {ix.fts} WHERE {ix.fts} MATCH %s "
            f"ORDER BY rowid DESC LIMIT {int(size)}"
        )
        params = [textsearch.fts5_expression(query)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def relevance(query: textsearch.Query, title: tuple[str, str], body: tuple[str, str]):
    """3 per term found in the title, 1 per term found only in the description."""
    score = Value(0)
    for term in query.terms:
        in_title = Q(**{f"{title[0]}__icontains": term}) | Q(**{f"{title[1]}__icontains": term})
        in_body = Q(**{f"{body[0]}__icontains": term}) | Q(**{f"{body[1]}__icontains": term})
        score = score + Case(
            When(in_title, then=Value(3)), When(in_body, then=Value(1)), default=Value(0)
        )
    return ExpressionWrapper(score, output_field=IntegerField())
