"""Benchmark the monitoring jobs at city scale: `synth`, then the indicator catalogue on DuckDB,
with pandas computing three indicators as the in-run baseline.

    .venv/bin/python bench/monitoring_bench.py [--residents N] [--folder DIR] [--keep]

Steps, each in a child process that does nothing else (so its peak RSS, VmHWM, is that step's):
1. synth: the whole city (24,870,895 residents by default), 2022-2024, with the survey,
   streamed to Parquet in chunks of 250,000 residents;
2. duckdb: every indicator of the catalogue for 2024 and the two years before (trends), plus
   the survey estimates, exactly as `learncity indicators --year 2024` runs them;
3. pandas: three indicators for 2024 (participation by district, mean hours per participant,
   accounts per 1,000 residents by district) from the same files, checked against DuckDB's.
Targets: all indicators in under 60 s, peak memory under 4 GB. Prints one SUMMARY line, with
wall and CPU seconds and the load average: the machine is shared, and other jobs on its two
cores stretch the wall time (CPU seconds are what the job itself costs).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
SECONDS_TARGET, MEMORY_TARGET_MB = 60, 4096
YEAR = 2024


def cpu_seconds() -> float:
    """User + system CPU of this process and all its threads (DuckDB's workers included)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def vm_hwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def _districts():
    from learncity.identity.districts import all_districts

    return all_districts()


def child_synth(folder: Path, residents: int) -> dict:
    from learncity.monitoring.synth import SynthSpec, synthesize

    step = [0]

    def progress(done: int, total: int) -> None:
        if done >= step[0]:
            say(f"synth: {done:,} / {total:,} residents")
            step[0] += 2_500_000

    started = time.perf_counter()
    counts = synthesize(folder, [(d.code, d.zone, d.residents) for d in _districts()],
                        SynthSpec(residents=residents), progress=progress)
    size = sum(p.stat().st_size for p in folder.rglob("*.parquet"))
    return {"seconds": time.perf_counter() - started, "counts": counts,
            "parquet_mb": size / 2**20}


def child_duckdb(folder: Path, back: int = 2) -> dict:
    from learncity.monitoring import jobs

    started = time.perf_counter()
    result = jobs.run(folder, YEAR, {d.code: d.zone for d in _districts()}, back=back,
                      engine_options={"temp_dir": str(folder / "duckdb-tmp")})
    seconds = time.perf_counter() - started
    picked = {}
    for c in result.cells:
        if c.year == YEAR and c.indicator in ("PART_ANY", "ACCOUNTS_PER_1000") and (
                c.dimension == "district"):
            picked[f"{c.indicator}:{c.group}"] = c.numerator
        if c.year == YEAR and c.indicator == "HOURS_MEAN" and c.dimension == "total":
            picked["HOURS_MEAN"] = c.value
    return {"seconds": seconds, "cells": len(result.cells),
            "indicators": len({c.indicator for c in result.cells}), "picked": picked}


def child_pandas(folder: Path) -> dict:
    """Three indicators with pandas: the obvious dataframe code, year-filtered reads."""
    import pandas as pd
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    started = time.perf_counter()
    outcomes = ds.dataset(str(folder / "outcomes"), format="parquet")
    lo, hi = pd.Timestamp(f"{YEAR}-01-01").date(), pd.Timestamp(f"{YEAR}-12-31").date()
    wanted = (pc.field("completed_on") >= lo) & (pc.field("completed_on") <= hi) & (
        pc.field("is_current")) & (pc.field("status") == "recorded")
    o = outcomes.to_table(columns=["person_key", "hours_tenths"], filter=wanted).to_pandas()
    per_person = o.groupby("person_key", sort=False)["hours_tenths"].sum()
    persons = pd.read_parquet(folder / "persons",
                              columns=["person_key", "district_code", "account_opened_on"])
    persons = persons.set_index("person_key")
    took_part = persons.loc[per_person.index, "district_code"].value_counts()
    opened = pd.to_datetime(persons["account_opened_on"])
    accounts = persons.loc[opened.dt.year <= YEAR, "district_code"].value_counts()
    picked = {f"PART_ANY:{k}": int(v) for k, v in took_part.items()}
    picked |= {f"ACCOUNTS_PER_1000:{k}": int(v) for k, v in accounts.items()}
    picked["HOURS_MEAN"] = float(per_person.sum() / 10 / len(per_person))
    return {"seconds": time.perf_counter() - started, "picked": picked}


def run_child(step: str, folder: Path, residents: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", step, "--folder", str(folder),
                          "--residents", str(residents)], check=True, stdout=subprocess.PIPE,
                         text=True, env=os.environ.copy()).stdout
    *lines, last = out.strip().splitlines()
    for line in lines:
        print(line, flush=True)
    return json.loads(last)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--residents", type=int, default=24_870_895)
    parser.add_argument("--folder", type=Path, help="snapshot folder (default: a temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the snapshot afterwards")
    parser.add_argument("--skip-synth", action="store_true", help="reuse --folder as it is")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        job = {"synth": child_synth, "duckdb": child_duckdb, "duckdb1": child_duckdb,
               "pandas": child_pandas}[args.child]
        figures = (job(args.folder, args.residents) if args.child == "synth"
                   else job(args.folder, 0) if args.child == "duckdb1" else job(args.folder))
        figures["peak_mb"] = vm_hwm_mb()
        figures["cpu_s"] = cpu_seconds()
        print(json.dumps(figures), flush=True)
        return
    folder = args.folder or Path(tempfile.mkdtemp(prefix="learncity-monitoring-bench-"))
    try:
        if not args.skip_synth:
            if folder.exists():
                shutil.rmtree(folder)
            say(f"synth: {args.residents:,} residents into {folder}")
            synth = run_child("synth", folder, args.residents)
            say(f"synth: {synth['seconds']:.0f} s, peak {synth['peak_mb']:.0f} MB, "
                f"{synth['parquet_mb']:.0f} MB of Parquet, rows {synth['counts']}")
        else:
            synth = {"seconds": 0.0, "peak_mb": 0.0, "counts": {}}
        say(f"load average before DuckDB: {load()}")
        duck = run_child("duckdb", folder, args.residents)
        say(f"duckdb: {duck['indicators']} indicators, {duck['cells']} cells in "
            f"{duck['seconds']:.1f} s ({duck['cpu_s']:.1f} CPU-s for the whole process), "
            f"peak {duck['peak_mb']:.0f} MB; load average {load()}")
        one = run_child("duckdb1", folder, args.residents)
        say(f"duckdb, {YEAR} only (no trend years): {one['seconds']:.1f} s "
            f"({one['cpu_s']:.1f} CPU-s), peak {one['peak_mb']:.0f} MB; load average {load()}")
        pand = run_child("pandas", folder, args.residents)
        say(f"pandas (3 indicators): {pand['seconds']:.1f} s ({pand['cpu_s']:.1f} CPU-s), "
            f"peak {pand['peak_mb']:.0f} MB; load average {load()}")
        same = all(v is not None and abs(pand["picked"].get(k, 0) - v) < 1e-6 * max(1, abs(v))
                   for k, v in duck["picked"].items())
    finally:
        if not args.keep and not args.skip_synth:
            shutil.rmtree(folder, ignore_errors=True)
    verdict = ("OK" if duck["seconds"] < SECONDS_TARGET and duck["peak_mb"] < MEMORY_TARGET_MB
               and same else "MISSED TARGET")
    print(f"SUMMARY monitoring_bench residents={args.residents} "
          f"outcomes={synth['counts'].get('outcomes', 0)} synth={synth['seconds']:.0f}s "
          f"synth_peak={synth['peak_mb']:.0f}MB duckdb_all={duck['seconds']:.1f}s "
          f"duckdb_cpu={duck['cpu_s']:.1f}s duckdb_peak={duck['peak_mb']:.0f}MB "
          f"duckdb_{YEAR}_only={one['seconds']:.1f}s/{one['cpu_s']:.1f}cpu "
          f"pandas_3={pand['seconds']:.1f}s pandas_cpu={pand['cpu_s']:.1f}s "
          f"pandas_peak={pand['peak_mb']:.0f}MB same_results={same} "
          f"(targets: < {SECONDS_TARGET} s, < {MEMORY_TARGET_MB} MB) {verdict}", flush=True)


if __name__ == "__main__":
    main()
