"""`learncity synth`: write a synthetic population and its learning to a snapshot folder.

Streams district by district, chunk by chunk (memory bounded by the chunk size, not the city),
into the same Parquet layout as `learncity snapshot` (snapshot_files.py). Reproducible: the
same seed, size, years and chunk size give the same files.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from learncity.monitoring import population as pop
from learncity.monitoring.margins import CATEGORIES, CityStructure, population_cells
from learncity.monitoring.snapshot_files import SnapshotWriter, add_run, write_manifest
from learncity.monitoring.survey_synth import SurveyCollector, SurveyPlan

ASSUMPTIONS = (
    "District totals are the 2020 census figures (scaled proportionally for a smaller run).",
    "Every district is assumed to have the city's sex, age and hukou structure (no official "
    "district-level split was published); the 15-59 group is split 28/40/32 into 15-29, 30-44 "
    "and 45-59 by assumption.",
    "The population is held at its census size and structure in every year; ages are as "
    "reached in the last year generated.",
    "Learning is simulated by a logistic model of age, zone, hukou and sex with a person and "
    "a neighbourhood effect; it is demo data, not an estimate of Shanghai's real participation.",
)


@dataclass(frozen=True)
class SynthSpec:
    residents: int | None = None  # None: the whole census population
    seed: int = 2020
    years: tuple[int, ...] = (2022, 2023, 2024)
    chunk: int = 250_000
    survey: SurveyPlan | None = field(default_factory=SurveyPlan)
    model: pop.Model = field(default_factory=pop.Model)


def synthesize(out: Path, districts: list[tuple[str, str, int]], spec: SynthSpec,
               progress: Callable[[int, int], None] | None = None, force: bool = False) -> dict:
    """Write the snapshot; `districts` are (code, zone, census residents). Returns the counts."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        if not force:
            raise FileExistsError(f"{out} is not empty; choose another folder or force")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    years = tuple(sorted(spec.years))
    ref = years[-1]
    cells = population_cells([(c, r) for c, _z, r in districts], spec.residents, CityStructure())
    total = sum(c[-1] for c in cells)
    writer = SnapshotWriter(out, run=1)
    writer.write("population", {k: [c[i] for c in cells] for i, k in enumerate(
        ("district_code", "sex", "age_band", "hukou", "residents"))})
    sizes = [sum(c[-1] for c in cells if c[0] == code) for code, _z, _r in districts]
    sites = _write_sites(writer, districts, sizes, spec, years)
    keys = {"outcome": 1, "unit": 1, "transfer": 1}
    codes = tuple(code for code, _z, _r in districts)
    done, person_offset = 0, 0
    try:
        for i, (code, zone, _r) in enumerate(districts):
            counts = np.array([c[-1] for c in cells if c[0] == code], dtype=np.int64)
            assert counts.size == len(CATEGORIES)
            n_d = int(counts.sum())
            psu_size = spec.survey.psu_size if spec.survey else 2500
            n_psus = max(2, n_d // psu_size)
            rng_d = np.random.default_rng([spec.seed, i, 0])
            cluster = rng_d.normal(0.0, spec.model.cluster_sd, n_psus)
            collector = (SurveyCollector(rng_d, code, zone, n_psus, spec.survey)
                         if spec.survey else None)
            for c, start in enumerate(range(0, n_d, spec.chunk)):
                stop = min(n_d, start + spec.chunk)
                rng = np.random.default_rng([spec.seed, i, c + 1])
                p = pop.make_persons(rng, counts, start, stop, person_offset + 1, cluster)
                recognised = _chunk_activity(writer, rng, p, code, zone, years, sites[i], spec,
                                             keys, collector)
                _chunk_transfers(writer, np.random.default_rng([spec.seed, i, c + 1, 1]),
                                 recognised, p, codes, i, ref, spec, keys)
                done += stop - start
                if progress:
                    progress(done, total)
            person_offset += n_d
            if collector:
                units, answers = collector.finish(rng_d, keys["unit"])
                keys["unit"] += units["unit_key"].size
                code_ = f"SYNTH-{ref}"
                writer.write("survey_units", units | {"survey": code_, "year": ref})
                writer.write("survey_answers", answers | {"survey": code_})
    finally:
        writer.close()
    manifest = {"format": 1, "kind": "synthetic", "runs": [], "updates": False,
                "residents": total, "seed": spec.seed, "years": list(years),
                "chunk": spec.chunk, "model": asdict(spec.model),
                "survey": asdict(spec.survey) if spec.survey else None,
                "assumptions": list(ASSUMPTIONS)}
    write_manifest(out, add_run(manifest, 1, dict(writer.rows)))
    return {"residents": total, **writer.rows}


def _chunk_activity(writer, rng, p, code, zone, years, sites, spec, keys,
                    collector) -> list[dict]:
    """Write a chunk's outcomes, recognitions and persons; return the recognitions by year."""
    ref = years[-1]
    recognitions = []
    first_year = np.zeros(p.key.size, dtype=np.int64)
    for y in years:
        shift = ref - y
        took_part = pop.participation(rng, p, zone, shift, spec.model)
        first_year[(first_year == 0) & took_part] = y
        rows = pop.outcomes_for_year(rng, p, took_part, y, shift, sites, spec.model,
                                     keys["outcome"])
        keys["outcome"] += rows["outcome_key"].size
        if collector and y == ref:
            where = np.searchsorted(p.key, rows["person_key"])
            counted = rows["status"] == 0
            hours = np.bincount(where[counted], rows["hours_tenths"][counted], p.key.size)
            certificate = np.isin(rows["kind"], [pop.KINDS.index(k) for k in pop.CERT_KINDS])
            cert = np.bincount(where, certificate & counted, p.key.size) > 0
            collector.add(p, np.bincount(where[counted], minlength=p.key.size) > 0, hours, cert)
        rows = pop.with_superseded(rng, rows, keys["outcome"])
        keys["outcome"] += int((~rows["is_current"]).sum())
        recognised = pop.recognitions(rng, rows, spec.model)
        recognitions.append(recognised)
        writer.write("recognitions", recognised | {"run": 1} | pop.person_columns(
            recognised["person_key"], p, code, ref))
        writer.write("outcomes", pop.as_columns(rows, p, code, ref) | {"run": 1}, part=str(y))
    opened = pop.accounts(rng, first_year, years, spec.model)
    writer.write("persons", pop.person_rows(p, code, ref, opened) | {"run": 1})
    return recognitions


def _chunk_transfers(writer, rng, recognitions, p, codes, home, ref, spec, keys) -> None:
    """Transfers drawn from a chunk's recognitions with a random stream of their own, so the
    other tables are the same with or without them."""
    for recognised in recognitions:
        rows = pop.transfers(rng, recognised, spec.model, keys["transfer"], codes, home)
        keys["transfer"] += rows["transfer_key"].size
        writer.write("transfers", rows | {"run": 1} | pop.person_columns(
            rows["person_key"], p, codes[home], ref))


def _write_sites(writer, districts, sizes, spec, years) -> list[tuple[int, int]]:
    rng = np.random.default_rng([spec.seed, 10_000])
    plan = pop.site_plan(rng, [(c, z, n) for (c, z, _r), n in zip(districts, sizes, strict=True)])
    kinds = np.array(["community_school", "learning_point", "elderly_university",
                      "public_venue", "training", "experience_base"], dtype=object)
    ids, codes, kind, courses = [], [], [], {"course_key": [], "district_code": [], "year": []}
    key = 1
    for (code, zone, _r), (first, n) in zip(districts, plan, strict=True):
        ids.append(np.arange(first, first + n, dtype=np.int64))
        codes.append(np.full(n, code, dtype=object))
        kind.append(kinds[rng.integers(0, kinds.size, n)])
        for y in years:
            k = int(rng.poisson(n * (10 if zone == "central" else 8)))
            courses["course_key"].append(np.arange(key, key + k, dtype=np.int64))
            courses["district_code"].append(np.full(k, code, dtype=object))
            courses["year"].append(np.full(k, y, dtype=np.int16))
            key += k
    ids = np.concatenate(ids)
    writer.write("sites", {"site_id": ids, "district_code": np.concatenate(codes),
                           "kind": np.concatenate(kind), "active": rng.random(ids.size) < 0.95,
                           "run": 1})
    writer.write("courses", {k: np.concatenate(v) for k, v in courses.items()}
                 | {"run": 1})
    return plan
