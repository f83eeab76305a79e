"""Survey weighting and estimates: svy's figures held to an independent numpy implementation
(survey_math) on the same synthetic survey."""

import numpy as np
import polars as pl
import pytest
import svy

from learncity.monitoring import catalogue, survey_math
from learncity.monitoring.survey_run import load, prepare
from learncity.monitoring.survey_weights import ADULT_BANDS, _collapse, weight


@pytest.fixture(scope="module")
def survey(small_snapshot, small_run, zones):
    code, df = load(small_snapshot, 2024)
    df = df.with_columns(pl.col("district_code").replace_strict(zones).alias("zone"))
    df, specs = prepare(df, catalogue.load())
    population = small_run.aggregates["population"]
    return df, specs, population


def test_non_response_adjustment_matches_numpy(survey):
    df, _specs, population = survey
    sample, _design = weight(df, population)
    adults, _ = _collapse(df.filter(pl.col("age_band").is_in(ADULT_BANDS)), "nr_cell",
                          "stratum", ADULT_BANDS, "age_band")
    adjusted = survey_math.nonresponse_adjust(
        adults["base_weight"].to_numpy(), adults["responded"].to_numpy(),
        adults["nr_cell"].to_numpy())
    ours = dict(zip(adults["unit_key"].to_list(), adjusted, strict=True))
    theirs = sample.data.select("unit_key", "nr_wgt").iter_rows()
    assert all(ours[k] == pytest.approx(v, rel=1e-9) for k, v in theirs)


def test_raked_weights_meet_the_census_margins(survey):
    df, _specs, population = survey
    sample, design = weight(df, population)
    data = sample.data
    hukou = {h: sum(r["residents"] for r in population
                    if r["hukou"] == h and r["age_band"] in ADULT_BANDS)
             for h in ("local", "non_local")}
    for h, total in hukou.items():
        got = data.filter(pl.col("hukou") == h)["final_wgt"].sum()
        assert got == pytest.approx(total, rel=1e-6)
    assert design["deff_final"] == pytest.approx(survey_math.kish_deff(
        data["final_wgt"].to_numpy()), abs=1e-4)
    assert design["weight_max"] <= 5.0 * float(np.median(data["final_wgt"].to_numpy())) * 1.01


def test_raking_by_svy_and_by_numpy_reach_the_same_weights(survey):
    df, _specs, population = survey
    sample, _ = weight(df, population)
    data = sample.data
    controls = {}
    for column in ("d_sex", "d_age"):
        controls[column] = {lv: float(data.filter(pl.col(column) == lv)["final_wgt"].sum())
                            for lv in data[column].unique().to_list()}
    start = data["nr_wgt"].to_numpy()
    ours = survey_math.rake(start, [(data[c].to_numpy(), controls[c]) for c in controls],
                            tol=1e-12)
    raked = svy.Sample(data, svy.Design(stratum="stratum", psu="psu", wgt="nr_wgt")).weighting
    theirs = raked.rake(controls=controls, wgt_name="check", tol=1e-12, max_iter=5000)
    assert np.allclose(ours, theirs.data["check"].to_numpy(), rtol=1e-8)


def test_published_estimates_ses_and_intervals_match_numpy(survey, small_run):
    """svy's Taylor SEs credit the raking; numpy does the same independently."""
    df, specs, population = survey
    sample, design = weight(df, population)
    data = sample.data
    w, strata, psu = (data[c].to_numpy() for c in ("final_wgt", "stratum", "psu"))
    columns = {"district × sex": "d_sex", "district × age band": "d_age", "hukou": "hukou"}
    margins = [data[columns[m]].to_numpy() for m in design["margins"]]
    published = {(c.indicator, c.dimension, c.group): c for c in small_run.cells
                 if c.indicator.startswith("SV_")}
    checked = 0
    for ind, column, option in specs:
        if option:
            continue
        y = data[column].fill_null(0).to_numpy()
        inside = data[f"{column}_in"].to_numpy() == 1
        for dim, group in (("total", "total"), ("sex", "F"), ("age_band", "65+")):
            cell = published.get((ind.code, dim, group))
            if cell is None or cell.flag == "suppressed":
                continue
            domain = inside if dim == "total" else inside & (data[dim].to_numpy() == group)
            ours = survey_math.mean(y, w, strata, psu, domain, raked_on=margins,
                                    proportion=ind.type == "survey_proportion")
            assert cell.value == pytest.approx(ours.est * 100, rel=1e-9)
            assert cell.se == pytest.approx(ours.se * 100, rel=1e-9)
            assert cell.lci == pytest.approx(ours.lci * 100, rel=1e-9)
            assert cell.uci == pytest.approx(ours.uci * 100, rel=1e-9)
            assert cell.n == ours.n
            checked += 1
    assert checked >= 10


def test_with_weights_taken_as_fixed_svy_and_numpy_agree_too(survey):
    df, specs, population = survey
    sample, _ = weight(df, population)
    fixed = svy.Sample(sample.data, svy.Design(stratum="stratum", psu="psu", wgt="final_wgt"))
    ind, column, _ = next(s for s in specs if s[0].code == "SV_UNMET_NEED")
    theirs = fixed.estimation.mean(column, where=svy.col(f"{column}_in") == 1,
                                   drop_nulls=True).to_polars().row(0, named=True)
    data = sample.data
    ours = survey_math.mean(data[column].fill_null(0).to_numpy(), data["final_wgt"].to_numpy(),
                            data["stratum"].to_numpy(), data["psu"].to_numpy(),
                            data[f"{column}_in"].to_numpy() == 1)
    assert (theirs["est"], theirs["df"]) == (pytest.approx(ours.est, rel=1e-12), ours.df)
    assert theirs["se"] == pytest.approx(ours.se, rel=1e-9)
    assert theirs["lci"] == pytest.approx(ours.lci, rel=1e-9)


def test_survey_cells_carry_design_and_reliability(small_run):
    survey = [c for c in small_run.cells if c.indicator == "SV_UNMET_NEED"]
    total = next(c for c in survey if c.dimension == "total")
    assert total.lci < total.value < total.uci and total.cv > 0 and total.deff > 0
    assert {c.flag for c in survey} <= {"", "caution", "unreliable", "suppressed"}
    design = small_run.survey
    assert design["respondents"] < design["sampled"]
    assert design["margins"] == ["district × sex", "district × age band", "hukou"]


def test_collapsing_merges_sparse_neighbours():
    groups = survey_math.collapse_adjacent(["a", "b", "c", "d"], {"a": 12, "b": 3, "c": 4,
                                                                   "d": 15}, 10)
    assert groups == {"a": "a", "b": "b+c+d", "c": "b+c+d", "d": "b+c+d"}
