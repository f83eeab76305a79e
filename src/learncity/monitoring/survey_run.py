"""Survey weights and estimates for one year's survey, with the `svy` library.

Steps (the usual order): base weights from the sample design → non-response adjustment within
district × age band cells → raking to the census margins district × sex, district × age band
and hukou (population 15+), trimming weights above 5 × the median inside the raking cycle (so
the margins still hold) → Taylor-linearised estimates with SE, 95% CI (logit for proportions),
CV, design effect and unweighted n. Sparse cells are collapsed with their neighbours first (and
listed in the design summary). survey_math.py holds the independent implementation the tests
compare these figures with.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from learncity.monitoring.catalogue import Catalogue, Indicator
from learncity.monitoring.compute import Cell
from learncity.monitoring.snapshot_files import files
from learncity.monitoring.survey_weights import ADULT_BANDS, TooFewRespondents, weight

__all__ = ["ADULT_BANDS", "load", "prepare", "survey_cells", "weight"]


@dataclass
class SurveyResult:
    cells: list[Cell] = field(default_factory=list)
    design: dict = field(default_factory=dict)


def load(snapshot: Path, year: int) -> tuple[str, pl.DataFrame] | None:
    """The units of the year's survey (the last by code when there are several) with their
    answers as one column per item."""
    unit_files = files(snapshot, "survey_units")
    if not unit_files:
        return None
    units = pl.read_parquet(unit_files).filter(pl.col("year") == year)
    if units.is_empty():
        return None
    code = sorted(units["survey"].unique().to_list())[-1]
    units = units.filter(pl.col("survey") == code)
    answers = pl.read_parquet(files(snapshot, "survey_answers")).filter(pl.col("survey") == code)
    if answers.is_empty():
        return code, units
    wide = answers.pivot(on="item_code", index="unit_key", values="value",
                         aggregate_function="first")
    return code, units.join(wide, on="unit_key", how="left")


def _flag(est: float, cv: float, n: int, rel: dict) -> str:
    if n < rel["min_n"] or cv > rel["unreliable_cv"]:
        return "unreliable"
    return "caution" if cv > rel["caution_cv"] else ""


def _estimates(sample, ind: Indicator, y: str, dims, rel, year, option="") -> list[Cell]:
    """svy's Taylor estimates of y's mean in the universe, one cell per group of each dim;
    proportions take svy's logit interval (it stays inside 0-100%)."""
    import svy

    out = []
    scale = 100.0 if ind.unit in ("percent", "score") else 1.0
    for dim in dims:
        by = None if dim == "total" else dim
        where = svy.col(f"{y}_in") == 1
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            means = sample.estimation.mean(y, by=by, where=where, deff="wr",
                                           drop_nulls=True).to_polars()
            logit = {}
            if ind.type != "survey_scale_mean":
                props = sample.estimation.prop(y, by=by, where=where, drop_nulls=True)
                for r in props.to_polars().iter_rows(named=True):
                    if r[y] == 1.0:
                        logit["total" if by is None else str(r[by])] = (r["lci"], r["uci"])
        for r in means.iter_rows(named=True):
            group = "total" if by is None else str(r[by])
            est, se = r["est"] * scale, r["se"] * scale
            lci, uci = logit.get(group, (r["lci"], r["uci"]))
            if ind.type != "survey_scale_mean":
                lci, uci = max(lci, 0.0), min(uci, 1.0)
            cv = se / abs(est) if est else float("inf")
            out.append(Cell(ind.code, year, "option" if option else dim,
                            option or group, est, se=se, lci=lci * scale, uci=uci * scale,
                            cv=cv, n=int(r["n"]), deff=r.get("deff"),
                            flag=_flag(est, cv, int(r["n"]), rel)))
    return out


def _outcome(ind: Indicator, column: str, option: str = "") -> list[pl.Expr]:
    """Expressions for `column` (the 0/1 or 0-1 score outcome) and `column_in` (1 inside the
    indicator's universe and answered)."""
    universe = pl.lit(True)
    if ind.universe.get("item"):
        universe = pl.col(ind.universe["item"]).is_in(ind.universe["values"]).fill_null(False)
    if ind.type == "survey_scale_mean":
        lo, hi = ind.extra["score_range"]["min"], ind.extra["score_range"]["max"]
        items = [pl.col(i).cast(pl.Float64, strict=False) for i in ind.extra["items"]]
        value = (pl.mean_horizontal(items) - lo) / (hi - lo)
        answered = pl.all_horizontal([i.is_not_null() for i in items])
    else:
        item = pl.col(ind.extra["item"])
        if option:
            value = item.str.split(";").list.contains(option).cast(pl.Float64)
        else:
            value = item.is_in(ind.extra["values"]).cast(pl.Float64)
        answered = item.is_not_null()
    return [value.alias(column), (universe & answered).fill_null(False).cast(pl.Int8).alias(
        f"{column}_in")]


def prepare(df: pl.DataFrame, cat: Catalogue) -> tuple[pl.DataFrame, list[tuple]]:
    """Add one outcome column per survey indicator (per option for choice shares); returns
    the frame and (indicator, column, option) for each."""
    specs, exprs = [], []
    for ind in cat.survey():
        needed = ind.extra.get("items") or [ind.extra.get("item")]
        if ind.universe.get("item"):
            needed = [*needed, ind.universe["item"]]
        if any(item not in df.columns for item in needed):
            continue
        if ind.type == "survey_choice_shares":
            for n, option in enumerate(_options(df, ind.extra["item"])):
                column = f"y_{ind.code}_{n}"
                specs.append((ind, column, option))
                exprs += _outcome(ind, column, option)
        else:
            column = f"y_{ind.code}"
            specs.append((ind, column, ""))
            exprs += _outcome(ind, column)
    return (df.with_columns(exprs) if exprs else df), specs


def survey_cells(snapshot: Path, year: int, cat: Catalogue, population: list[dict],
                 zones: dict[str, str], threshold: int) -> SurveyResult:
    """Every survey indicator of the catalogue for the year's survey (none: no cells)."""
    loaded = load(snapshot, year)
    if loaded is None or not cat.survey():
        return SurveyResult()
    code, df = loaded
    df = df.with_columns(pl.col("district_code").replace_strict(zones, default=None)
                         .alias("zone"))
    df, specs = prepare(df, cat)
    try:
        sample, design = weight(df, population)
    except TooFewRespondents as error:
        return SurveyResult([], {"survey": code, "note": str(error)})
    design["survey"] = code
    cells: list[Cell] = []
    for ind, column, option in specs:
        dims = ["total"] if option else ["total", *ind.disaggregations]
        cells += _estimates(sample, ind, column, dims, cat.reliability, year, option)
    return SurveyResult(cells, design)


def _options(data: pl.DataFrame, item: str) -> list[str]:
    values = data[item].drop_nulls().str.split(";").explode().unique().to_list()
    return sorted(v for v in values if v)
