"""Benchmark the transfer matching engine (issue 4).

    .venv/bin/python bench/transfer_bench.py [--part latency|optimality|db|batch|all]
        [--runs N] [--cases N] [--learners N] [--db sqlite|postgres] [--db-learners N]

latency     one learner with 200 recognised outcomes, a programme with 60 courses and 2,000
            rules (transfer_data.py): the pure engine with the rules compiled once per
            programme, as the service caches them; median, p95 and max over --runs learners
            (a fresh random archive each). Target: median under 200 ms.
optimality  --cases random small cases (up to 8 outcomes, 6 rules of 1-3 slots, every cap
            drawn at random): the engine's credits against the exhaustive optimiser.
db          the same world on a fresh database through the real services: the programme, the
            2,000-rule standard imported and published (checks included), --db-learners
            learners with 20 recognised outcomes on average and one with 200; the service's
            proposal (`selectors.proposal_for`: archive, earlier postings, standards in force,
            engine) cold and warm; then the database batch (`batch.run_batch`) over all.
batch       --learners synthetic learners (default 1,000,000; 20 outcomes on average, 30 % from
            the rules' source institutions) streamed through `batch.batch_propose`: learners
            per second, on one core.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402
import transfer_data as world  # noqa: E402

AS_OF = date(2026, 6, 1)


def _timed_proposals(ruleset, runs: int) -> dict:
    from collections import Counter

    from learncity.transfer.engine import propose

    rnd, times, cpu, credits, solvers = random.Random(11), [], [], [], Counter()
    for _ in range(runs):
        archive = world.held(rnd, 200, 0.5)
        t0, c0 = time.perf_counter(), time.process_time()
        p = propose(ruleset, held=archive, as_of=AS_OF)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        credits.append(float(p.credits))
        solvers[p.solver.split(" ")[0]] += 1
        assert p.optimal
    times.sort()
    return {
        "median_ms": statistics.median(times),
        "p95_ms": times[int(len(times) * 0.95) - 1],
        "max_ms": times[-1],
        "median_cpu_ms": statistics.median(cpu),
        "mean_credits": statistics.mean(credits),
        "solvers": dict(solvers),
    }


def latency(runs: int) -> dict:
    """As the service runs it, then with the certified shortcut off (HiGHS every time)."""
    from unittest.mock import patch

    from learncity.transfer.engine import RuleSet, propose

    target = world.programme()
    t0 = time.perf_counter()
    ruleset = RuleSet(target, world.rules(target))
    compile_ms = (time.perf_counter() - t0) * 1000
    with patch("learncity.transfer.solver.certified", return_value=None):
        t0 = time.perf_counter()  # the first HiGHS call of a process loads SciPy's solver
        propose(ruleset, held=world.held(random.Random(0), 200, 0.5), as_of=AS_OF)
        first_ms = (time.perf_counter() - t0) * 1000
    figures = {"compile_ms": compile_ms, "first_call_ms": first_ms}
    figures["service"] = _timed_proposals(ruleset, runs)
    with patch("learncity.transfer.solver.certified", return_value=None):
        figures["highs_always"] = _timed_proposals(ruleset, runs)
    common.say(f"latency over {runs} learners: {figures}")
    return figures


def optimality(cases: int) -> dict:
    from learncity.transfer.engine import propose, tenths
    from learncity.transfer.exhaustive import best_credits

    sys.path.insert(0, str(common.ROOT))
    from hypothesis import HealthCheck, given, settings
    from tests.transfer.strategies import AS_OF as CASE_DAY
    from tests.transfer.strategies import cases as case_strategy

    seen = {"cases": 0, "equal": 0, "with_credits": 0, "engine_s": 0.0, "brute_s": 0.0}

    @settings(
        max_examples=cases, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(case_strategy())
    def check(case):
        programme, rules, held, prior = case
        t0 = time.perf_counter()
        got = tenths(propose(programme, rules, held, CASE_DAY, prior).credits)
        t1 = time.perf_counter()
        best = best_credits(programme, rules, held, CASE_DAY, prior)
        seen["engine_s"] += t1 - t0
        seen["brute_s"] += time.perf_counter() - t1
        seen["cases"] += 1
        seen["equal"] += got == best
        seen["with_credits"] += best > 0
        assert got == best, (got, best)

    check()
    common.say(f"optimality: {seen}")
    return seen


def batch(learners: int, chunk: int = 10_000) -> dict:
    """Learners are generated a chunk at a time (not timed) and proposed (timed)."""
    from learncity.transfer.batch import BatchReport, batch_propose
    from learncity.transfer.engine import RuleSet

    target = world.programme()
    ruleset = RuleSet(target, world.rules(target))
    stream, total, cpu = world.population(learners), BatchReport(), 0.0
    while total.learners < learners:
        part = [next(stream) for _ in range(min(chunk, learners - total.learners))]
        c0 = time.process_time()
        report = batch_propose(ruleset, part, AS_OF)
        cpu += time.process_time() - c0
        total.learners += report.learners
        total.with_credits += report.with_credits
        total.credits += report.credits
        total.seconds += report.seconds
        total.solvers.update(report.solvers)
        if total.learners % 100_000 == 0:
            common.say(f"batch: {total.learners:,} learners, {total.per_second:,.0f} /s")
    figures = {
        "learners": total.learners,
        "seconds": total.seconds,
        "per_second": total.per_second,
        "per_cpu_second": total.learners / cpu,
        "with_credits": total.with_credits,
        "mean_credits": float(total.credits) / total.learners,
        "solvers": dict(total.solvers),
    }
    common.say(f"batch: {figures}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--part", default="all", choices=["latency", "optimality", "db", "batch", "all"]
    )
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--learners", type=int, default=1_000_000)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--db-learners", type=int, default=20_000)
    args = parser.parse_args()
    parts = ["latency", "optimality", "db", "batch"] if args.part == "all" else [args.part]
    with common.bench_database(args.db, migrate="db" in parts):
        if "latency" in parts:
            latency(args.runs)
        if "optimality" in parts:
            optimality(args.cases)
        if "db" in parts:
            import transfer_db

            transfer_db.run(args.db_learners, args.runs)
        if "batch" in parts:
            batch(args.learners)


if __name__ == "__main__":
    main()
