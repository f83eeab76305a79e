"""Survey weights with `svy`: non-response adjustment, raking to census margins, trimming.

Robust to small or patchy samples: sparse cells are collapsed with their neighbours (at least
MIN_CELL_RESPONDENTS respondents each); districts without respondents leave the weighting (the
controls then cover the districts that answered, and the summary says so); a margin with a
level nobody in the sample has is dropped; a stratum left with one PSU is centred on the grand
mean in the variance (svy's "center", R's lonely.psu = "adjust").
"""

from __future__ import annotations

import polars as pl

from learncity.monitoring.survey_math import collapse_adjacent, kish_deff

ADULT_BANDS = ("15-29", "30-44", "45-59", "60-64", "65+")
MIN_CELL_RESPONDENTS = 10
MIN_RESPONDENTS = 10
TRIM_MEDIAN_MULTIPLE = 5.0


class TooFewRespondents(ValueError):
    """Raised when a survey has too few respondents or PSUs to weight and estimate."""


def _collapse(df: pl.DataFrame, name: str, by: str, levels: tuple, column: str) -> tuple[
        pl.DataFrame, dict[tuple, str]]:
    """Add `name` = by:collapsed-level, merging sparse adjacent levels within each `by`."""
    resp = df.filter(pl.col("responded"))
    mapping: dict[tuple, str] = {}
    for key in sorted(df[by].unique().to_list()):
        counts = resp.filter(pl.col(by) == key)[column].value_counts()
        n = {r[column]: r["count"] for r in counts.iter_rows(named=True)}
        for level, group in collapse_adjacent(list(levels), n, MIN_CELL_RESPONDENTS).items():
            mapping[(key, level)] = f"{key}:{group}"
    labels = [mapping[(k, v)] for k, v in zip(df[by].to_list(), df[column].to_list(),
                                              strict=True)]
    return df.with_columns(pl.Series(name, labels)), mapping


def _controls(population: list[dict], mapping: dict[tuple, str], column: str) -> dict:
    out: dict[str, float] = {}
    for r in population:
        key = (r["district_code"], r[column])
        if key in mapping:
            out[mapping[key]] = out.get(mapping[key], 0.0) + float(r["residents"])
    return out


def _rake(sample, controls: dict):
    import svy

    try:
        raked = sample.weighting.rake(
            controls=controls, wgt_name="final_wgt", tol=1e-8, max_iter=1000,
            trimming=svy.TrimConfig(upper=svy.Threshold("median", TRIM_MEDIAN_MULTIPLE)))
        return raked, f"weights above {TRIM_MEDIAN_MULTIPLE:g} × median trimmed while raking"
    except svy.errors.SvyError:  # the trim-rake cycle cannot meet both: rake only
        raked = sample.weighting.rake(controls=controls, wgt_name="final_wgt", tol=1e-8,
                                      max_iter=1000)
        return raked, "trimming could not keep the margins; raked weights used untrimmed"


def weight(df: pl.DataFrame, population: list[dict]):
    """Return (svy Sample of respondents with final weights, design summary)."""
    import svy

    df = df.filter(pl.col("age_band").is_in(ADULT_BANDS))
    answered = set(df.filter(pl.col("responded"))["stratum"].unique().to_list())
    dropped = sorted(set(df["stratum"].unique().to_list()) - answered)
    df = df.filter(pl.col("stratum").is_in(answered)).with_columns(
        pl.when(pl.col("responded")).then(pl.lit("rr")).otherwise(pl.lit("nr")).alias("resp"))
    respondents = df.filter(pl.col("responded"))
    if respondents.height < MIN_RESPONDENTS or respondents["psu"].n_unique() < 2:
        raise TooFewRespondents(f"{respondents.height} respondents: too few to weight")
    districts = set(df["district_code"].unique().to_list())
    adults = [r for r in population
              if r["age_band"] in ADULT_BANDS and r["district_code"] in districts]
    df, nr_map = _collapse(df, "nr_cell", "stratum", ADULT_BANDS, "age_band")
    df, age_map = _collapse(df, "d_age", "district_code", ADULT_BANDS, "age_band")
    df, sex_map = _collapse(df, "d_sex", "district_code", ("F", "M"), "sex")
    design = svy.Design(stratum="stratum", psu="psu", wgt="base_weight", singleton="center")
    sample = svy.Sample(df, design).weighting.adjust(
        resp_status="resp", cells="nr_cell", resp_mapping={"rr": "rr", "nr": "nr"},
        wgt_name="nr_wgt")
    controls = {"d_sex": _controls(adults, sex_map, "sex"),
                "d_age": _controls(adults, age_map, "age_band")}
    margins = ["district × sex", "district × age band"]
    hukou: dict[str, float] = {}
    for r in adults:
        hukou[r["hukou"]] = hukou.get(r["hukou"], 0.0) + float(r["residents"])
    if set(hukou) <= set(respondents["hukou"].unique().to_list()):
        controls["hukou"] = hukou
        margins.append("hukou")
    raked, trimming = _rake(sample, controls)
    final = raked.data
    collapsed = {v for v in (*age_map.values(), *sex_map.values(), *nr_map.values())
                 if "+" in v.split(":")[1]}
    summary = {
        "strata": int(df["stratum"].n_unique()), "psus": int(df["psu"].n_unique()),
        "sampled": int(df.height), "respondents": int(final.height),
        "response_rate": round(final.height / df.height, 4),
        "deff_base": round(kish_deff(respondents["base_weight"].to_numpy()), 4),
        "deff_nonresponse": round(kish_deff(final["nr_wgt"].to_numpy()), 4),
        "deff_final": round(kish_deff(final["final_wgt"].to_numpy()), 4),
        "weight_min": round(float(final["final_wgt"].min()), 3),
        "weight_max": round(float(final["final_wgt"].max()), 3),
        "population_15_plus": round(sum(hukou.values())), "trimming": trimming,
        "collapsed_cells": sorted(collapsed), "margins": margins,
        "strata_without_respondents": dropped,
    }
    return raked, summary
