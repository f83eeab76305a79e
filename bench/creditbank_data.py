"""Bulk data for the credit bank benchmarks: institutions, learners and raw row loading.

Used by recognition_bench.py and ledger_verify_bench.py after `common.bench_database()` has set
Django up on a fresh database. Rows go in through the raw driver: one prepared statement run with
executemany on SQLite, COPY … FROM STDIN on PostgreSQL, in one transaction.
"""

from __future__ import annotations

import contextlib
import os
import resource
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import common

# Institution kinds in the order institutions are given them (institution k gets KINDS[k % 10]).
INSTITUTION_KINDS = [
    "open_university",
    "vocational_college",
    "community_school",
    "elderly_university",
    "training",
    "enterprise",
    "university",
    "adult_college",
    "learning_point",
    "public_venue",
]


def bulk_load(
    table: str,
    columns: list[str],
    rows: Iterable[tuple],
    *,
    chunk: int = 50_000,
    on_chunk: Callable[[int], None] | None = None,
) -> int:
    """Insert the rows (values as str/int/None, dates and decimals as text) in one transaction;
    return how many."""
    from django.db import connection, transaction

    done = 0
    with transaction.atomic():
        connection.ensure_connection()
        raw = connection.connection
        if connection.vendor == "sqlite":
            marks = ", ".join(["?"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            cursor = raw.cursor()
            batch: list[tuple] = []
            for row in rows:
                batch.append(row)
                if len(batch) == chunk:
                    cursor.executemany(sql, batch)
                    done += len(batch)
                    batch = []
                    if on_chunk:
                        on_chunk(done)
            if batch:
                cursor.executemany(sql, batch)
                done += len(batch)
            cursor.close()
        else:
            with (
                raw.cursor() as cursor,
                cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
                    done += 1
                    if on_chunk and done % chunk == 0:
                        on_chunk(done)
    if on_chunk and done % chunk:
        on_chunk(done)
    return done


@contextlib.contextmanager
def foreign_keys_off():
    """Skip foreign-key checks for a bulk load (PostgreSQL: replica role; SQLite: the pragma)."""
    from django.db import connection

    connection.ensure_connection()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys = OFF")
        else:
            cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA foreign_keys = ON")
            else:
                cursor.execute("SET session_replication_role = DEFAULT")


def now_text() -> str:
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    return str(now.replace(tzinfo=None) if connection.vendor == "sqlite" else now)


def make_institutions(n: int) -> list[tuple[int, str, str, bool]]:
    """n institutions I000…; every 17th is not accredited. Returns (pk, code, kind, accredited)."""
    from learncity.institutions.models import Institution

    Institution.objects.bulk_create(
        [
            Institution(
                code=f"I{k:03d}",
                name_zh=f"基准学院{k}",
                kind=INSTITUTION_KINDS[k % len(INSTITUTION_KINDS)],
                district_code="310104",
                uscc=f"BENCH{k:013d}",
                accredited=k % 17 != 16,
            )
            for k in range(n)
        ]
    )
    return list(
        Institution.objects.filter(code__startswith="I")
        .order_by("code")
        .values_list("pk", "code", "kind", "accredited")
    )


def make_learners(n: int) -> int:
    """Bulk-load n learners (synthetic identity data; learner k is pk first + k); return first."""
    from learncity.identity.models import Learner

    columns = [
        "learner_no",
        "name",
        "doc_type",
        "doc_country",
        "id_encrypted",
        "id_index",
        "id_masked",
        "birth_date",
        "sex",
        "district_code",
        "hukou",
        "phone",
        "email",
        "created_at",
    ]
    now = now_text()
    rows = (
        (
            f"B{k:011d}",
            common.SURNAMES[k % 20] + common.GIVEN[k // 20 % 14],
            "cn_resident",
            "",
            f"bench-not-encrypted:{k}",
            f"{k:064x}",
            f"310104********{k % 10000:04d}",
            f"{1940 + k % 60}-{1 + k % 12:02d}-{1 + k % 28:02d}",
            "MF"[k % 2],
            "310104",
            "local",
            "",
            "",
            now,
        )
        for k in range(n)
    )

    def on_chunk(done: int) -> None:
        if done % 500_000 == 0 or done == n:
            common.say(f"learners: {done:,} / {n:,}")

    bulk_load(Learner._meta.db_table, columns, rows, on_chunk=on_chunk)
    first, last, count = _pk_range(Learner)
    if last - first + 1 != count or count != n:
        raise RuntimeError(f"learner ids are not contiguous: {first}..{last} for {count}")
    return first


def _pk_range(model) -> tuple[int, int, int]:
    from django.db.models import Count, Max, Min

    r = model.objects.aggregate(lo=Min("pk"), hi=Max("pk"), n=Count("pk"))
    return r["lo"], r["hi"], r["n"]


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def vm_hwm_mb() -> float:
    """Peak resident memory of this process so far (MB)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def vm_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class CpuClock:
    """CPU seconds used by this process and, on PostgreSQL, by its server backend: a rate per
    CPU-second does not depend on how busy the other users keep the machine."""

    def __init__(self):
        from django.db import connection

        self.backend_pid = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.backend_pid = cursor.fetchone()[0]
        self.tick = os.sysconf("SC_CLK_TCK")

    def backend(self) -> float:
        if self.backend_pid is None:
            return 0.0
        try:
            fields = Path(f"/proc/{self.backend_pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / self.tick  # utime + stime

    def read(self) -> tuple[float, float, float]:
        """(wall clock, this process's CPU, the server backend's CPU)."""
        return time.perf_counter(), time.process_time(), self.backend()
