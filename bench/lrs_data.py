"""Generated xAPI statements for the LRS benchmarks, and a bulk loader of stored statements.

The i-th statement is a deterministic function of (seed, i): a learner (an account on the
LearnCity learner homePage), one of five ADL verbs, a module of a course as the object, the
course and the platform as context activities, a registration per learner and course, a
result. ``statement_text`` writes it as JSON text from a template (the benchmark clients must
not spend the CPU the server needs); ``stored_row`` gives what the LRS stores for it (the
``full`` text with stored/authority/version, and its index rows) without going through
validation, so that ``load`` can fill a database with millions of statements quickly.
``check_against_lrs`` compares both with what ``learncity.lrs`` itself produces for a sample,
so the loaded tables are what the LRS would have written.
"""

from __future__ import annotations

import hashlib
import json
import time
from datetime import UTC, datetime, timedelta

HOMEPAGE = "https://learncity.invalid/learners"
SITE = "https://lms.example.org"
COURSES = 200
MODULES = 17
# (verb IRI, display, share of statements in per mille)
VERBS = [
    ("http://adlnet.gov/expapi/verbs/experienced", "experienced", 400),
    ("http://adlnet.gov/expapi/verbs/attempted", "attempted", 200),
    ("http://adlnet.gov/expapi/verbs/answered", "answered", 200),
    ("http://adlnet.gov/expapi/verbs/completed", "completed", 150),
    ("http://adlnet.gov/expapi/verbs/passed", "passed", 50),
]
_VERB_OF = [k for k, v in enumerate(VERBS) for _ in range(v[2])]  # index by (i * k) % 1000
TIMESTAMP_START = datetime(2025, 1, 1, tzinfo=UTC)


