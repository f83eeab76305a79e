"""Run the compiled SQL on a snapshot with DuckDB (one machine) or Spark (a cluster).

Both engines register the snapshot's Parquet files as `<table>_raw`, create the same base views
(sqlgen.base_views) and run the same query texts; results come back as lists of dicts with
plain Python ints and strings, sorted, so that they can be compared for equality.
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

from learncity.monitoring import sqlgen
from learncity.monitoring.snapshot_files import SCHEMAS, files, read_manifest

SQL_TABLES = ("persons", "outcomes", "recognitions", "transfers", "sites", "courses",
              "population")
OPTIONAL_TABLES = ("transfers",)  # snapshots written before transfers were exported lack it
SQL_TYPES = {"int64": "BIGINT", "int32": "INT", "int16": "SMALLINT", "string": "STRING",
             "bool": "BOOLEAN", "date32[day]": "DATE", "double": "DOUBLE"}


def _plain(value):
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int) or hasattr(value, "__index__"):
        return int(value)
    return value


def _rows(columns: list[str], rows) -> list[dict]:
    out = [{c: _plain(v) for c, v in zip(columns, row, strict=True)} for row in rows]
    return sorted(out, key=lambda r: tuple(str(r[c]) for c in columns))


class DuckDBEngine:
    name = "duckdb"

    def __init__(self, memory_limit: str = "3GB", threads: int = 2, temp_dir: str | None = None):
        import duckdb

        self.con = duckdb.connect()
        self.con.execute(f"SET memory_limit = '{memory_limit}'")
        self.con.execute(f"SET threads = {int(threads)}")
        self.con.execute("SET preserve_insertion_order = false")
        if temp_dir:
            self.con.execute(f"SET temp_directory = '{temp_dir}'")

    def register(self, name: str, paths: list[str]) -> None:
        listed = ", ".join("'" + p.replace("'", "''") + "'" for p in paths)
        self.con.execute(
            f"CREATE OR REPLACE VIEW {name}_raw AS SELECT * FROM read_parquet([{listed}])")

    def execute(self, sql: str) -> None:
        self.con.execute(sql)

    def query(self, sql: str) -> list[dict]:
        cursor = self.con.execute(sql)
        columns = [d[0] for d in cursor.description]
        return _rows(columns, cursor.fetchall())

    def close(self) -> None:
        self.con.close()


class SparkEngine:
    """pyspark in local[N] mode by default; pass a master URL for a cluster."""

    name = "spark"

    def __init__(self, master: str = "local[2]", shuffle_partitions: int = 4,
                 small: bool = False):
        """`small`: tuned for a few seconds of work on little data (tests): the JVM's quick
        compiler only, no whole-stage code generation, no adaptive planning."""
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from pyspark.sql import SparkSession

            builder = SparkSession.builder
            if small:
                builder = (builder.config("spark.driver.extraJavaOptions",
                                          "-XX:TieredStopAtLevel=1")
                           .config("spark.sql.codegen.wholeStage", "false")
                           .config("spark.sql.adaptive.enabled", "false"))
            self.spark = (
                builder.master(master)
                .appName("learncity-monitoring")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", str(shuffle_partitions))
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.driver.memory", "1g")
                .config("spark.sql.ansi.enabled", "true")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate()
            )
        self.spark.sparkContext.setLogLevel("ERROR")

    def register(self, name: str, paths: list[str]) -> None:
        schema = _spark_schema(SCHEMAS[name])
        self.spark.read.schema(schema).parquet(*paths).createOrReplaceTempView(f"{name}_raw")

    def execute(self, sql: str) -> None:
        self.spark.sql(sql)

    def query(self, sql: str) -> list[dict]:
        df = self.spark.sql(sql)
        return _rows(df.columns, [tuple(r) for r in df.collect()])

    def close(self) -> None:
        self.spark.stop()


def _spark_schema(schema):
    from pyspark.sql import types as T

    kinds = {"int64": T.LongType(), "int32": T.IntegerType(), "int16": T.ShortType(),
             "string": T.StringType(), "bool": T.BooleanType(), "date32[day]": T.DateType(),
             "double": T.DoubleType()}
    return T.StructType([T.StructField(f.name, kinds[str(f.type)], True) for f in schema])


def empty_view_sql(name: str) -> str:
    """`<name>_raw` as an empty view of the table's columns (same SQL on both engines)."""
    columns = ", ".join(f"CAST(NULL AS {SQL_TYPES[str(f.type)]}) AS {f.name}"
                        for f in SCHEMAS[name])
    return f"CREATE OR REPLACE TEMPORARY VIEW {name}_raw AS SELECT {columns} WHERE 1 = 0"


def make_engine(name: str, **options):
    if name == "duckdb":
        return DuckDBEngine(**options)
    if name == "spark":
        return SparkEngine(**options)
    raise ValueError(f"unknown engine {name!r}: use duckdb or spark")


def run_queries(engine, snapshot: Path, cat, years: tuple[int, ...]) -> dict[str, list[dict]]:
    """Register the snapshot, create the base views, run every query; rows by query name."""
    manifest = read_manifest(snapshot)
    for name in SQL_TABLES:
        paths = files(snapshot, name)
        if not paths and name in OPTIONAL_TABLES:
            engine.execute(empty_view_sql(name))
            continue
        if not paths:
            raise FileNotFoundError(f"{snapshot} has no {name} table: is it a snapshot?")
        engine.register(name, paths)
    for sql in sqlgen.base_views(bool(manifest.get("updates"))):
        engine.execute(sql)
    return {name: engine.query(sql) for name, sql in sqlgen.queries(cat, years).items()}
