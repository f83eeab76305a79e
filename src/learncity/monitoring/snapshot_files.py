"""The snapshot on disk: one folder per table of Parquet files, and a manifest.

    <snapshot>/manifest.json            what made it, each run's watermarks and row counts
    <snapshot>/persons/part-R-N.parquet residents / learners by pseudonym (no names, no numbers)
    <snapshot>/outcomes/YYYY/part-R-N.parquet   outcomes by year of completion
    <snapshot>/recognitions/ transfers/ sites/ courses/ population/ survey_units/ survey_answers/

Both `learncity snapshot` (from the database, incrementally) and `learncity synth` write this
layout with the schemas below (an outcome row carries its learner's district, sex, birth year
and hukou, as do a recognition and a transfer, so no query needs a join; a learner's change
re-exports their outcomes, recognitions and transfers); DuckDB and Spark read it with the same
SQL. A later run never rewrites an earlier run's files: it adds files whose `run` is higher,
and a row in a later run replaces the row with the same key from an earlier one (see
sqlgen.base_views).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

FORMAT = 1
SCHEMAS: dict[str, pa.Schema] = {
    "persons": pa.schema([
        ("person_key", pa.int64()), ("district_code", pa.string()), ("sex", pa.string()),
        ("birth_year", pa.int16()), ("hukou", pa.string()), ("account_opened_on", pa.date32()),
        ("run", pa.int32()),
    ]),
    "outcomes": pa.schema([
        ("outcome_key", pa.int64()), ("person_key", pa.int64()), ("institution_id", pa.int64()),
        ("kind", pa.string()), ("category", pa.string()), ("source", pa.string()),
        ("status", pa.string()), ("is_current", pa.bool_()), ("hours_tenths", pa.int32()),
        ("credits_tenths", pa.int32()), ("completed_on", pa.date32()),
        ("district_code", pa.string()), ("sex", pa.string()), ("birth_year", pa.int16()),
        ("hukou", pa.string()), ("run", pa.int32()),
    ]),
    "recognitions": pa.schema([
        ("outcome_key", pa.int64()), ("person_key", pa.int64()), ("status", pa.string()),
        ("category", pa.string()), ("credits_tenths", pa.int32()), ("decided_on", pa.date32()),
        ("district_code", pa.string()), ("sex", pa.string()), ("birth_year", pa.int16()),
        ("hukou", pa.string()), ("run", pa.int32()),
    ]),
    "transfers": pa.schema([  # one row per course (or electives) granted by a posted transfer
        ("transfer_key", pa.int64()), ("person_key", pa.int64()), ("posted_on", pa.date32()),
        ("credits_tenths", pa.int32()), ("institution_kind", pa.string()),
        ("institution_district", pa.string()), ("source_category", pa.string()),
        ("district_code", pa.string()), ("sex", pa.string()), ("birth_year", pa.int16()),
        ("hukou", pa.string()), ("run", pa.int32()),
    ]),
    "sites": pa.schema([
        ("site_id", pa.int64()), ("district_code", pa.string()), ("kind", pa.string()),
        ("active", pa.bool_()), ("run", pa.int32()),
    ]),
    "courses": pa.schema([
        ("course_key", pa.int64()), ("district_code", pa.string()), ("year", pa.int16()),
        ("run", pa.int32()),
    ]),
    "population": pa.schema([
        ("district_code", pa.string()), ("sex", pa.string()), ("age_band", pa.string()),
        ("hukou", pa.string()), ("residents", pa.int64()),
    ]),
    "survey_units": pa.schema([
        ("survey", pa.string()), ("year", pa.int16()), ("unit_key", pa.int64()),
        ("stratum", pa.string()), ("psu", pa.string()), ("base_weight", pa.float64()),
        ("responded", pa.bool_()), ("district_code", pa.string()), ("sex", pa.string()),
        ("age_band", pa.string()), ("hukou", pa.string()),
    ]),
    "survey_answers": pa.schema([
        ("survey", pa.string()), ("unit_key", pa.int64()), ("item_code", pa.string()),
        ("value", pa.string()),
    ]),
}
KEYS = {"persons": "person_key", "outcomes": "outcome_key", "recognitions": "outcome_key",
        "transfers": "transfer_key", "sites": "site_id", "courses": "course_key"}


class Codes:
    """A string column given as small integer codes into `labels` (fast to build and write)."""

    def __init__(self, codes, labels):
        self.codes, self.labels = codes, list(labels)

    def __len__(self) -> int:
        return len(self.codes)

    def arrow(self) -> pa.Array:
        indices = pa.array(self.codes, type=pa.int32())
        return pa.DictionaryArray.from_arrays(indices, pa.array(self.labels, pa.string())).cast(
            pa.string())


def table(name: str, columns: dict) -> pa.Table:
    """A pyarrow table in the schema of `name` (date columns may be given as days since 1970;
    negative days mean null)."""
    schema = SCHEMAS[name]
    n = next((len(v) for v in columns.values() if not isinstance(v, (int, float, str, bool))), 0)
    arrays = []
    for f in schema:
        values = columns[f.name]
        if isinstance(values, (int, float, str, bool)):
            values = [values] * n
        if isinstance(values, Codes):
            values = values.arrow()
        if pa.types.is_date32(f.type) and not isinstance(values, pa.Array):
            ints = pa.array(values, type=pa.int32())
            mask = pc.less(ints, 0)
            values = pc.if_else(mask, pa.scalar(None, pa.int32()), ints).cast(pa.date32())
        arrays.append(pa.array(values, type=f.type) if not isinstance(values, pa.Array)
                      else values)
    return pa.Table.from_arrays(arrays, schema=schema)


class SnapshotWriter:
    """Streams tables into the snapshot folder; one open Parquet writer per table and part."""

    def __init__(self, root: Path, run: int):
        self.root, self.run = Path(root), run
        self.writers: dict[tuple[str, str], pq.ParquetWriter] = {}
        self.rows: dict[str, int] = {}

    def write(self, name: str, columns: dict, part: str = "") -> None:
        data = table(name, columns)
        if not data.num_rows and (name, part) in self.writers:
            return
        key = (name, part)
        if key not in self.writers:
            folder = self.root / name / part if part else self.root / name
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"part-{self.run:05d}-0.parquet"
            self.writers[key] = pq.ParquetWriter(path, SCHEMAS[name], compression="zstd")
        self.writers[key].write_table(data, row_group_size=1 << 20)
        self.rows[name] = self.rows.get(name, 0) + data.num_rows

    def close(self) -> None:
        """Close every file, and give each table without any file an empty one, so that
        readers always find every table."""
        for w in self.writers.values():
            w.close()
        self.writers.clear()
        for name, schema in SCHEMAS.items():
            if not files(self.root, name):
                folder = self.root / name
                folder.mkdir(parents=True, exist_ok=True)
                pq.write_table(schema.empty_table(), folder / f"part-{self.run:05d}-0.parquet")


def default_folder() -> Path:
    """Where `learncity snapshot` writes unless told otherwise."""
    from learncity import config

    return config.home() / "monitoring" / "snapshot"


def read_manifest(root: Path) -> dict:
    path = Path(root) / "manifest.json"
    if not path.exists():
        return {"format": FORMAT, "runs": [], "updates": False}
    return json.loads(path.read_text(encoding="utf-8"))


def write_manifest(root: Path, manifest: dict) -> None:
    path = Path(root) / "manifest.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def add_run(manifest: dict, run: int, rows: dict, **facts) -> dict:
    manifest["runs"].append({"run": run, "at": datetime.now(UTC).isoformat(timespec="seconds"),
                             "rows": rows, **facts})
    return manifest


def files(root: Path, name: str) -> list[str]:
    """Every Parquet file of a table, sorted (both engines read the same list)."""
    return sorted(str(p) for p in (Path(root) / name).rglob("*.parquet"))
