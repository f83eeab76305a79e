"""The synthetic population: census margins, reproducible, realistic differences."""

import duckdb
import pyarrow.parquet as pq
import pytest

from learncity.monitoring.snapshot_files import files, read_manifest
from learncity.monitoring.survey_synth import SurveyPlan
from learncity.monitoring.synth import SynthSpec, synthesize

from .conftest import SMALL


def _sql(folder, sql):
    con = duckdb.connect()
    for name in ("persons", "outcomes", "population"):
        listed = ", ".join(f"'{p}'" for p in files(folder, name))
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet([{listed}])")
    return con.execute(sql).fetchall()


def test_residents_match_the_population_table_cell_by_cell(small_snapshot):
    mismatches = _sql(small_snapshot, """
        WITH made AS (
          SELECT district_code, sex, hukou,
            CASE WHEN 2024 - birth_year <= 14 THEN '0-14' WHEN 2024 - birth_year <= 29 THEN '15-29'
                 WHEN 2024 - birth_year <= 44 THEN '30-44' WHEN 2024 - birth_year <= 59 THEN '45-59'
                 WHEN 2024 - birth_year <= 64 THEN '60-64' ELSE '65+' END AS age_band,
            COUNT(*) AS n FROM persons GROUP BY ALL)
        SELECT * FROM population p FULL JOIN made m USING (district_code, sex, age_band, hukou)
        WHERE COALESCE(p.residents, 0) <> COALESCE(m.n, 0)""")
    assert mismatches == []
    assert _sql(small_snapshot, "SELECT COUNT(*) FROM persons")[0][0] == SMALL


def test_district_totals_are_the_census_in_proportion(small_snapshot, districts):
    got = dict(_sql(small_snapshot, "SELECT district_code, COUNT(*) FROM persons GROUP BY 1"))
    census = sum(r for _c, _z, r in districts)
    for code, _zone, residents in districts:
        assert abs(got[code] - SMALL * residents / census) < 1


def test_the_same_seed_gives_the_same_files(tmp_path, districts):
    spec = SynthSpec(residents=3_000, seed=11, chunk=1_000, survey=SurveyPlan(psus=2, take=5))
    synthesize(tmp_path / "a", districts, spec)
    synthesize(tmp_path / "b", districts, spec)
    for name in ("persons", "outcomes", "survey_answers", "transfers"):
        a = pq.read_table(files(tmp_path / "a", name))
        b = pq.read_table(files(tmp_path / "b", name))
        assert a.equals(b), name


def test_participation_differs_by_age_zone_and_hukou(small_run):
    cells = {(c.dimension, c.group): c.value for c in small_run.cells
             if c.indicator == "PART_ANY" and c.year == 2024}
    assert cells[("age_band", "15-29")] > cells[("age_band", "65+")] > cells[("age_band", "0-14")]
    assert cells[("zone", "central")] > cells[("zone", "suburb")]
    assert cells[("hukou", "local")] > cells[("hukou", "non_local")]
    assert 30 < cells[("total", "total")] < 60


def test_the_manifest_states_the_assumptions(small_snapshot):
    manifest = read_manifest(small_snapshot)
    assert manifest["kind"] == "synthetic" and manifest["seed"] == 7
    assert any("city's sex, age and hukou structure" in a for a in manifest["assumptions"])


def test_a_non_empty_folder_is_refused(small_snapshot, districts):
    with pytest.raises(FileExistsError):
        synthesize(small_snapshot, districts, SynthSpec(residents=100))
