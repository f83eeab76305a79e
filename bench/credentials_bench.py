"""Benchmark: issue and verify OB 3.0 credentials, and the share of time in canonicalisation.

    .venv/bin/python bench/credentials_bench.py                    # 10,000, signing core only
    .venv/bin/python bench/credentials_bench.py --db sqlite         # through the services + DB
    .venv/bin/python bench/credentials_bench.py --db postgres -n 2000
    .venv/bin/python bench/credentials_bench.py --db sqlite --batch  # issue_for_recognitions
    .venv/bin/python bench/credentials_bench.py --workers 2         # both cores
    .venv/bin/python bench/credentials_bench.py --profile 500       # cProfile's top functions
    .venv/bin/python bench/credentials_bench.py --profile 500 --db sqlite   # ... of the services

"core" builds each credential from facts, signs it twice (eddsa-rdfc-2022 and VC-JWT) and runs
the full check-by-check verification (contexts, proof, issuer key, dates, status, schema).
"--db" goes through `services.issue_for_recognition` (status position, audit entry, storage)
and `checking.verify_submission` (the DID document and status read from the database), one
credential at a time as a learner's request does; "--db ... --batch" issues through
`services.issue_for_recognitions` (what `issue_missing` and `credentials_issue` use).
Canonicalisation time is measured by wrapping `proofs.canonicalize`, which both signing and
verification call twice per credential (document and proof options).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from uuid import uuid4

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
from common import bench_database, say  # noqa: E402

CANON = {"seconds": 0.0, "calls": 0}


def _time_canonicalisation() -> None:
    from learncity.credentials import proofs

    inner = proofs.canonicalize

    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            CANON["seconds"] += time.perf_counter() - start
            CANON["calls"] += 1

    proofs.canonicalize = timed


def _facts(i: int):
    from learncity.credentials import bitstring, build

    level = build.Level("LearnCity 默认资历框架", "https://credit.example/f", 4, "四级", 4)
    status = [bitstring.entry("https://credit.example/credentials/status/1/" + p, p, i)
              for p in bitstring.PURPOSES]
    return build.Achievement(
        f"urn:uuid:{uuid4()}", f"urn:uuid:{uuid4()}", "老年人智能手机应用", "training",
        f"C1-{i % 97:02d}", "基准测试学院", "https://credit.example/institutions/BENCH",
        "vocational", "职业培训与证书", level, Decimal("2.5"), "86", "score", Decimal(40),
        date(2024, 3, 1), date(2024, 6, 30), "依据认定标准 BENCH@1 认定。", status=status)


def core(n: int) -> dict:
    """Sign and verify n credentials without a database."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from learncity.credentials import build, didweb, multikey, vcjwt
    from learncity.credentials.proofs import create_proof
    from learncity.credentials.verify import verify_credential

    secret = Ed25519PrivateKey.generate()
    did = "did:web:credit.example"
    fragment = multikey.encode_public_key(secret.public_key())
    method = f"{did}#{fragment}"
    resolve = didweb.key_resolver([didweb.did_document(
        did, [didweb.PublishedKey(fragment, fragment)])])
    issuer = build.Issuer(did, "LearnCity 学分银行", "https://credit.example/")
    subject = build.Subject(f"urn:uuid:{uuid4()}", "B00000000001", "王建国")
    now = datetime.now(UTC)
    signed = []
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(n):
        unsigned = build.achievement_credential(
            issuer, subject, _facts(i), now, now + timedelta(days=3650))
        signed.append((create_proof(unsigned, secret, method, now),
                       vcjwt.sign(unsigned, secret, method)))
    issue_s, issue_canon = time.perf_counter() - start, CANON["seconds"]
    issue_cpu = time.process_time() - cpu
    start, cpu = time.perf_counter(), time.process_time()
    failures = 0
    for document, _jwt in signed:
        report = verify_credential(document, resolve_key=resolve,
                                   status_of=lambda url, purpose, index: False, now=now)
        failures += not report.verified
    verify_s, verify_cpu = time.perf_counter() - start, time.process_time() - cpu
    figures = _figures(n, issue_s, issue_canon, verify_s, CANON["seconds"] - issue_canon,
                       failures)
    figures["issue_per_cpu_s"] = n / issue_cpu
    figures["verify_per_cpu_s"] = n / verify_cpu
    figures["issue_and_verify_per_cpu_s"] = n / (issue_cpu + verify_cpu)
    return figures


def _worker(n: int) -> dict:
    CANON.update(seconds=0.0, calls=0)  # forked with the timing wrapper already in place
    return core(n)


