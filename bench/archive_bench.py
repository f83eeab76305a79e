"""Benchmark reading a learner's archive: the API, the portal page, and the raw SQL beneath them.

    .venv/bin/python bench/archive_bench.py [--db sqlite|postgres] [--learners N] [--outcomes N]

Fills a fresh database (removed at the end) with N learners and N outcomes spread at random
over them (bulk inserts through the raw driver, then ANALYZE), gives a sample of the learners
a user account, and for each sampled learner, signed in with the Django test Client's
force_login, times GET /api/v1/me/archive, GET /archive/ and, as the baseline, the raw SQL for
the same page of outcomes (rows joined to their institution, newest first, plus the count)
through the same driver. Reports median and p95 in ms; target p95 < 100 ms on PostgreSQL.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

TARGET_P95_MS = 100.0
WARMUP = 10


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def populate(learners: int, outcomes: int) -> tuple[list[int], int]:
    from django.db import connection

    institution = common.make_institution()
    pks = common.create_learners(learners, batch=10_000)

    def on_chunk(done: int) -> None:
        if done % 200_000 == 0:
            common.say(f"outcomes: {done:,} / {outcomes:,}")

    specs = common.outcome_specs(outcomes, learners, seed=11)
    rows = common.db_rows(specs, pks, institution.pk, connection.vendor)
    seconds = common.insert_rows("records_outcome", rows, on_chunk=on_chunk)
    common.say(f"outcomes: {outcomes:,} inserted ({seconds:,.1f} s in the driver); ANALYZE")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return pks, institution.pk


def give_accounts(pks: list[int]) -> dict[int, object]:
    """A user for each sampled learner, as register_learner would link them."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from learncity.identity.models import Learner

    User = get_user_model()
    unusable = make_password(None)
    users = User.objects.bulk_create([User(username=f"bench{pk}", password=unusable) for pk in pks])
    users = {u.username: u for u in User.objects.filter(username__startswith="bench")}
    for pk in pks:
        Learner.objects.filter(pk=pk).update(user=users[f"bench{pk}"])
    return {pk: users[f"bench{pk}"] for pk in pks}


def page_sql(marker: str) -> str:
    from learncity.institutions.models import Institution
    from learncity.records.models import Outcome

    outcome, institution = Outcome._meta.db_table, Institution._meta.db_table
    return (
        f"SELECT o.*, i.code FROM {outcome} o LEFT JOIN {institution} i ON i.id = o.institution_id"
        f" WHERE o.learner_id = {marker} AND o.is_current"
        " ORDER BY o.completed_on DESC, o.id DESC LIMIT 100"
    )


def explain(learner_id: int) -> None:
    """Print the plan of the page query, to see which index it takes."""
    from django.db import connection

    sqlite = connection.vendor == "sqlite"
    with connection.cursor() as cursor:
        prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ANALYZE "
        cursor.execute(prefix + page_sql("%s"), (learner_id,))
        for row in cursor.fetchall():
            common.say("plan: " + str(row[-1] if sqlite else row[0]))


def raw_page(cursor, learner_id: int, marker: str) -> int:
    """The baseline: what the endpoint must read, as two plain SQL statements."""
    from learncity.records.models import Outcome

    outcome = Outcome._meta.db_table
    cursor.execute(page_sql(marker), (learner_id,))
    rows = cursor.fetchall()
    cursor.execute(
        f"SELECT COUNT(*) FROM {outcome} WHERE learner_id = {marker} AND is_current",
        (learner_id,),
    )
    assert cursor.fetchone()[0] >= len(rows)
    return len(rows)


def query_counts(client, user) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    client.force_login(user)
    for label, url in (("api", "/api/v1/me/archive"), ("page", "/archive/")):
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        counts[label] = len(captured)
    return counts


def measure(users: dict[int, object]) -> tuple[dict[str, list[float]], dict[str, int], float]:
    from django.db import connection
    from django.test import Client

    client = Client()
    marker = "?" if connection.vendor == "sqlite" else "%s"
    times: dict[str, list[float]] = {"api": [], "page": [], "sql": []}
    outcomes_seen = []
    items = list(users.items())
    for n, (pk, user) in enumerate(items[:WARMUP] + items, start=1 - WARMUP):
        client.force_login(user)
        for label, url in (("api", "/api/v1/me/archive"), ("page", "/archive/")):
            t0 = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - t0) * 1000
            assert response.status_code == 200, (url, response.status_code)
            if n > 0:
                times[label].append(elapsed)
        connection.ensure_connection()
        cursor = connection.connection.cursor()
        t0 = time.perf_counter()
        count = raw_page(cursor, pk, marker)
        elapsed = (time.perf_counter() - t0) * 1000
        cursor.close()
        if n > 0:
            times["sql"].append(elapsed)
            outcomes_seen.append(count)
        if n > 0 and n % 50 == 0:
            common.say(
                f"requests: {n} learners, api median {statistics.median(times['api']):.1f} ms"
            )
    return times, query_counts(client, items[0][1]), statistics.mean(outcomes_seen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--learners", type=int, default=100_000)
    parser.add_argument("--outcomes", type=int, default=2_000_000)
    parser.add_argument("--requests", type=int, default=200, help="learners sampled (one each)")
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    common.say(f"archive bench: {args.learners:,} learners, {args.outcomes:,} outcomes, {args.db}")
    with common.bench_database(args.db):
        pks, _institution = populate(args.learners, args.outcomes)
        sample = random.Random(args.seed).sample(pks, min(args.requests, len(pks)))
        users = give_accounts(sample)
        explain(sample[0])
        times, queries, mean_rows = measure(users)
    stats = {k: (statistics.median(v), percentile(v, 0.95)) for k, v in times.items()}
    for label, (median, p95) in stats.items():
        common.say(f"{label}: median {median:.1f} ms, p95 {p95:.1f} ms")
    sql_median = stats["sql"][0]
    worst = max(stats["api"][1], stats["page"][1])
    verdict = "OK" if worst < TARGET_P95_MS else "MISSED TARGET"
    print(
        f"SUMMARY archive_bench db={args.db} learners={args.learners} outcomes={args.outcomes} "
        f"requests={len(times['api'])} rows/learner={mean_rows:.1f} "
        f"api median={stats['api'][0]:.1f} p95={stats['api'][1]:.1f} ms "
        f"(queries={queries['api']}) page median={stats['page'][0]:.1f} "
        f"p95={stats['page'][1]:.1f} ms (queries={queries['page']}) "
        f"raw-sql median={sql_median:.2f} p95={stats['sql'][1]:.2f} ms "
        f"ratio api/sql={stats['api'][0] / sql_median:.1f} page/sql="
        f"{stats['page'][0] / sql_median:.1f} (target p95 < {TARGET_P95_MS:.0f} ms) {verdict}",
        flush=True,
    )


if __name__ == "__main__":
    main()
