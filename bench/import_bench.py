"""Benchmark the streamed spreadsheet import against a bare executemany of the same rows.

    .venv/bin/python bench/import_bench.py [--db sqlite|postgres] [--rows N] [--learners N]

Steps, all in one run on one fresh database (removed at the end):
1. bulk-create the learners and write a CSV of N outcome rows for them (in the template layout);
2. baseline: executemany the same rows through the raw driver (sqlite3 / psycopg) into a plain
   table with records_outcome's columns and no index (and, for reference, into records_outcome
   itself with its indexes, then deleted);
3. the real import, `import_outcomes(system_actor(), institution, path, "bench.csv",
   recognise=False)`, in a child process that does nothing else, so its peak RSS (VmHWM, with
   that of its file-reading process) is the import's memory; the import is done when its rows
   are committed, which is when a large upload answers (its recognition runs after it, in the
   background: LEARNCITY_RECOGNISE_INLINE_ROWS);
4. that recognition, timed on its own: `recognise_in_parallel(outcome_filter={"batch_id": …})`
   as `learncity import-outcomes` runs it (no standard is published here, so every outcome
   gets a decision for the reviewers' queue), and every outcome checked to have one.
Targets: import rate / bare rate >= 0.25, import peak RSS < 300 MB.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

RATIO_TARGET = 0.25
MEMORY_TARGET_MB = 300


def vm_hwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_import(path: str, profile: str | None) -> None:
    """Run only the import (in a child process) and print one JSON line with its figures."""
    import django

    django.setup()
    from learncity.access import system_actor
    from learncity.institutions.models import Institution
    from learncity.records.importer import import_outcomes

    institution = Institution.objects.get(code="BENCH")
    before = vm_hwm_mb()
    t0 = time.perf_counter()
    step = [100_000]

    def progress(rows: int) -> None:
        if rows >= step[0]:
            elapsed = time.perf_counter() - t0
            common.say(f"import: {rows:,} rows, {rows / elapsed:,.0f} rows/s")
            step[0] += 100_000

    def run():
        return import_outcomes(
            system_actor(), institution, Path(path), "bench.csv", progress=progress, recognise=False
        )

    if profile:
        import cProfile

        namespace = {"run": run}
        cProfile.runctx("result = run()", namespace, namespace, profile)
        result = namespace["result"]
    else:
        result = run()
    seconds = time.perf_counter() - t0
    peak = max(vm_hwm_mb(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
    batch = result.batch
    common.say(f"import: {batch.rows_accepted:,} rows stored in {seconds:,.1f} s; recognising")
    from learncity.creditbank.models import Recognition
    from learncity.creditbank.parallel import recognise_in_parallel

    t1 = time.perf_counter()
    report = recognise_in_parallel(outcome_filter={"batch_id": batch.pk})
    recognise_seconds = time.perf_counter() - t1
    decided = Recognition.objects.filter(is_current=True, outcome__batch=batch).count()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "rows": batch.rows_total,
                "accepted": batch.rows_accepted,
                "status": batch.status,
                "rss_before_mb": before,
                "peak_mb": peak,
                "recognise_seconds": recognise_seconds,
                "recognise_workers": report.workers,
                "decided": decided,
            }
        ),
        flush=True,
    )


def write_csv(path: Path, rows: int, learners: int) -> None:
    from learncity.records.spreadsheet import template_header

    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(template_header())
        for n, spec in enumerate(common.outcome_specs(rows, learners), start=1):
            writer.writerow(common.csv_row(spec))
            if n % 200_000 == 0:
                common.say(f"csv: {n:,} rows written")
    common.say(f"csv: {rows:,} rows, {path.stat().st_size / 2**20:,.1f} MB")


def bare_insert(table: str, rows: int, learners: int, pks, institution_id, vendor) -> float:
    def on_chunk(done: int) -> None:
        if done % 200_000 == 0:
            common.say(f"{table}: {done:,} rows inserted")

    specs = common.outcome_specs(rows, learners)
    seconds = common.insert_rows(
        table, common.db_rows(specs, pks, institution_id, vendor), on_chunk=on_chunk
    )
    common.say(f"{table}: {rows:,} rows in {seconds:,.1f} s = {rows / seconds:,.0f} rows/s")
    return seconds


def create_plain_table(vendor: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if vendor == "sqlite":
            cursor.execute("CREATE TABLE bench_bare AS SELECT * FROM records_outcome WHERE 0")
        else:  # same columns and id identity, no primary key, index or constraint
            cursor.execute(
                "CREATE TABLE bench_bare "
                "(LIKE records_outcome INCLUDING DEFAULTS INCLUDING IDENTITY)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rows", type=int, default=1_000_000, help="outcome rows in the CSV")
    parser.add_argument("--learners", type=int, default=10_000, help="pre-registered learners")
    parser.add_argument("--profile", metavar="FILE", help="cProfile the import into FILE")
    parser.add_argument("--child-import", metavar="CSV", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_import:
        return child_import(args.child_import, args.profile)
    common.say(f"import bench: {args.rows:,} rows, {args.learners:,} learners, {args.db}")
    with common.bench_database(args.db) as home:
        from django.db import connection

        institution = common.make_institution()
        pks = common.create_learners(args.learners)
        path = home / "bench.csv"
        write_csv(path, args.rows, args.learners)
        vendor = connection.vendor
        create_plain_table(vendor)
        bare = bare_insert("bench_bare", args.rows, args.learners, pks, institution.pk, vendor)
        indexed = bare_insert(
            "records_outcome", args.rows, args.learners, pks, institution.pk, vendor
        )
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE bench_bare")
            cursor.execute("DELETE FROM records_outcome")
        if vendor == "postgresql":
            connection.ensure_connection()
            connection.connection.execute("VACUUM ANALYZE records_outcome")
        connection.close()
        common.say("import: starting the child process")
        command = [sys.executable, __file__, "--child-import", str(path)]
        if args.profile:
            command += ["--profile", str(Path(args.profile).resolve())]
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as child:
            for line in child.stdout:  # progress lines as they come, then the figures
                if line.startswith("{"):
                    figures = json.loads(line)
                else:
                    print(line, end="", flush=True)
        if child.returncode:
            sys.exit(f"the import child process failed ({child.returncode})")
        children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if figures["accepted"] != args.rows or figures["status"] != "done":
        sys.exit(f"import did not accept every row: {figures}")
    if figures["decided"] != args.rows:
        sys.exit(f"recognition did not decide every outcome: {figures}")
    bare_rate = args.rows / bare
    rate = args.rows / figures["seconds"]
    ratio = rate / bare_rate
    peak = figures["peak_mb"]  # the import's; children_mb also counts the recognition workers
    common.say(
        f"import: {args.rows:,} rows in {figures['seconds']:,.1f} s = {rate:,.0f} rows/s; "
        f"child RSS {figures['rss_before_mb']:.0f} MB after setup, peak {peak:.0f} MB"
    )
    both = figures["seconds"] + figures["recognise_seconds"]
    verdict = "OK" if ratio >= RATIO_TARGET and peak < MEMORY_TARGET_MB else "MISSED TARGET"
    print(
        f"SUMMARY import_bench db={args.db} rows={args.rows} learners={args.learners} "
        f"bare={bare_rate:,.0f} rows/s indexed={args.rows / indexed:,.0f} rows/s "
        f"import={rate:,.0f} rows/s ratio={ratio:.2f} (target >= {RATIO_TARGET}) "
        f"peak={peak:.0f} MB (target < {MEMORY_TARGET_MB}) | then recognition of the batch: "
        f"{figures['recognise_seconds']:,.1f} s with {figures['recognise_workers']} workers "
        f"(import + recognition {args.rows / both:,.0f} rows/s; "
        f"largest process {children_mb:.0f} MB) {verdict}",
        flush=True,
    )


if __name__ == "__main__":
    main()
