"""Benchmark `ledger.verify()` over many accounts against a bare read and a bare hash, in one run.

    .venv/bin/python bench/ledger_verify_bench.py [--db sqlite|postgres] [--accounts N]
        [--entries N]

Steps, all in one run on one fresh database (removed at the end):
1. the accounts (learners, bulk-loaded) and their ledgers: `--entries` entries spread over the
   accounts (1 to 2x the mean each), chained with chain.py's `entry_hash` over ledger.py's
   `content` exactly as `ledger.append` chains them, bulk-loaded through the raw driver
   (executemany on SQLite, COPY on PostgreSQL) in (learner, seq) order. The entries' outcome
   and recognition ids are synthetic (no such rows; foreign-key checks are off for the load):
   verify reads the ledger table only. Then ANALYZE (VACUUM ANALYZE on PostgreSQL);
2. in a fresh child process: `ledger.verify()` over every account, with its entries per second,
   its CPU (and the server backend's), its resident memory after Django's set-up, sampled every
   100,000 entries, and its peak (VmHWM) — streaming means the peak does not grow with size;
3. baselines in another fresh child, same rows, same driver: (a) a bare streamed SELECT of the
   columns verify reads, in the same order (server-side cursor on PostgreSQL, fetchmany on
   SQLite), nothing done with the rows; (b) SHA-256 alone over the exact bytes verify hashes
   (previous hash + canonical JSON) for a sample of entries, built beforehand, no database;
   the floor is one read plus one hash per entry;
4. checks: verify read every entry and found no problem; then one entry's credits are changed
   directly in the database and verify names it.
Reports: verify entries/s, read entries/s, hash entries/s, verify / read and verify / floor.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
import creditbank_data as data  # noqa: E402

CATEGORIES = ["academic", "vocational", "culture_leisure", "work_experience", "social_practice"]
HASH_SAMPLE = 200_000  # entries whose bytes are hashed for the hash-only baseline
READ_CHUNK = 20_000  # rows per fetch, as verify's iterator(chunk_size=20000)


def columns() -> list[str]:
    """The ledger's columns but the key, as `ledger.verify` reads them (after django.setup)."""
    from learncity.creditbank.ledger import FIELDS

    return list(FIELDS[1:])  # attnames, which are the column names here


# ---------------------------------------------------------------- building the ledger


def entry_counts(accounts: int, entries: int) -> list[int]:
    """Entries per account: around the mean, pairs of accounts offset in opposite directions,
    so the total is exact and every account has at least one."""
    mean, extra = divmod(entries, accounts)
    counts = [mean] * accounts
    for k in range(extra):
        counts[k] += 1
    for k in range(0, accounts - 1, 2):
        shift = (k * 7919) % mean if mean > 1 else 0
        counts[k] += shift
        counts[k + 1] -= shift
    return counts