def _mix(i: int, salt: int) -> int:
    """A cheap, well-spread integer hash (splitmix64 finaliser)."""
    z = (i * 0x9E3779B97F4A7C15 + salt * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return z ^ (z >> 31)


def _uuid(a: int, b: int) -> str:
    """A version-4 UUID made of two integers (distinct for distinct a < 2**60, b < 2**62)."""
    high = ((a & 0xFFFFFFFFFFFF) << 16) | 0x4000 | ((a >> 48) & 0x0FFF)
    h = f"{high:016x}{(b & 0x3FFFFFFFFFFFFFFF) | 0x8000000000000000:016x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def learner_no(j: int) -> str:
    return f"B{j:011d}"


def learner_agent(j: int) -> dict:
    return {"account": {"homePage": HOMEPAGE, "name": learner_no(j)}}


def course_iri(c: int) -> str:
    return f"{SITE}/course/{c}"


def verb_iri(k: int) -> str:
    return VERBS[k][0]


class Generator:
    """Statements for one run: ``seed`` keeps ids of different runs apart."""

    def __init__(self, seed: int, learners: int):
        self.seed = seed
        self.learners = learners

    def parts(self, i: int) -> dict:
        h = _mix(i, self.seed)
        learner = h % self.learners
        course = (h >> 20) % COURSES
        module = (h >> 28) % MODULES
        verb = _VERB_OF[(h >> 36) % 1000]
        return {
            "id": _uuid(self.seed, i),
            "learner": learner,
            "course": course,
            "module": module,
            "verb": verb,
            "registration": _uuid(self.seed + 1, learner * COURSES + course),
            "score": (h >> 46) % 100,
            "minutes": 1 + (h >> 53) % 90,
            "timestamp": TIMESTAMP_START + timedelta(seconds=i % 30_000_000),
        }

    def statement_text(self, i: int, p: dict | None = None) -> str:
        """The statement a platform would send, as compact JSON text."""
        p = p or self.parts(i)
        verb_id, display, _share = VERBS[p["verb"]]
        c, m = p["course"], p["module"]
        stamp = p["timestamp"].strftime("%Y-%m-%dT%H:%M:%S.000Z")
        return (
            f'{{"id":"{p["id"]}",'
            f'"actor":{{"objectType":"Agent","name":"Learner {p["learner"]}",'
            f'"account":{{"homePage":"{HOMEPAGE}","name":"{learner_no(p["learner"])}"}}}},'
            f'"verb":{{"id":"{verb_id}","display":{{"en-US":"{display}"}}}},'
            f'"object":{{"objectType":"Activity","id":"{SITE}/course/{c}/module/{m}",'
            f'"definition":{{"name":{{"en-US":"Course {c}, module {m}"}},'
            f'"type":"http://adlnet.gov/expapi/activities/module"}}}},'
            f'"result":{{"score":{{"scaled":{p["score"] / 100!r}}},"success":true,'
            f'"completion":true,"duration":"PT{p["minutes"]}M"}},'
            f'"context":{{"registration":"{p["registration"]}","platform":"Moodle",'
            f'"language":"zh-CN","contextActivities":{{'
            f'"parent":[{{"objectType":"Activity","id":"{SITE}/course/{c}"}}],'
            f'"grouping":[{{"objectType":"Activity","id":"{SITE}"}}]}}}},'
            f'"timestamp":"{stamp}"}}'
        )

    def batch_body(self, start: int, count: int) -> bytes:
        if count == 1:
            return self.statement_text(start).encode()
        return (
            "[" + ",".join(self.statement_text(i) for i in range(start, start + count)) + "]"
        ).encode()


class Stored:
    """What the LRS stores for generated statements, sent with one credential."""

    def __init__(self, generator: Generator, authority: dict, version: str = "1.0.0"):
        from learncity.lrs import indexing

        self.generator = generator
        self.suffix = (
            '","authority":'
            + json.dumps(authority, ensure_ascii=False, separators=(",", ":"))
            + f',"version":"{version}"}}'
        )
        self.authority_key = indexing.agent_key(authority)
        self.verb_keys = [indexing.activity_key("verb:" + v[0]) for v in VERBS]
        self.course_keys = [indexing.activity_key(course_iri(c)) for c in range(COURSES)]
        self.module_keys = [
            [indexing.activity_key(f"{SITE}/course/{c}/module/{m}") for m in range(MODULES)]
            for c in range(COURSES)
        ]
        self.site_key = indexing.activity_key(SITE)
        self._agent_key = indexing.agent_key

    def agent_key(self, learner: int) -> str:
        return self._agent_key(learner_agent(learner))

    def row(self, i: int, stored: datetime) -> tuple[dict, str, list[tuple[str, str]]]:
        """(parts, full JSON text, index rows) of statement i stored at ``stored``."""
        from learncity.lrs.datatypes import format_timestamp

        g = self.generator
        p = g.parts(i)
        text = g.statement_text(i, p)
        full = text[:-1] + ',"stored":"' + format_timestamp(stored) + self.suffix
        c = p["course"]
        agent = hashlib.sha1(f"account:{HOMEPAGE}|{learner_no(p['learner'])}".encode()).hexdigest()
        module = self.module_keys[c][p["module"]]
        rows = [
            ("A", self.authority_key),
            ("A", agent),
            ("O", self.course_keys[c]),
            ("O", self.site_key),
            ("O", module),
            ("a", agent),
            ("o", module),
            ("r", p["registration"]),
            ("v", self.verb_keys[p["verb"]]),
        ]
        return p, full, rows


def check_against_lrs(generator: Generator, credential, sample: int = 200) -> None:
    """Raise AssertionError unless ``Stored`` writes what the LRS writes for a sample."""
    from learncity.lrs import services
    from learncity.lrs.credentials import authority_for
    from learncity.lrs.prepare import check_batch, prepare
    from learncity.lrs.syntax import loads_strict

    authority = authority_for(credential)
    stored_rows = Stored(generator, authority)
    now = datetime.now(UTC)
    for i in range(0, sample * 997, 997):
        received = loads_strict(generator.statement_text(i).encode(), "statement")
        check_batch([received], "1.0.3", None)
        ready = prepare(received, stored=now, authority=authority, version="1.0.3")
        _p, full, rows = stored_rows.row(i, now)
        expected = json.dumps(ready, ensure_ascii=False, separators=(",", ":"))
        assert full == expected, f"statement {i}: {full} != {expected}"
        assert sorted(rows) == sorted(services._rows(ready)), f"statement {i}: index rows"


def say_rate(label: str, done: int, started: float) -> str:
    elapsed = time.perf_counter() - started
    return f"{label}: {done:,} in {elapsed:,.1f} s = {done / max(elapsed, 1e-9):,.0f}/s"


# --- bulk loading -------------------------------------------------------------------------

TABLES = ("lrs_statement", "lrs_statementindex")


def _pg_schema(cursor) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """(table, name, definition) of the constraints other than primary keys, and (name,
    definition) of the indexes no constraint owns, on the statement tables."""
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = ANY(%s::regclass[]) AND contype <> 'p' ORDER BY contype DESC, conname",
        [list(TABLES)],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
        [list(TABLES)],
    )
    return constraints, cursor.fetchall()


