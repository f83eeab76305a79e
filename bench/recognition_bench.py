"""Benchmark the set-based recognition batch against a naive per-outcome loop, in one run.

    .venv/bin/python bench/recognition_bench.py [--db sqlite|postgres] [--outcomes N]
        [--learners N] [--naive N] [--verify-learners N] [--workers N] [--profile FILE]

Steps, all in one run on one fresh database (removed at the end):
1. 200 institutions (ORM bulk_create), the learners and N deposited outcomes (raw driver:
   executemany on SQLite, COPY on PostgreSQL; no signals, so nothing is decided yet), ANALYZE;
2. 500 recognition standards imported and published through the real services
   (`import_standards`, `publish_standard`, which refuses equally specific overlapping ones):
   400 by exact certificate code (60 codes in two versions with disjoint effective periods),
   60 by code pattern per institution, 40 generic by kind and institution kind with an hours
   formula; the outcomes hit all three, some hit two (the most specific wins), ~20% none;
3. naive loop over a sample (every k-th outcome, --naive of them): for each outcome, in its own
   transaction, load the outcome and institution, query the standards in force on its
   completion date, test each with `rules.choose` (which calls `rules.matches` on every one),
   create the Recognition and, when credits move, lock the learner, read the chain head and
   create the LedgerEntry, one at a time through the ORM;
4. the real batch over every other outcome: `parallel.recognise_in_parallel()` with --workers
   processes (default one per core; each runs `engine.recognise_undecided()` on its share of
   the learners), or `engine.recognise_undecided()` itself with --workers 1;
5. checks: every outcome has exactly one current recognition, the ledger sum equals the sum of
   recognised credits, `ledger.verify()` finds no problem (on --verify-learners learners, or
   all with 0), and the batch and the naive loop decide a sample of outcomes the same way.
Rates are outcomes per second (wall clock) and per CPU-second (this process plus, on
PostgreSQL, its server backend), so a busy machine shows in the first and not in the second.
Target: batch >= 1,000,000 outcomes per minute.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
import creditbank_data as data  # noqa: E402

TARGET_PER_MINUTE = 1_000_000
INSTITUTIONS = 200
PATTERN_INSTITUTIONS = 60  # institutions I000…I059 publish a code pattern for their courses
EXACT_CODES = 340  # CERT-0000 … CERT-0339 have a standard; CERT-0340 … 0359 have none
TWO_VERSION_CODES = 60  # the first 60 codes: one version until 2019, another from 2020
CERT_CODES = 360
COURSE_INSTITUTIONS = 80  # courses come from I000…I079
EXACT_KINDS = ["skill_certificate", "vocational_certificate", "training", "online_course"]
GENERIC_KINDS = [
    "course",
    "training",
    "online_course",
    "culture_leisure",
    "work_experience",
    "social_practice",
    "skill_certificate",
    "vocational_certificate",
]
OTHER_KINDS = ["culture_leisure", "training", "online_course", "work_experience", "course"]
CATEGORY = {
    "course": "academic",
    "training": "vocational",
    "online_course": "vocational",
    "culture_leisure": "culture_leisure",
    "work_experience": "work_experience",
    "social_practice": "social_practice",
    "skill_certificate": "vocational",
    "vocational_certificate": "vocational",
}
TITLES = {
    "course": "公共管理导论",
    "training": "老年人智能手机应用",
    "online_course": "Python 编程基础",
    "culture_leisure": "书法入门",
    "work_experience": "社区服务岗位",
    "social_practice": "志愿服务",
    "skill_certificate": "养老护理员（四级）",
    "vocational_certificate": "电工职业资格",
}
DAYS = 3300  # completion dates 2016-01-01 … 2025-01-13
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
    "is_current",
    "review_note",
    "created_at",
]


# ---------------------------------------------------------------- standards


def standards_document() -> dict:
    """The 500 standards, as a city would publish them in a standards file."""
    items = []
    for c in range(EXACT_CODES):
        kind = EXACT_KINDS[c % 4]
        base = {
            "name_zh": f"证书 CERT-{c:04d}",
            "kinds": [kind],
            "code_exact": f"CERT-{c:04d}",
            "min_result": "pass",
            "level": 2 + c % 5,
            "category": "vocational",
        }
        if c % 3:
            base["credits_fixed"] = 1 + c % 8
        else:
            base |= {"hours_per_credit": 20, "rounding_step": 0.5, "credits_cap": 10}
        if c < TWO_VERSION_CODES:
            items.append(
                base
                | {
                    "code": f"CERT-{c:04d}",
                    "version": "2015",
                    "effective_from": "2015-01-01",
                    "effective_to": "2019-12-31",
                }
            )
            items.append(
                base
                | {
                    "code": f"CERT-{c:04d}",
                    "version": "2020",
                    "effective_from": "2020-01-01",
                    "level": 3 + c % 5,
                }
            )
        else:
            items.append(
                base | {"code": f"CERT-{c:04d}", "version": "1", "effective_from": "2015-01-01"}
            )
    for k in range(PATTERN_INSTITUTIONS):
        items.append(
            {
                "code": f"I{k:03d}-COURSES",
                "version": "1",
                "name_zh": f"基准学院{k}课程",
                "effective_from": "2015-01-01",
                "kinds": ["course"],
                "institution_codes": [f"I{k:03d}"],
                "code_pattern": f"I{k:03d}-*",
                "min_result": "60",
                "level": 4 + k % 3,
                "category": "academic",
                "hours_per_credit": 16,
                "rounding_step": 0.5,
                "credits_cap": 6,
            }
        )
    pairs = [
        (a, b)
        for a, kind in enumerate(GENERIC_KINDS)
        for b, inst_kind in enumerate(data.INSTITUTION_KINDS)
        if (a + b) % 2 == 0
    ]
    for a, b in pairs:
        kind, inst_kind = GENERIC_KINDS[a], data.INSTITUTION_KINDS[b]
        items.append(
            {
                "code": f"GEN-{kind}-{inst_kind}".upper().replace("_", "-")[:60],
                "version": "1",
                "name_zh": f"{TITLES[kind]}（{inst_kind}）",
                "effective_from": "2015-01-01",
                "kinds": [kind],
                "institution_kinds": [inst_kind],
                "min_hours": 4,
                "level": 1 + (a + b) % 3,
                "category": CATEGORY[kind],
                "hours_per_credit": 16 + 4 * (b % 2),
                "rounding_step": 0.5,
                "credits_cap": 4,
            }
        )
    return {"standards": items}


def publish_standards() -> int:
    import json

    from learncity.access import system_actor
    from learncity.creditbank.services import publish_standard
    from learncity.creditbank.standards_file import import_standards

    actor = system_actor("bench")
    document = standards_document()
    created = import_standards(actor, json.dumps(document))
    for s in created:
        publish_standard(actor, s.pk)  # refuses equally specific overlapping standards
    return len(created)


# ---------------------------------------------------------------- outcomes


def outcome_rows(n: int, first_learner: int, learners: int, institutions, seed: int):
    """n deposited outcomes, deterministic for a seed: 45% certificates with a catalogued code
    (8% failed), 30% courses at one of 80 institutions, coded I###-### (scores 50-100), 25%
    other kinds without a code (1% without hours)."""
    rnd = random.Random(seed)
    start = date(2016, 1, 1)
    days = [(start + timedelta(days=d)).isoformat() for d in range(DAYS)]
    now = data.now_text()
    n_inst = len(institutions)
    for i in range(n):
        x = rnd.getrandbits(128)
        bucket, x = x % 100, x // 100
        learner, x = first_learner + x % learners, x // learners
        inst, x = x % n_inst, x // n_inst
        completed, x = days[x % DAYS], x // DAYS
        hours, x = f"{(1 + x % 240) / 2:.1f}", x // 240
        if bucket < 45:
            c = x % CERT_CODES
            kind, code = EXACT_KINDS[c % 4], f"CERT-{c:04d}"
            result_type, result = "pass", "fail" if x // CERT_CODES % 100 < 8 else "pass"
        elif bucket < 75:
            inst = inst % COURSE_INSTITUTIONS  # most courses come from the bigger institutions
            kind, code = "course", f"{institutions[inst][1]}-{x % 500:03d}"
            result_type, result = "score", str(50 + x // 500 % 51)
        else:
            kind, code = OTHER_KINDS[x % 5], ""
            result_type, result = "none", ""
            if x // 5 % 100 == 0:
                hours = None
        yield (
            learner,
            institutions[inst][0],
            "",
            kind,
            CATEGORY[kind],
            TITLES[kind],
            code,
            hours,
            None,
            result_type,
            result,
            None,
            completed,
            "",
            "",
            "",
            "upload",
            "recorded",
            f"{i:032x}",
            1,
            True,
            "",
            now,
        )


def deposit_outcomes(n: int, first_learner: int, learners: int, institutions, seed: int):
    from learncity.records.models import Outcome

    step = max(1_000_000, n // 10)

    def on_chunk(done: int) -> None:
        if done % step == 0 or done == n:
            common.say(f"outcomes: {done:,} / {n:,}")

    rows = outcome_rows(n, first_learner, learners, institutions, seed)
    data.bulk_load(Outcome._meta.db_table, OUTCOME_COLUMNS, rows, on_chunk=on_chunk)
    first, last, count = data._pk_range(Outcome)
    if count != n or last - first + 1 != n:
        raise RuntimeError(f"outcome ids are not contiguous: {first}..{last} for {count}")
    return first


# ---------------------------------------------------------------- the naive loop


def naive_recognise(outcome_ids: list[int], progress) -> int:
    """Decide each outcome on its own, the obvious way; return how many were decided."""
    from django.db import transaction
    from django.db.models import Q
    from django.utils import timezone

    from learncity.creditbank import ledger
    from learncity.creditbank.chain import GENESIS, entry_hash
    from learncity.creditbank.engine import rule_of
    from learncity.creditbank.models import LedgerEntry, Recognition, RecognitionStandard
    from learncity.creditbank.rules import OutcomeFacts, choose, credits_for
    from learncity.records.models import Outcome

    done = 0
    for pk in outcome_ids:
        with transaction.atomic():
            o = Outcome.objects.select_related("institution").get(pk=pk)
            if Recognition.objects.filter(outcome_id=pk, is_current=True).exists():
                continue
            inst = o.institution
            facts = OutcomeFacts(
                o.pk,
                o.kind,
                inst.code if inst else "",
                inst.kind if inst else "",
                inst.accredited if inst else False,
                o.code,
                o.result_type,
                o.result,
                o.hours,
                o.completed_on,
            )
            in_force = RecognitionStandard.objects.filter(
                status="published", effective_from__lte=o.completed_on
            ).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=o.completed_on))
            standards = {s.key: s for s in in_force}
            choice = choose([rule_of(s) for s in standards.values()], facts)  # matches() each
            rule, credits = choice.rule, None
            explanation = {
                "standard": rule.key if rule else None,
                "candidates": list(choice.candidates),
                "why": choice.reason,
            }
            if rule is not None:
                try:
                    credits = credits_for(rule, o.hours)
                except ValueError as error:
                    explanation.update(standard=None, why=f"{rule.key}: {error}")
                    rule = None
            if rule and credits:
                ledger.lock_learners([o.learner_id])
            rec = Recognition.objects.create(
                outcome=o,
                learner_id=o.learner_id,
                status="recognised" if rule else "pending",
                method="standard" if rule else "",
                standard=standards[rule.key] if rule else None,
                level=rule.level if rule else None,
                category=rule.category if rule else "",
                credits=credits,
                explanation=explanation,
                decided_at=timezone.now() if rule else None,
            )
            if rule and credits:
                head = (
                    LedgerEntry.objects.filter(learner_id=o.learner_id)
                    .order_by("-seq")
                    .values_list("seq", "entry_hash")
                    .first()
                )
                seq, prev = head or (0, GENESIS)
                seq += 1
                today = timezone.localdate()
                year = o.completed_on.year
                body = ledger.content(
                    o.learner_id, seq, "credit", o.pk, rec.pk, rule.category, rule.level,
                    credits, year, today,
                )  # fmt: skip
                LedgerEntry.objects.create(
                    learner_id=o.learner_id,
                    seq=seq,
                    entry_type="credit",
                    outcome=o,
                    recognition=rec,
                    category=rule.category,
                    level=rule.level,
                    credits=body["credits"],
                    year=year,
                    booked_on=today,
                    prev_hash=prev,
                    entry_hash=entry_hash(prev, body),
                )
        done += 1
        progress(done)
    return done


# ---------------------------------------------------------------- checks


def check_results(n: int, verify_learners: int, first_learner: int, learners: int) -> dict:
    """Fail loudly unless the decisions and the ledger are consistent; return the figures."""
    from django.db import connection
    from django.db.models import Count, Sum

    from learncity.creditbank import ledger
    from learncity.creditbank.engine import undecided_outcomes
    from learncity.creditbank.models import LedgerEntry, Recognition

    undecided = undecided_outcomes().count()
    current = Recognition.objects.filter(is_current=True)
    by_status = dict(current.values_list("status").annotate(n=Count("pk")).order_by())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM (SELECT outcome_id FROM creditbank_recognition "
            "WHERE is_current GROUP BY outcome_id HAVING COUNT(*) > 1) AS twice"
        )
        twice = cursor.fetchone()[0]
    recognised = current.filter(status="recognised").aggregate(s=Sum("credits"), n=Count("pk"))
    paying = current.filter(status="recognised", credits__gt=0).count()
    entries = LedgerEntry.objects.aggregate(s=Sum("credits"), n=Count("pk"))
    problems = []
    if undecided:
        problems.append(f"{undecided} outcomes without a current recognition")
    if sum(by_status.values()) != n or twice:
        problems.append(f"{sum(by_status.values())} current recognitions for {n} outcomes")
    if entries["s"] != recognised["s"] or entries["n"] != paying:
        problems.append(f"ledger {entries} != recognised {recognised} ({paying} with credits)")
    if verify_learners:
        step = max(1, learners // verify_learners)
        ids = list(range(first_learner, first_learner + learners, step))[:verify_learners]
    else:
        ids = None
    t0 = time.perf_counter()
    read, chain_problems = ledger.verify(ids)
    verify_seconds = time.perf_counter() - t0
    if chain_problems:
        problems.append(f"ledger.verify: {chain_problems[:5]}")
    common.say(
        f"checks: {by_status}; ledger {entries['n']:,} entries, {entries['s']} credits "
        f"= recognised {recognised['s']}; verify read {read:,} entries "
        f"({'all' if ids is None else f'{len(ids):,} learners'}) in {verify_seconds:.1f} s"
    )
    if problems:
        sys.exit("CHECK FAILED: " + "; ".join(problems))
    return {"by_status": by_status, "entries": entries["n"], "verified_entries": read}


def cross_check(outcome_ids: list[int]) -> int:
    """The stored decision of each outcome equals both engine.decide (indexed RuleBook) and
    rules.choose over every published standard. Return how many were compared."""
    from learncity.creditbank.engine import (
        OUTCOME_FIELDS,
        RuleBook,
        _institutions,
        decide,
        rule_of,
    )
    from learncity.creditbank.models import Recognition, RecognitionStandard
    from learncity.creditbank.rules import OutcomeFacts, choose, credits_for
    from learncity.records.models import Outcome

    standards = list(RecognitionStandard.objects.filter(status="published"))
    book, every_rule = RuleBook(standards), [rule_of(s) for s in standards]
    institutions = _institutions()
    stored = {
        o: (s, c)
        for o, s, c in Recognition.objects.filter(
            outcome_id__in=outcome_ids, is_current=True
        ).values_list("outcome_id", "explanation__standard", "credits")
    }
    rows = Outcome.objects.filter(pk__in=outcome_ids).values_list(*OUTCOME_FIELDS)
    bad = []
    for row in rows:
        d = decide(book, row, institutions)
        by_index = (d.rule.key if d.rule else None, d.credits)
        pk, _l, kind, inst_id, code, rtype, result, hours, completed_on = row
        ic, ik, acc = institutions[inst_id]
        facts = OutcomeFacts(pk, kind, ic, ik, acc, code, rtype, result, hours, completed_on)
        rule = choose(every_rule, facts).rule
        try:
            naive = (rule.key, credits_for(rule, hours)) if rule else (None, None)
        except ValueError:
            naive = (None, None)
        if not (stored.get(pk) == by_index == naive):
            bad.append((pk, stored.get(pk), by_index, naive))
    if bad or len(stored) != len(outcome_ids):
        sys.exit(f"CHECK FAILED: decisions differ: {bad[:5]} ({len(bad)} in all)")
    return len(outcome_ids)


# ---------------------------------------------------------------- main


def timed(label: str, clock: data.CpuClock, job):
    w0, c0, b0 = clock.read()
    result = job()
    w1, c1, b1 = clock.read()
    figures = {"wall": w1 - w0, "cpu": c1 - c0, "server_cpu": b1 - b0}
    common.say(
        f"{label}: {figures['wall']:,.1f} s wall, {figures['cpu']:,.1f} s CPU here, "
        f"{figures['server_cpu']:,.1f} s CPU in the server backend"
    )
    return result, figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--outcomes", type=int, default=10_000_000)
    parser.add_argument("--learners", type=int, help="default: outcomes / 10 (at least 100)")
    parser.add_argument("--naive", type=int, default=5_000, help="outcomes the naive loop does")
    parser.add_argument(
        "--verify-learners",
        type=int,
        default=20_000,
        help="learners whose chains ledger.verify() checks afterwards (0: every learner)",
    )
    parser.add_argument("--profile", metavar="FILE", help="cProfile the batch (CPU time) into FILE")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="batch worker processes (0: as learncity recognise chooses)",
    )
    args = parser.parse_args()
    n = args.outcomes
    learners = args.learners or max(100, n // 10)
    naive_n = min(args.naive, n // 2)
    common.say(
        f"recognition bench: {n:,} outcomes, {learners:,} learners, naive sample "
        f"{naive_n:,}, {args.db}"
    )
    with common.bench_database(args.db):
        from django.db import connection

        from learncity.creditbank import engine

        institutions = data.make_institutions(INSTITUTIONS)
        first_learner = data.make_learners(learners)
        published = publish_standards()
        common.say(f"standards: {published} published")
        t0 = time.perf_counter()
        first = deposit_outcomes(n, first_learner, learners, institutions, args.seed)
        common.say(f"outcomes: {n:,} deposited in {time.perf_counter() - t0:,.1f} s; ANALYZE")
        data.analyze()
        clock = data.CpuClock()

        step = max(1, n // naive_n) if naive_n else 0
        naive_ids = list(range(first, first + n, step))[:naive_n] if naive_n else []

        def naive_progress(done: int) -> None:
            if done % 5000 == 0:
                common.say(f"naive: {done:,} / {naive_n:,}")

        decided, naive = timed(
            "naive loop", clock, lambda: naive_recognise(naive_ids, naive_progress)
        )
        # A fresh connection for the batch: PostgreSQL caches the plans of its foreign-key
        # checks per connection, and those planned while the naive loop's tables were tiny
        # (sequential scans) would make every later check scan the whole growing table.
        connection.close()
        clock = data.CpuClock()
        mark = [max(500_000, n // 10)]
        started = time.perf_counter()

        def progress(examined: int) -> None:
            if examined >= mark[0]:
                rate = examined / (time.perf_counter() - started)
                common.say(f"batch: {examined:,} outcomes, {rate:,.0f} /s")
                mark[0] += max(500_000, n // 10)

        def batch():
            if args.workers != 1:
                from learncity.creditbank.parallel import recognise_in_parallel

                return recognise_in_parallel(args.workers or None, progress=progress)
            if not args.profile:
                return engine.recognise_undecided(progress=progress)
            import cProfile

            profiler = cProfile.Profile(time.process_time)  # CPU time: load on others' cores
            report = profiler.runcall(engine.recognise_undecided, progress=progress)
            profiler.dump_stats(str(Path(args.profile).resolve()))
            return report

        report, fast = timed("batch", clock, batch)
        if report.workers > 1:  # the work ran in child processes with their own backends
            fast["cpu"] += report.cpu_seconds
            common.say(
                f"batch: {report.workers} worker processes used {report.cpu_seconds:,.1f} "
                "CPU-s (with their database backends)"
            )
        figures = check_results(n, args.verify_learners, first_learner, learners)
        rnd = random.Random(args.seed)
        naive_set = set(naive_ids)
        others = rnd.sample(range(first, first + n), min(n, 2000 + len(naive_set)))
        sample = (
            rnd.sample(naive_ids, min(1000, len(naive_ids)))
            + [x for x in others if x not in naive_set][:2000]
        )
        compared = cross_check(sample)
        common.say(f"cross-check: {compared:,} outcomes decided alike by batch, index and naive")
    if report.examined + decided != n:
        sys.exit(f"CHECK FAILED: batch {report.examined} + naive {decided} != {n}")
    rate = report.examined / fast["wall"]
    naive_rate = decided / naive["wall"] if decided else float("nan")
    cpu_rate = report.examined / (fast["cpu"] + fast["server_cpu"])
    naive_cpu_rate = decided / (naive["cpu"] + naive["server_cpu"]) if decided else float("nan")
    verdict = "OK" if rate * 60 >= TARGET_PER_MINUTE else "MISSED TARGET"
    stamp = time.strftime("%Y-%m-%dT%H:%MZ", time.gmtime())
    print(
        f"SUMMARY recognition_bench db={args.db} utc={stamp} outcomes={n} "
        f"workers={report.workers} "
        f"learners={learners} standards={published} batch={report.examined} "
        f"(recognised {report.recognised}, to review {report.to_review}) "
        f"in {fast['wall']:.1f} s = {rate:,.0f}/s = {rate * 60:,.0f}/min "
        f"(CPU {fast['cpu']:.1f}+{fast['server_cpu']:.1f} s: {cpu_rate:,.0f}/CPU-s) "
        f"naive={decided} in {naive['wall']:.1f} s = {naive_rate:,.0f}/s "
        f"({naive_cpu_rate:,.0f}/CPU-s) ratio={rate / naive_rate:.1f}x "
        f"(CPU ratio {cpu_rate / naive_cpu_rate:.1f}x) ledger={figures['entries']} "
        f"verified={figures['verified_entries']} cross-checked={compared} "
        f"(target >= {TARGET_PER_MINUTE:,}/min) {verdict}",
        flush=True,
    )


if __name__ == "__main__":
    main()
