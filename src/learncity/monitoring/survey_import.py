"""Read survey responses from .csv (UTF-8, UTF-8 with BOM, GB18030) or .xlsx and check every row.

Columns: the design columns below, then one column per questionnaire item code (a multiple
choice as option codes separated by ";"). A row with responded = 0 is a sampled resident who
did not answer (kept for the non-response adjustment). Checking is all-or-nothing: any problem
refuses the file with a row-by-row list.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from learncity.monitoring.answers import ItemSpec, Problem, clean

DESIGN = ("unit_key", "stratum", "psu", "base_weight", "district_code", "sex", "age_band",
          "hukou", "responded")
SEXES = ("M", "F")
ADULT_BANDS = ("15-29", "30-44", "45-59", "60-64", "65+")
HUKOU = ("local", "non_local")
YES = ("1", "yes", "true", "是", "y")
NO = ("0", "no", "false", "否", "n")


@dataclass(frozen=True)
class Row:
    number: int
    unit: dict
    answers: dict[str, str] | None  # None: did not respond


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    problem: Problem


def read_rows(path: Path) -> list[dict[str, str]]:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        rows = [["" if v is None else str(v).strip() for v in r]
                for r in sheet.iter_rows(values_only=True)]
        book.close()
    else:
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValueError("the file is neither UTF-8 nor GB18030 text")
        rows = [[c.strip() for c in r] for r in csv.reader(io.StringIO(text))]
    if not rows:
        return []
    header = rows[0]
    return [dict(zip(header, r, strict=False)) for r in rows[1:] if any(r)]


def _design(n: int, raw: dict, districts: set[str]) -> tuple[dict, list[RowProblem]]:
    problems, unit = [], {}

    def bad(column):
        problems.append(RowProblem(n, column, Problem(column, "bad_column", raw.get(column, ""))))

    try:
        unit["unit_key"] = int(raw["unit_key"])
    except ValueError:
        bad("unit_key")
    try:
        unit["base_weight"] = float(raw["base_weight"])
        if not unit["base_weight"] > 0:
            bad("base_weight")
    except ValueError:
        bad("base_weight")
    for column, allowed in (("district_code", districts), ("sex", SEXES),
                            ("age_band", ADULT_BANDS), ("hukou", HUKOU)):
        if raw[column] not in allowed:
            bad(column)
        unit[column] = raw[column]
    for column in ("stratum", "psu"):
        if not raw[column]:
            bad(column)
        unit[column] = raw[column]
    flag = raw["responded"].lower()
    if flag not in YES + NO:
        bad("responded")
    unit["responded"] = flag in YES
    return unit, problems


def check(rows: list[dict[str, str]], specs: list[ItemSpec], districts: set[str]) -> tuple[
        list[Row], list[RowProblem]]:
    """Check every row (row numbers as in the file: the header is row 1)."""
    if not rows:
        return [], [RowProblem(1, "unit_key", Problem("unit_key", "missing_column", "unit_key"))]
    missing = [c for c in DESIGN if c not in rows[0]]
    if missing:
        return [], [RowProblem(1, c, Problem(c, "missing_column", c)) for c in missing]
    out, problems, seen = [], [], set()
    for n, raw in enumerate(rows, start=2):
        unit, row_problems = _design(n, raw, districts)
        problems += row_problems
        key = unit.get("unit_key")
        if key is not None and key in seen:
            problems.append(RowProblem(n, "unit_key", Problem("unit_key", "bad_column", str(key))))
        seen.add(key)
        answers = None
        if unit.get("responded"):
            answers, item_problems = clean(specs, {s.code: raw.get(s.code, "") for s in specs})
            problems += [RowProblem(n, p.item, p) for p in item_problems]
        out.append(Row(n, unit, answers))
    return out, problems