def parallel(n: int, workers: int) -> dict:
    """core() in several processes at once: the machine's throughput, not one core's."""
    from concurrent.futures import ProcessPoolExecutor

    start = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        parts = list(pool.map(_worker, [n // workers] * workers))
    wall = time.perf_counter() - start
    done = sum(p["credentials"] for p in parts)
    return {"credentials": done, "workers": workers,
            "failures": sum(p["failures"] for p in parts),
            "issue_and_verify_per_s": done / wall,
            "canon_share_issue": sum(p["canon_share_issue"] for p in parts) / workers,
            "canon_share_verify": sum(p["canon_share_verify"] for p in parts) / workers}


def _recognitions(n: int) -> list[int]:
    """n recognised outcomes of one learner, created in bulk as the credit bank stores them."""
    from common import create_learners, make_institution
    from django.utils import timezone

    from learncity.creditbank.models import Recognition
    from learncity.framework.loader import load_framework
    from learncity.identity.models import Learner
    from learncity.records.models import Outcome

    load_framework()
    institution = make_institution()
    learner = Learner.objects.get(pk=create_learners(1)[0])
    now = timezone.now()
    outcomes = Outcome.objects.bulk_create([Outcome(
        learner=learner, institution=institution, kind="training", category="vocational",
        title="老年人智能手机应用", code=f"C1-{i:05d}", hours=40, result_type="score",
        result="86", completed_on=date(2024, 6, 30), source="upload", status="recorded",
    ) for i in range(n)], batch_size=1000)
    Recognition.objects.bulk_create([Recognition(
        outcome=o, learner=learner, status="recognised", method="review", level=4,
        category="vocational", credits=Decimal("2.5"), decided_at=now,
    ) for o in outcomes], batch_size=1000)
    return list(Recognition.objects.order_by("pk").values_list("pk", flat=True))


def with_database(n: int, batch: bool = False) -> dict:
    from learncity.access import system_actor
    from learncity.credentials import services
    from learncity.credentials.checking import verify_submission
    from learncity.credentials.models import IssuedCredential

    say(f"creating {n:,} recognised outcomes")
    ids = _recognitions(n)
    actor = system_actor("bench")
    services.issue_for_recognition(actor, ids[0])  # makes the key; not timed
    CANON.update(seconds=0.0, calls=0)
    start, cpu = time.perf_counter(), time.process_time()
    if batch:
        for first in range(1, n, services.BATCH):
            services.issue_for_recognitions(actor, ids[first:first + services.BATCH])
    else:
        for rec_id in ids[1:]:
            services.issue_for_recognition(actor, rec_id)
    issue_s, issue_canon = time.perf_counter() - start, CANON["seconds"]
    issue_cpu = time.process_time() - cpu
    say("verifying")
    start, cpu = time.perf_counter(), time.process_time()
    failures = 0
    for document in IssuedCredential.objects.values_list("document", flat=True).iterator():
        failures += not verify_submission(document).verified
    verify_s, verify_cpu = time.perf_counter() - start, time.process_time() - cpu
    figures = _figures(n - 1, issue_s, issue_canon, verify_s, CANON["seconds"] - issue_canon,
                       failures)
    figures["issue_per_cpu_s"] = (n - 1) / issue_cpu
    figures["verify_per_cpu_s"] = n / verify_cpu
    figures["issue_and_verify_per_cpu_s"] = 1 / (issue_cpu / (n - 1) + verify_cpu / n)
    return figures


def _figures(n, issue_s, issue_canon, verify_s, verify_canon, failures) -> dict:
    return {
        "credentials": n, "failures": failures,
        "issue_per_s": n / issue_s, "verify_per_s": n / verify_s,
        "issue_and_verify_per_s": n / (issue_s + verify_s),
        "canon_share_issue": issue_canon / issue_s, "canon_share_verify": verify_canon / verify_s,
        "canon_calls": CANON["calls"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"])
    parser.add_argument("--profile", type=int, default=0,
                        help="profile this many (core, or the services path with --db)")
    parser.add_argument("--top", type=int, default=30, help="functions shown when profiling")
    parser.add_argument("--batch", action="store_true",
                        help="with --db: issue through services.issue_for_recognitions")
    parser.add_argument("--workers", type=int, default=1, help="processes (core only)")
    args = parser.parse_args()
    if args.profile:
        import os

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learncity.settings")
        profiler = cProfile.Profile()
        if args.db:
            with bench_database(args.db):
                profiler.runcall(with_database, args.profile, args.batch)
        else:
            profiler.runcall(core, args.profile)
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)
        return
    _time_canonicalisation()
    if args.db:
        with bench_database(args.db):
            figures = with_database(args.n, args.batch)
    elif args.workers > 1:
        figures = parallel(args.n, args.workers)
    else:
        figures = core(args.n)
    for key, value in figures.items():
        shown = f"{value:.0%}" if key.startswith("canon_share") else \
            f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"
        print(f"{key:24} {shown}")


if __name__ == "__main__":
    main()
