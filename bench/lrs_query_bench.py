"""Benchmark xAPI statement queries over HTTP on a large LRS against the bare SQL query.

    .venv/bin/python bench/lrs_query_bench.py [--db sqlite|postgres] [--statements 10000000]
        [--queries 200] [--learners N] [--limit 0] [--max-seconds 600]

Steps, all in one run on one fresh database (dropped at the end, with its LEARNCITY_HOME):
1. an institution and an LRS credential; the generated statements (bench/lrs_data.py) are
   checked against what learncity.lrs itself stores for them;
2. --statements statements are loaded with their index rows (stored evenly over the last 365
   days; secondary indexes and constraints dropped for the load and created again with the
   same definitions, which is checked), then VACUUM ANALYZE / ANALYZE;
3. `learncity serve` on 127.0.0.1; one client sends, one after the other, --queries GET
   /xapi/statements of each kind, with the LRS's default page (--limit 0: up to 500):
   - agent:     agent=<a learner's account>                (about statements/learners each)
   - verb_since: verb=<one of 5 verbs>&since=<0-7 days ago>
   - activity:  activity=<a course>&related_activities=true (the course is a context parent)
   and, for each, the bare SQL query of the same page through the raw driver (sqlite3 /
   psycopg): the index-driven join the LRS itself runs (one (key, kind) range of
   lrs_index_page, ORDER BY stored DESC, id DESC, LIMIT), alternating which goes first;
4. reported per kind: p50 and p95 latency of the HTTP GET and of the bare query, their ratios,
   and the statements per page. The whole query phase stops at --max-seconds.
Target (issue 5): p95 under 50 ms over 10,000,000 statements.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import random
import signal
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
import lrs_data  # noqa: E402
from lrs_ingest_bench import start_server  # noqa: E402

TARGET_MS = 50
KINDS = ("agent", "verb_since", "activity")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def query_sets(n: int, learners: int, last_stored: datetime, seed: int) -> dict[str, list]:
    """(HTTP parameters, bare SQL (key, kind, since)) per query, per kind."""
    from learncity.lrs import indexing

    rnd = random.Random(seed)
    sets: dict[str, list] = {kind: [] for kind in KINDS}
    for _ in range(n):
        learner = rnd.randrange(learners)
        agent = lrs_data.learner_agent(learner)
        sets["agent"].append(({"agent": json.dumps(agent)}, (indexing.agent_key(agent), "a", None)))
        verb = lrs_data.verb_iri(rnd.randrange(len(lrs_data.VERBS)))
        since = last_stored - timedelta(seconds=rnd.randrange(7 * 86400))
        sets["verb_since"].append(
            (
                {"verb": verb, "since": since.isoformat().replace("+00:00", "Z")},
                (indexing.activity_key("verb:" + verb), "v", since),
            )
        )
        course = lrs_data.course_iri(rnd.randrange(lrs_data.COURSES))
        sets["activity"].append(
            (
                {"activity": course, "related_activities": "true"},
                (indexing.activity_key(course), "O", None),
            )
        )
    return sets


class Bare:
    """The same page by hand-written SQL through the raw driver (sqlite3 / psycopg)."""

    def __init__(self, limit: int):
        from django.db import connection

        connection.ensure_connection()
        self.raw = connection.connection
        self.vendor = connection.vendor
        self.limit = limit

    def run(self, key: str, kind: str, since: datetime | None) -> tuple[float, int]:
        mark = "%s" if self.vendor == "postgresql" else "?"
        params: list = [key, kind]
        sql = (
            'SELECT s.id, s.stored, s."full" FROM lrs_statementindex d CROSS JOIN lrs_statement s '
            f"WHERE s.id = d.statement_id AND d.key = {mark} AND d.kind = {mark} AND NOT s.voided"
        )
        if since is not None:
            sql += f" AND d.stored > {mark}"
            params.append(since if self.vendor == "postgresql" else since.replace(tzinfo=None))
        sql += f" ORDER BY d.stored DESC, d.statement_id DESC LIMIT {self.limit + 1}"
        t0 = time.perf_counter()
        cursor = self.raw.cursor()
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        cursor.close()
        if self.vendor == "postgresql":
            self.raw.commit()
        return time.perf_counter() - t0, min(len(rows), self.limit)


class Http:
    def __init__(self, port: int, auth: str, limit: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.headers = {"Authorization": auth, "X-Experience-API-Version": "1.0.3"}
        self.limit = limit

    def run(self, params: dict) -> tuple[float, int]:
        if self.limit:
            params = {**params, "limit": str(self.limit)}
        t0 = time.perf_counter()
        self.conn.request("GET", "/xapi/statements?" + urlencode(params), headers=self.headers)
        response = self.conn.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - t0
        if response.status != 200:
            sys.exit(f"GET {params} -> {response.status} {data[:300]!r}")
        return elapsed, len(json.loads(data)["statements"])


def measure(sets, http_client, bare, max_seconds: float) -> dict:
    results = {k: {"http": [], "bare": [], "count": [], "bare_count": []} for k in KINDS}
    deadline = time.monotonic() + max_seconds
    for i in range(len(sets[KINDS[0]])):
        if time.monotonic() > deadline:
            common.say(f"query phase stopped at the time limit after {i} rounds")
            break
        for kind in KINDS:
            params, bare_args = sets[kind][i]
            order = ("http", "bare") if (i + KINDS.index(kind)) % 2 == 0 else ("bare", "http")
            for side in order:
                if side == "http":
                    seconds, n = http_client.run(params)
                    results[kind]["http"].append(seconds)
                    results[kind]["count"].append(n)
                else:
                    seconds, n = bare.run(*bare_args)
                    results[kind]["bare"].append(seconds)
                    results[kind]["bare_count"].append(n)
        if (i + 1) % 50 == 0:
            common.say(f"{i + 1} rounds of {len(KINDS)} queries")
    for kind in KINDS:
        r = results[kind]
        if r["count"] != r["bare_count"]:
            sys.exit(f"{kind}: the LRS and the bare query returned different page sizes")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.split("\n")[4:]),
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--statements", type=int, default=10_000_000)
    parser.add_argument("--queries", type=int, default=200, help="queries of each kind")
    parser.add_argument(
        "--learners", type=int, default=0, help="distinct actors (default: statements / 200)"
    )
    parser.add_argument("--limit", type=int, default=0, help="limit parameter (0: LRS default)")
    parser.add_argument("--max-seconds", type=float, default=600, help="limit of the query phase")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    learners = args.learners or max(args.statements // 200, 1)
    common.say(
        f"LRS query bench: {args.statements:,} statements, {learners:,} learners, "
        f"{args.queries} queries of each kind, {args.db}"
    )
    with common.bench_database(args.db) as home:
        from django.db import connection

        from learncity.access import system_actor
        from learncity.lrs.credentials import authority_for, create_credential
        from learncity.lrs.selectors import MAX_LIMIT

        institution = common.make_institution()
        credential, secret = create_credential(
            system_actor("bench"), institution, "bench platform", ["read", "write"], "1.0.3"
        )
        generator = lrs_data.Generator(args.seed, learners)
        lrs_data.check_against_lrs(generator, credential)
        common.say("generated statements match what the LRS stores for them (200 checked)")
        stored_rows = lrs_data.Stored(generator, authority_for(credential))
        last = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
        first = last - timedelta(days=365)
        t0 = time.perf_counter()
        lrs_data.load(stored_rows, args.statements, credential.pk, first, last, say=common.say)
        load_seconds = time.perf_counter() - t0
        common.say("analysing")
        if connection.vendor == "postgresql":
            connection.ensure_connection()
            raw = connection.connection
            raw.commit()
            raw.autocommit = True
            raw.execute("VACUUM ANALYZE lrs_statement")
            raw.execute("VACUUM ANALYZE lrs_statementindex")
            raw.autocommit = False
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        common.say(f"loaded and analysed in {time.perf_counter() - t0:,.0f} s")
        limit = min(args.limit or MAX_LIMIT, MAX_LIMIT)
        sets = query_sets(args.queries, learners, last, args.seed)
        bare = Bare(limit)
        auth = "Basic " + base64.b64encode(f"{credential.key}:{secret}".encode()).decode()
        server, port = start_server(home)
        try:
            client = Http(port, auth, args.limit)
            for kind in KINDS:  # a few untimed queries: first requests load code and catalogs
                for params, bare_args in sets[kind][:3]:
                    client.run(params)
                    bare.run(*bare_args)
            results = measure(sets, client, bare, args.max_seconds)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        size = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_database_size(current_database())")
                size = cursor.fetchone()[0]
        else:
            size = sum(p.stat().st_size for p in home.glob("learncity.sqlite3*"))
    lines, worst = [], 0.0
    for kind in KINDS:
        r = results[kind]
        if not r["http"]:
            continue
        h50, h95 = percentile(r["http"], 0.5) * 1000, percentile(r["http"], 0.95) * 1000
        b50, b95 = percentile(r["bare"], 0.5) * 1000, percentile(r["bare"], 0.95) * 1000
        worst = max(worst, h95)
        lines.append(
            f"{kind}: n={len(r['http'])} page={statistics.mean(r['count']):.0f} "
            f"http p50={h50:.1f} ms p95={h95:.1f} ms | bare p50={b50:.1f} ms p95={b95:.1f} ms "
            f"| ratio p50={h50 / b50:.2f} p95={h95 / b95:.2f}"
        )
        common.say(lines[-1])
    verdict = "OK" if worst < TARGET_MS else "MISSED TARGET"
    print(
        f"SUMMARY lrs_query_bench db={args.db} statements={args.statements} "
        f"learners={learners} load={load_seconds:,.0f} s size={(size or 0) / 2**30:.1f} GiB | "
        + " | ".join(lines)
        + f" | target p95 < {TARGET_MS} ms: {verdict}",
        flush=True,
    )


if __name__ == "__main__":
    main()
