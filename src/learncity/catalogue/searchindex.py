"""The full-text indexes behind catalogue search, on SQLite and on PostgreSQL.

SQLite: one contentless FTS5 table per searched table, `tokenize='trigram'`, with columns
title, body and grams, holding the published entries only, kept in step by triggers.
PostgreSQL: the `pg_trgm` extension and GIN trigram indexes on the same text expression the
search uses, and on the grams column.

On SQLite a later migration that rebuilds catalogue_course or catalogue_site (Django copies the
table) drops the triggers; `ensure` runs after every migrate (post_migrate) and puts them back,
refilling the index, so search never silently goes stale.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indexed:
    table: str
    title: str  # SQL over the row's columns, with {p} for the row prefix ('' or 'new.')
    body: str

    @property
    def fts(self) -> str:
        return f"{self.table}_fts"

    def text_sql(self, p: str = "") -> str:
        """The whole searched text, as indexed on PostgreSQL and matched by the search."""
        return f"({self.title.format(p=p)} || ' ' || {self.body.format(p=p)})"


COURSES = Indexed(
    "catalogue_course",
    "{p}title_zh || ' ' || {p}title_en",
    "{p}description_zh || ' ' || {p}description_en",
)
SITES = Indexed(
    "catalogue_site",
    "{p}name_zh || ' ' || {p}name_en",
    "{p}address",
)
ALL = (COURSES, SITES)
TEXT_COLUMNS = {
    "catalogue_course": (
        "title_zh",
        "title_en",
        "description_zh",
        "description_en",
        "search_grams",
    ),
    "catalogue_site": ("name_zh", "name_en", "address", "search_grams"),
}


TRIGGERS = ("ins", "del", "upd")  # renamed when the trigger bodies change, so ensure() notices


def _values(ix: Indexed, p: str) -> str:
    return f"{ix.title.format(p=p)}, {ix.body.format(p=p)}, {p}search_grams"


def sqlite_statements(ix: Indexed) -> list[str]:
    """Only published entries are indexed, so a count of matches is a count of results."""
    insert = (
        f"INSERT INTO {ix.fts}(rowid, title, body, grams) "
        f"SELECT new.id, {_values(ix, 'new.')} WHERE new.status = 'published';"
    )
    delete = (
        f"INSERT INTO {ix.fts}({ix.fts}, rowid, title, body, grams) "
        f"SELECT 'delete', old.id, {_values(ix, 'old.')} WHERE old.status = 'published';"
    )
    columns = ", ".join((*TEXT_COLUMNS[ix.table], "status"))
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {ix.fts} USING fts5("
        "title, body, grams, content='', tokenize='trigram')",
        f"CREATE TRIGGER IF NOT EXISTS {ix.fts}_ins AFTER INSERT ON {ix.table} BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {ix.fts}_del AFTER DELETE ON {ix.table} BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {ix.fts}_upd AFTER UPDATE OF {columns} ON {ix.table} "
        f"BEGIN {delete} {insert} END",
    ]


def sqlite_refill(ix: Indexed) -> list[str]:
    return [
        f"INSERT INTO {ix.fts}({ix.fts}) VALUES ('delete-all')",
        f"INSERT INTO {ix.fts}(rowid, title, body, grams) "
        f"SELECT id, {_values(ix, '')} FROM {ix.table} WHERE status = 'published'",
    ]


def postgres_statements(ix: Indexed) -> list[str]:
    return [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        f"CREATE INDEX IF NOT EXISTS {ix.table}_text_trgm ON {ix.table} "
        f"USING gin ({ix.text_sql()} gin_trgm_ops)",
        f"CREATE INDEX IF NOT EXISTS {ix.table}_grams_trgm ON {ix.table} "
        "USING gin (search_grams gin_trgm_ops)",
    ]


def install(connection) -> None:
    """Create the indexes for this database (idempotent)."""
    with connection.cursor() as cursor:
        for ix in ALL:
            if connection.vendor == "sqlite":
                statements = sqlite_statements(ix)
            elif connection.vendor == "postgresql":
                statements = postgres_statements(ix)
            else:
                statements = []
            for sql in statements:
                cursor.execute(sql)


def _sqlite_triggers(connection, ix: Indexed) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            [ix.table],
        )
        return {row[0] for row in cursor.fetchall() if row[0].startswith(f"{ix.fts}_")}


def ensure(connection) -> bool:
    """Put back SQLite triggers a table rebuild dropped (or older ones), and refill; True when
    it had to."""
    if connection.vendor != "sqlite":
        return False
    repaired = False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE name IN (%s, %s)", [COURSES.table, SITES.table]
        )
        if len(cursor.fetchall()) < 2:
            return False
        for ix in ALL:
            found = _sqlite_triggers(connection, ix)
            if found == {f"{ix.fts}_{t}" for t in TRIGGERS}:
                continue
            for name in found:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            for sql in sqlite_statements(ix) + sqlite_refill(ix):
                cursor.execute(sql)
            repaired = True
    return repaired


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        for ix in ALL:
            if connection.vendor == "sqlite":
                for name in _sqlite_triggers(connection, ix):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                cursor.execute(f"DROP TABLE IF EXISTS {ix.fts}")
            elif connection.vendor == "postgresql":
                cursor.execute(f"DROP INDEX IF EXISTS {ix.table}_text_trgm")
                cursor.execute(f"DROP INDEX IF EXISTS {ix.table}_grams_trgm")