def _sqlite_schema(cursor) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN (%s, %s) ORDER BY name",
        list(TABLES),
    )
    return cursor.fetchall()


def load(
    stored_rows: Stored,
    count: int,
    credential_id: int,
    first_stored: datetime,
    last_stored: datetime,
    say=print,
    chunk: int = 20_000,
) -> None:
    """Store statements 0..count-1 (stored evenly from first_stored to last_stored) with their
    index rows, as the LRS would: secondary indexes and constraints are dropped during the load
    and created again afterwards with their exact definitions (checked), as a bulk load does."""
    from django.db import connection

    from learncity.lrs.models import Activity

    vendor = connection.vendor
    connection.ensure_connection()
    raw = connection.connection
    cursor = raw.cursor()
    if vendor == "postgresql":
        constraints, indexes = _pg_schema(cursor)
        for table, name, _definition in reversed(constraints):
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    else:
        indexes = _sqlite_schema(cursor)
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        raw.commit()
        cursor.execute("PRAGMA foreign_keys = OFF")
    raw.commit()
    step = (last_stored - first_stored) / max(count - 1, 1)
    started = time.perf_counter()
    index_id = 0
    for start in range(0, count, chunk):
        statements, index_rows = [], []
        for i in range(start, min(start + chunk, count)):
            stored = first_stored + step * i
            p, full, rows = stored_rows.row(i, stored)
            pk = i + 1
            verb = stored_rows.verb_keys[p["verb"]]
            if vendor == "postgresql":  # COPY text: tab-separated, \N for NULL, \\ escaped
                when = stored.isoformat()
                if "\\" in full:
                    full = full.replace("\\", "\\\\")
                statements.append(
                    f"{pk}\t{p['id']}\t{when}\t{verb}\t\\N\tf\tf\t{credential_id}\t{full}\n"
                )
                for kind, key in rows:
                    index_id += 1
                    index_rows.append(f"{index_id}\t{pk}\t{kind}\t{key}\t{when}\n")
                continue
            when = stored.replace(tzinfo=None).isoformat(" ")
            sid = p["id"].replace("-", "")
            statements.append((pk, sid, when, verb, None, False, False, credential_id, full))
            for kind, key in rows:
                index_id += 1
                index_rows.append((index_id, pk, kind, key, when))
        if vendor == "postgresql":
            columns = (
                "id, statement_id, stored, verb, object_statement, is_voiding, voided, "
                'credential_id, "full"'
            )
            with cursor.copy(f"COPY lrs_statement ({columns}) FROM STDIN") as copy:
                copy.write("".join(statements).encode())
            with cursor.copy(
                "COPY lrs_statementindex (id, statement_id, kind, key, stored) FROM STDIN"
            ) as copy:
                copy.write("".join(index_rows).encode())
        else:
            cursor.executemany(
                "INSERT INTO lrs_statement (id, statement_id, stored, verb, object_statement, "
                'is_voiding, voided, credential_id, "full") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
                statements,
            )
            cursor.executemany(
                "INSERT INTO lrs_statementindex (id, statement_id, kind, key, stored) "
                "VALUES (?, ?, ?, ?, ?)",
                index_rows,
            )
        raw.commit()
        done = min(start + chunk, count)
        if done % (chunk * 25) == 0 or done == count:
            say(say_rate("loaded statements", done, started) + f" ({index_id:,} index rows)")
    say("creating the indexes and constraints again")
    if vendor == "postgresql":
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
            raw.commit()
        for table, name, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            raw.commit()
        for table in TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
        raw.commit()
        assert _pg_schema(cursor) == (constraints, indexes), "schema differs after the load"
    else:
        for _name, definition in indexes:
            cursor.execute(definition)
        raw.commit()
        cursor.execute("PRAGMA foreign_keys = ON")
        assert _sqlite_schema(cursor) == indexes, "schema differs after the load"
    cursor.close()
    g = stored_rows.generator
    definitions = {}
    for c in range(COURSES):
        definitions[course_iri(c)] = {}
        for m in range(MODULES):
            definitions[f"{SITE}/course/{c}/module/{m}"] = {
                "name": {"en-US": f"Course {c}, module {m}"},
                "type": "http://adlnet.gov/expapi/activities/module",
            }
    definitions[SITE] = {}
    from learncity.lrs import indexing

    Activity.objects.bulk_create(
        [
            Activity(key=indexing.activity_key(iri), iri=iri, definition=json.dumps(d))
            for iri, d in definitions.items()
        ],
        ignore_conflicts=True,
    )
    say(f"load done: {count:,} statements for {g.learners:,} learners")
