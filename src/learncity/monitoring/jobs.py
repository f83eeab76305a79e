"""One indicator run: the whole catalogue for a year (and the years before it, for trends) on a
snapshot, with DuckDB or Spark, plus the survey estimates. Reads the snapshot only."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from learncity.monitoring import catalogue as catalogue_module
from learncity.monitoring import disclosure
from learncity.monitoring.compute import Cell, Computer
from learncity.monitoring.engines import make_engine, run_queries
from learncity.monitoring.snapshot_files import read_manifest


@dataclass
class RunResult:
    year: int
    years: tuple[int, ...]
    engine: str
    catalogue_version: str
    min_cell: int
    snapshot: str
    snapshot_kind: str
    seconds: float
    cells: list[Cell]
    aggregates: dict[str, list[dict]] = field(default_factory=dict)
    survey: dict = field(default_factory=dict)
    assumptions: list[str] = field(default_factory=list)

    def meta(self) -> dict:
        return {k: getattr(self, k) for k in (
            "year", "years", "engine", "catalogue_version", "min_cell", "snapshot",
            "snapshot_kind", "seconds", "survey", "assumptions")}


def trend_years(year: int, back: int) -> tuple[int, ...]:
    return tuple(range(year - back, year + 1))


def compute_admin(rows, cat, zones, years, min_cell) -> list[Cell]:
    cells = Computer(cat, rows, zones, years).cells()
    rates = {i.code for i in cat.admin() if i.type == "rate"}
    disclosure.protect(cells, min_cell, rates)
    return cells


def run(snapshot: Path, year: int, zones: dict[str, str], *, engine: str = "duckdb",
        back: int = 2, min_cell: int | None = None, catalogue_path: str | None = None,
        with_survey: bool = True, engine_options: dict | None = None) -> RunResult:
    """Compute every indicator of the catalogue for `year` and `back` years before it."""
    cat = catalogue_module.load(catalogue_path)
    threshold = cat.small_cell_threshold if min_cell is None else min_cell
    years = trend_years(year, back)
    manifest = read_manifest(snapshot)
    started = time.perf_counter()
    runner = make_engine(engine, **(engine_options or {}))
    try:
        rows = run_queries(runner, Path(snapshot), cat, years)
    finally:
        runner.close()
    cells = compute_admin(rows, cat, zones, years, threshold)
    survey: dict = {}
    if with_survey:
        from learncity.monitoring.survey_run import survey_cells

        survey_result = survey_cells(Path(snapshot), year, cat, rows["population"], zones,
                                     threshold)
        cells += survey_result.cells
        survey = survey_result.design
    disclosure.drop_people(cells)
    return RunResult(
        year=year, years=years, engine=engine, catalogue_version=cat.version,
        min_cell=threshold, snapshot=str(snapshot),
        snapshot_kind=manifest.get("kind", "operational"),
        seconds=round(time.perf_counter() - started, 3), cells=cells, aggregates=rows,
        survey=survey, assumptions=list(manifest.get("assumptions", [])),
    )
