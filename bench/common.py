"""Shared set-up for the benchmarks: a throw-away database, bulk learners, generated outcomes.

Import this module before Django is configured: `bench_database()` points LEARNCITY_HOME (and
DATABASE_URL for PostgreSQL) at a fresh temporary place, migrates it, and removes it on exit.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
PG_SERVER = "postgres://postgres@127.0.0.1:5432"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["建国", "秀英", "伟", "芳", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰"]
# (kind, title) and (result as typed, result_type, stored result)
KINDS = [
    ("course", "公共管理导论"),
    ("training", "老年人智能手机应用"),
    ("culture_leisure", "书法入门"),
    ("online_course", "Python 编程基础"),
    ("skill_certificate", "养老护理员（四级）"),
]
RESULTS = [("86", "score", "86"), ("通过", "pass", "pass"), ("A", "grade", "A"), ("", "none", "")]


_START = time.monotonic()


def say(message: str) -> None:
    print(f"[{time.monotonic() - _START:7.1f}s] {message}", flush=True)


@contextlib.contextmanager
def bench_database(db: str, *, migrate: bool = True):
    """Yield the temp folder of a fresh, migrated database; drop the database and folder after."""
    home = Path(tempfile.mkdtemp(prefix="learncity-bench-"))
    os.environ["LEARNCITY_HOME"] = str(home)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learncity.settings")
    os.environ.pop("DATABASE_URL", None)
    name = f"learncity_bench_{os.getpid()}"
    if db == "postgres":
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{name}"
    try:
        import django

        django.setup()
        if migrate:
            from django.core.management import call_command

            say(f"migrating a fresh {db} database")
            call_command("migrate", verbosity=0)
        yield home
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if db == "postgres":
            import psycopg

            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        shutil.rmtree(home, ignore_errors=True)


def make_institution(code: str = "BENCH"):
    from learncity.access import system_actor
    from learncity.institutions.services import create_institution
    from learncity.institutions.uscc import make_uscc

    return create_institution(
        system_actor("bench"),
        code=code,
        name_zh="基准测试学院",
        kind="open_university",
        district_code="310106",
        uscc=make_uscc("52310000MJ0000001"),
    )


def person(i: int) -> tuple[str, str, date, str]:
    """The i-th bench learner: (identity number, name, birth date, sex); all numbers differ."""
    from learncity.demo import demo_id_number

    born = date(1940, 1, 1) + timedelta(days=i // 1000)
    seq = i % 1000
    return (
        demo_id_number("310104", born, seq),
        SURNAMES[i % 20] + GIVEN[i // 20 % 14],
        born,
        ("M" if seq % 2 else "F"),
    )


def create_learners(n: int, batch: int = 5000) -> list[int]:
    """Bulk-create n learners as register_learner would store them; return their pks in order."""
    from learncity.identity import vault
    from learncity.identity.idnumbers import IdentityDocument, blind_index_input, mask
    from learncity.identity.models import Learner

    pks: list[int] = []
    for start in range(0, n, batch):
        objs = []
        for i in range(start, min(n, start + batch)):
            number, name, born, sex = person(i)
            doc = IdentityDocument("cn_resident", number, born, sex)
            objs.append(
                Learner(
                    learner_no=f"B{i:011d}",
                    name=name,
                    doc_type="cn_resident",
                    id_encrypted=vault.encrypt(number),
                    id_index=vault.blind_index(blind_index_input(doc)),
                    id_masked=mask(number),
                    birth_date=born,
                    sex=sex,
                    district_code="310104",
                    hukou="local",
                )
            )
        Learner.objects.bulk_create(objs, batch_size=1000)
        pks.extend(
            Learner.objects.filter(learner_no__in=[o.learner_no for o in objs])
            .order_by("learner_no")
            .values_list("pk", flat=True)
        )
        if (start // batch) % 10 == 9 or start + batch >= n:
            say(f"learners: {len(pks):,} / {n:,}")
    return pks


def outcome_specs(n: int, n_learners: int, seed: int = 7):
    """Yield n deterministic outcome rows: (learner index, kind, title, code, hours, credits,
    result index, started_on, completed_on, evidence_url, reference)."""
    rnd = random.Random(seed)
    for r in range(n):
        k = rnd.randrange(len(KINDS))
        start = date(2015, 1, 1) + timedelta(days=rnd.randrange(3000))
        hours = rnd.randrange(1, 200)
        yield (
            rnd.randrange(n_learners),
            *KINDS[k],
            f"C{k}-{r % 97:02d}",
            hours,
            f"{hours / 16:.1f}",
            rnd.randrange(len(RESULTS)),
            start,
            start + timedelta(days=rnd.randrange(1, 200)),
            f"https://example.org/c/{r}" if r % 4 == 0 else "",
            f"R{r:08d}",
        )


def csv_row(spec) -> list[str]:
    li, kind, title, code, hours, credits, res, start, end, url, ref = spec
    number, name, _born, _sex = person(li)
    return [
        "",
        "",
        number,
        name,
        kind,
        title,
        code,
        str(hours),
        credits,
        RESULTS[res][0],
        start.isoformat(),
        end.isoformat(),
        url,
        ref,
    ]


OUTCOME_COLUMNS = [
    "learner_id",
    "institution_id",
    "issuer_name",
    "kind",
    "category",
    "title",
    "code",
    "hours",
    "credits",
    "result_type",
    "result",
    "started_on",
    "completed_on",
    "evidence_file",
    "evidence_sha256",
    "evidence_url",
    "source",
    "status",
    "lineage",
    "version",
    "supersedes_id",
    "is_current",
    "idempotency_key",
    "batch_id",
    "review_note",
    "created_by_id",
    "created_at",
]


def db_rows(specs, learner_pks: list[int], institution_id: int, vendor: str):
    """The records_outcome column values (as the driver takes them) for each spec."""
    from django.utils import timezone

    from learncity.records.kinds import default_category

    now = timezone.now()
    if vendor == "sqlite":
        now = now.replace(tzinfo=None)
    for li, kind, title, code, hours, credits, res, start, end, url, ref in specs:
        _typed, result_type, result = RESULTS[res]
        yield (
            learner_pks[li],
            institution_id,
            "",
            kind,
            default_category(kind),
            title,
            code,
            Decimal(hours).quantize(Decimal("0.1")),
            Decimal(credits),
            result_type,
            result,
            start,
            end,
            "",
            "",
            url,
            "upload",
            "recorded",
            uuid4().hex,
            1,
            None,
            True,
            f"ref:{ref}",
            None,
            "",
            None,
            now,
        )


def insert_rows(table: str, rows, chunk: int = 10000, on_chunk=None) -> float:
    """executemany the rows into table through the raw driver in one transaction; return the
    seconds spent inside the driver (building the tuples is not counted)."""
    from django.db import connection, transaction

    columns = ", ".join(OUTCOME_COLUMNS)
    marks = ", ".join(["?" if connection.vendor == "sqlite" else "%s"] * len(OUTCOME_COLUMNS))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
    spent, done, batch = 0.0, 0, []
    with transaction.atomic():
        connection.ensure_connection()
        cursor = connection.connection.cursor()
        for row in rows:
            batch.append(row)
            if len(batch) == chunk:
                t0 = time.perf_counter()
                cursor.executemany(sql, batch)
                spent += time.perf_counter() - t0
                done += len(batch)
                batch = []
                if on_chunk:
                    on_chunk(done)
        t0 = time.perf_counter()
        if batch:
            cursor.executemany(sql, batch)
        cursor.close()
        t1 = time.perf_counter()
    return spent + (t1 - t0) + (time.perf_counter() - t1)  # the commit counts too
