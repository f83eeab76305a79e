"""The database part of transfer_bench.py: the same world stored, proposals through the service,
and the database batch. Runs inside `common.bench_database()`."""

from __future__ import annotations

import random
import statistics
import time
from decimal import Decimal

import common
import creditbank_data as data
import transfer_data as world


def source_json(source) -> dict:
    out = {}
    for name in ("kinds", "institution_kinds", "categories"):
        if getattr(source, name):
            out[name] = sorted(getattr(source, name))
    for name in ("code_exact", "code_pattern", "min_result", "min_level"):
        if getattr(source, name):
            out[name] = getattr(source, name)
    return out


def store_world(system):
    """Target institution, programme, 50 source institutions, the 2,000-rule standard."""
    from learncity.transfer.models import Programme, ProgrammeCourse
    from learncity.transfer.services.standards import publish_standard
    from learncity.transfer.standards_file import import_standards

    institutions = data.make_institutions(50)
    target = common.make_institution("TGT")
    spec = world.programme()
    caps = spec.caps
    programme = Programme.objects.create(
        institution=target,
        code=spec.code,
        name_zh="基准专业",
        total_credits=caps.total_credits,
        transfer_max_share=caps.max_share,
        residency_min_credits=caps.residency_min,
        per_institution_max=caps.per_institution,
        per_year_max=caps.per_year,
        elective_credits=caps.electives,
        validity_years=caps.validity_years,
    )
    ProgrammeCourse.objects.bulk_create(
        ProgrammeCourse(programme=programme, code=c.code, name_zh=c.code, credits=c.credits)
        for c in spec.courses
    )
    rules = [
        {
            "code": r.key.rsplit("/", 1)[1],
            "sources": [source_json(s) for s in r.sources],
            "targets": list(r.targets),
            "elective_credits": float(r.elective_credits),
        }
        for r in world.rules(spec)
    ]
    document = {
        "standards": [
            {
                "code": "BENCH",
                "version": "1",
                "name_zh": "基准转换标准",
                "institution": "TGT",
                "effective_from": "2020-01-01",
                "rules": rules,
            }
        ]
    }
    import json

    t0 = time.perf_counter()
    [standard] = import_standards(system, json.dumps(document))
    t1 = time.perf_counter()
    publish_standard(system, standard.pk)
    t2 = time.perf_counter()
    common.say(f"standard of {len(rules)} rules: import {t1 - t0:.2f} s, publish {t2 - t1:.2f} s")
    return programme, {code: pk for pk, code, _kind, _acc in institutions}, (t1 - t0, t2 - t1)


def store_archives(first_learner: int, learners: int, institutions: dict) -> int:
    """Outcomes and their recognitions (ORM bulk_create); learner 0 gets 200 outcomes."""
    from learncity.creditbank.models import Recognition
    from learncity.records.models import Outcome

    rnd, total, outcomes = random.Random(5), 0, []

    def flush():
        made = Outcome.objects.bulk_create(outcomes, batch_size=5000)
        Recognition.objects.bulk_create(
            [
                Recognition(
                    outcome=o,
                    learner_id=o.learner_id,
                    status="recognised",
                    method="standard",
                    level=o._level,
                    category=o.category,
                    credits=Decimal(2),
                )
                for o in made
            ],
            batch_size=5000,
        )
        outcomes.clear()

    for k in range(learners):
        count = 200 if k == 0 else max(1, int(rnd.expovariate(1 / 20)))
        for h in world.held(rnd, min(count, 400), 0.5 if k == 0 else 0.3):
            o = Outcome(
                learner_id=first_learner + k,
                institution_id=institutions[h.institution_code],
                kind=h.kind,
                category=h.category,
                title=h.code,
                code=h.code,
                result_type="score",
                result=h.result,
                completed_on=h.completed_on,
                source="api",
                status="recorded" if not h.usable else "revoked",
            )
            o._level = h.level
            outcomes.append(o)
        total += count
        if len(outcomes) >= 50_000:
            flush()
            common.say(f"archives: {k + 1:,} learners, {total:,} outcomes")
    flush()
    return total


def run(learners: int, runs: int) -> dict:
    from learncity.access import system_actor
    from learncity.transfer import loading
    from learncity.transfer.batch import run_batch
    from learncity.transfer.selectors import proposal_for

    system = system_actor("bench")
    programme, institutions, (import_s, publish_s) = store_world(system)
    first = data.make_learners(learners)
    outcomes = store_archives(first, learners, institutions)
    data.analyze()
    common.say(f"stored {learners:,} learners with {outcomes:,} recognised outcomes")
    t0 = time.perf_counter()
    proposal, _standards = proposal_for(programme, first)
    cold = (time.perf_counter() - t0) * 1000
    warm = []
    for _ in range(min(runs, 50)):
        t0 = time.perf_counter()
        proposal_for(programme, first)
        warm.append((time.perf_counter() - t0) * 1000)
    loading._CACHE.clear()
    report = run_batch(programme.code, progress=lambda n: common.say(f"db batch: {n:,}"))
    figures = {
        "import_s": import_s,
        "publish_s": publish_s,
        "cold_ms": cold,
        "warm_median_ms": statistics.median(warm),
        "warm_max_ms": max(warm),
        "credits": str(proposal.credits),
        "solver": proposal.solver,
        "batch_learners": report.learners,
        "batch_per_second": report.per_second,
        "batch_solvers": dict(report.solvers),
    }
    common.say(f"db: {figures}")
    return figures