def ledger_rows(first_learner: int, counts: list[int]):
    """Every account's chain, as ledger.append would have written it."""
    from learncity.creditbank import ledger
    from learncity.creditbank.chain import GENESIS, entry_hash

    amounts = [Decimal(n) / 2 for n in range(1, 17)]  # 0.5 … 8.0 credits
    booked = [date(2016, 1, 1) + timedelta(days=d) for d in range(3650)]
    number = 0
    for k, count in enumerate(counts):
        learner, prev = first_learner + k, GENESIS
        for seq in range(1, count + 1):
            number += 1
            x = (number * 2654435761) & 0xFFFFFFFF
            entry_type = "reversal" if x % 32 == 0 else "credit"
            credits = amounts[(x >> 5) % 16] * (-1 if entry_type == "reversal" else 1)
            category, level = CATEGORIES[(x >> 9) % 5], 1 + (x >> 12) % 8
            booked_on = booked[(number // 97) % 3650]
            body = ledger.content(
                learner, seq, entry_type, number, number, category, level, credits,
                booked_on.year, booked_on,
            )  # fmt: skip
            digest = entry_hash(prev, body)
            yield (
                learner, seq, entry_type, number, number, category, level,
                str(body["credits"]), booked_on.year, body["booked_on"], prev, digest,
            )  # fmt: skip
            prev = digest


def build(accounts: int, entries: int) -> int:
    from django.db import connection

    from learncity.creditbank.models import LedgerEntry

    first = data.make_learners(accounts)
    counts = entry_counts(accounts, entries)
    step = max(1_000_000, entries // 10)
    t0 = time.perf_counter()

    def on_chunk(done: int) -> None:
        if done % step == 0 or done == entries:
            rate = done / (time.perf_counter() - t0)
            common.say(f"ledger: {done:,} / {entries:,} entries chained and loaded, {rate:,.0f}/s")

    with data.foreign_keys_off():
        loaded = data.bulk_load(
            LedgerEntry._meta.db_table, columns(), ledger_rows(first, counts), on_chunk=on_chunk
        )
    if loaded != entries:
        raise RuntimeError(f"loaded {loaded} entries, not {entries}")
    common.say(
        "ledger: loaded; " + ("VACUUM ANALYZE" if connection.vendor != "sqlite" else "ANALYZE")
    )
    if connection.vendor == "sqlite":
        data.analyze()
    else:
        connection.ensure_connection()
        connection.connection.execute("VACUUM ANALYZE")
    return first


# ---------------------------------------------------------------- the measured children


def child_verify() -> dict:
    """Only ledger.verify(), in a process that did nothing else."""
    import django

    django.setup()
    from learncity.creditbank import ledger

    clock = data.CpuClock()
    before = data.vm_rss_mb()
    samples = []
    w0, c0, b0 = clock.read()

    def progress(count: int) -> None:
        samples.append(data.vm_rss_mb())
        if count % 1_000_000 == 0:
            rate = count / (time.perf_counter() - w0)
            common.say(f"verify: {count:,} entries, {rate:,.0f}/s, RSS {samples[-1]:.0f} MB")

    count, problems = ledger.verify(progress=progress)
    w1, c1, b1 = clock.read()
    return {
        "entries": count,
        "problems": len(problems),
        "seconds": w1 - w0,
        "cpu": c1 - c0,
        "server_cpu": b1 - b0,
        "rss_before_mb": before,
        "rss_min_mb": min(samples),
        "rss_max_mb": max(samples),
        "peak_mb": data.vm_hwm_mb(),
    }


def child_baseline() -> dict:
    """The same rows through the same driver with nothing done to them; then SHA-256 alone
    over the bytes verify hashes, for a sample."""
    import django

    django.setup()
    from django.db import connection, transaction

    from learncity.creditbank import ledger
    from learncity.creditbank.chain import canonical
    from learncity.creditbank.models import LedgerEntry

    table = LedgerEntry._meta.db_table
    sql = f"SELECT id, {', '.join(columns())} FROM {table} ORDER BY learner_id, seq"
    clock = data.CpuClock()
    before = data.vm_rss_mb()
    count = 0
    w0, c0, b0 = clock.read()
    with transaction.atomic():
        connection.ensure_connection()
        raw = connection.connection
        cursor = raw.cursor(name="bench_read") if connection.vendor != "sqlite" else raw.cursor()
        cursor.execute(sql)
        while rows := cursor.fetchmany(READ_CHUNK):
            count += len(rows)
        cursor.close()
    w1, c1, b1 = clock.read()
    read_peak = data.vm_hwm_mb()
    # bytes exactly as verify builds them (untimed), then only the hashing is timed
    rows = LedgerEntry.objects.order_by("learner_id", "seq").values_list(*ledger.FIELDS)
    blobs = []
    for row in rows[:HASH_SAMPLE].iterator(chunk_size=READ_CHUNK):
        entry = ledger._chained(row)
        blobs.append(entry.prev_hash.encode() + canonical(entry.content))
    t0, p0 = time.perf_counter(), time.process_time()
    for blob in blobs:
        hashlib.sha256(blob).hexdigest()
    hash_seconds, hash_cpu = time.perf_counter() - t0, time.process_time() - p0
    return {
        "entries": count,
        "seconds": w1 - w0,
        "cpu": c1 - c0,
        "server_cpu": b1 - b0,
        "rss_before_mb": before,
        "peak_mb": read_peak,
        "hashed": len(blobs),
        "hash_seconds": hash_seconds,
        "hash_cpu": hash_cpu,
        "bytes_per_entry": sum(map(len, blobs)) / max(1, len(blobs)),
    }


def run_child(kind: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind],
        env=os.environ.copy(),
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    *lines, last = out.strip().splitlines()
    for line in lines:
        print(line, flush=True)
    return json.loads(last)


def tamper_check(first_learner: int) -> None:
    """Change one entry's credits behind the application's back; verify must name it."""
    from django.db import connection

    from learncity.creditbank import ledger
    from learncity.creditbank.models import LedgerEntry

    entry = LedgerEntry.objects.filter(learner_id=first_learner).order_by("seq").first()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {LedgerEntry._meta.db_table} SET credits = credits + 1 WHERE id = %s",
            [entry.pk],
        )
    _count, problems = ledger.verify([first_learner])
    found = {(p.entry_id, p.problem) for _l, p in problems}
    if (entry.pk, "content_changed") not in found:
        sys.exit(f"CHECK FAILED: verify missed a changed entry: {problems}")
    common.say(f"tamper check: verify named entry {entry.pk} ({len(problems)} problem)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=20_000_000)
    parser.add_argument("--child", choices=["verify", "baseline"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        result = child_verify() if args.child == "verify" else child_baseline()
        print(json.dumps(result), flush=True)
        return
    if args.entries < args.accounts:
        parser.error("--entries must be at least --accounts")
    common.say(
        f"ledger verify bench: {args.accounts:,} accounts, {args.entries:,} entries, {args.db}"
    )
    with common.bench_database(args.db):
        from django.db import connection

        first = build(args.accounts, args.entries)
        connection.close()
        common.say("verify: starting the child process")
        verify = run_child("verify")
        common.say("baselines: starting the child process")
        base = run_child("baseline")
        tamper_check(first)
    if verify["entries"] != args.entries or verify["problems"]:
        sys.exit(f"CHECK FAILED: verify read {verify['entries']} entries, problems: {verify}")
    if base["entries"] != args.entries:
        sys.exit(f"CHECK FAILED: the bare read gave {base['entries']} rows")
    rate = verify["entries"] / verify["seconds"]
    read_rate = base["entries"] / base["seconds"]
    hash_rate = base["hashed"] / base["hash_seconds"]
    floor = 1 / (1 / read_rate + 1 / hash_rate)
    cpu = verify["cpu"] + verify["server_cpu"]
    base_cpu = base["cpu"] + base["server_cpu"]
    cpu_rate, read_cpu_rate = verify["entries"] / cpu, base["entries"] / base_cpu
    hash_cpu_rate = base["hashed"] / base["hash_cpu"]
    cpu_floor = 1 / (1 / read_cpu_rate + 1 / hash_cpu_rate)
    stamp = time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime())
    print(
        f"SUMMARY ledger_verify_bench db={args.db} utc={stamp} accounts={args.accounts} "
        f"entries={args.entries} verify={verify['seconds']:.1f} s = {rate:,.0f} entries/s "
        f"(CPU {verify['cpu']:.1f}+{verify['server_cpu']:.1f} s: {cpu_rate:,.0f}/CPU-s) "
        f"read={read_rate:,.0f}/s (CPU {base['cpu']:.1f}+{base['server_cpu']:.1f} s: "
        f"{read_cpu_rate:,.0f}/CPU-s) hash={hash_rate:,.0f}/s ({hash_cpu_rate:,.0f}/CPU-s, "
        f"{base['bytes_per_entry']:.0f} B) floor={floor:,.0f}/s ({cpu_floor:,.0f}/CPU-s) "
        f"ratio verify/read={rate / read_rate:.2f} verify/floor={rate / floor:.2f} "
        f"(CPU: {cpu_rate / read_cpu_rate:.2f}, {cpu_rate / cpu_floor:.2f}) RSS after setup "
        f"{verify['rss_before_mb']:.0f} MB, during verify {verify['rss_min_mb']:.0f}-"
        f"{verify['rss_max_mb']:.0f} MB, peak {verify['peak_mb']:.0f} MB (bare read peak "
        f"{base['peak_mb']:.0f} MB) problems=0 tamper=found",
        flush=True,
    )


if __name__ == "__main__":
    main()
