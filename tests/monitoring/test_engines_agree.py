"""The same indicator definitions on DuckDB and on Apache Spark give identical results."""

import shutil

import pytest

from learncity.monitoring import catalogue, jobs
from learncity.monitoring.engines import DuckDBEngine, SparkEngine, run_queries

from .tiny import OUTCOMES, write_tiny

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark")
    engine = SparkEngine("local[2]", shuffle_partitions=2, small=True)
    yield engine
    engine.close()


def _both(snapshot, spark, years):
    cat = catalogue.load()
    duck = DuckDBEngine()
    try:
        on_duckdb = run_queries(duck, snapshot, cat, years)
    finally:
        duck.close()
    return on_duckdb, run_queries(spark, snapshot, cat, years)


def test_duckdb_and_spark_agree_on_a_synthetic_snapshot(small_snapshot, spark, zones):
    years = (2022, 2023, 2024)
    on_duckdb, on_spark = _both(small_snapshot, spark, years)
    assert on_duckdb == on_spark
    assert sum(r["m_any"] for r in on_duckdb["participation_2024"]) > 1000
    assert sum(r["transfer_learners"] for r in on_duckdb["transfers"]) > 10
    cat = catalogue.load()
    cells = [jobs.compute_admin(rows, cat, zones, years, 10) for rows in (on_duckdb, on_spark)]
    assert [c.as_dict() for c in cells[0]] == [c.as_dict() for c in cells[1]]


def test_both_engines_apply_a_later_run_the_same_way(tmp_path, spark):
    revoked = [o for o in OUTCOMES if o[0] == 21][0]
    folder = write_tiny(tmp_path / "two-runs",
                        extra_run=[(*revoked[:5], "revoked", *revoked[6:])])
    on_duckdb, on_spark = _both(folder, spark, (2023, 2024))
    assert on_duckdb == on_spark
    assert sum(r["m_any"] for r in on_spark["participation_2024"]) == 2
    assert sum(r["transfer_credits_tenths"] for r in on_spark["transfers"]) == 65 + 40


def test_both_engines_read_a_snapshot_made_before_transfers_were_exported(tmp_path, spark):
    folder = write_tiny(tmp_path / "old")
    shutil.rmtree(folder / "transfers")
    on_duckdb, on_spark = _both(folder, spark, (2023, 2024))
    assert on_duckdb == on_spark
    assert on_spark["transfers"] == [] and len(on_spark["participation_2024"]) > 0
