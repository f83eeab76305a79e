"""Reading catalogue spreadsheets (.xlsx, .csv) as a stream of rows, and their templates.

The same patterns as records.spreadsheet: CSV decoded incrementally after an encoding check
(UTF-8 with or without BOM, else GB18030/GBK), .xlsx read with openpyxl's read-only mode, the
first row naming the columns by code, Chinese name, or both ('课程代码 code').
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from learncity.catalogue import rows
from learncity.errors import SpreadsheetRejected
from learncity.records.spreadsheet import cell_text, detect_csv_encoding

CHINESE = {
    "code": "代码", "title_zh": "中文名称", "title_en": "英文名称", "description_zh": "中文简介",
    "description_en": "英文简介", "mode": "形式", "kind": "类型", "audiences": "适用人群",
    "hours": "学时", "credits": "学分", "level": "资历框架等级", "category": "成果类别",
    "xapi_activity_iri": "xAPI活动标识", "fee_yuan": "费用（元）", "public_benefit": "公益免费",
    "districts": "服务区", "name_zh": "中文名称", "name_en": "英文名称", "address": "地址",
    "district": "所在区", "latitude": "纬度", "longitude": "经度", "opening_hours": "开放时间",
    "accessibility": "无障碍说明", "step_free": "无障碍通道", "capacity": "容纳人数",
}  # fmt: skip
KINDS = {
    "courses": (rows.COURSE_COLUMNS, rows.COURSE_REQUIRED),
    "sites": (rows.SITE_COLUMNS, rows.SITE_REQUIRED),
}
EXAMPLES = {
    "courses": ["XH-CAL-01", "书法入门", "Calligraphy for beginners", "从握笔开始学习毛笔字。", "",
                "offline", "elderly", "elderly", "32", "2", "2", "culture_leisure", "", "0", "是",
                "310104"],
    "sites": ["XH-SITE-01", "徐汇区社区学校", "Xuhui Community School", "community_school",
              "上海市徐汇区漕溪北路 1 号", "徐汇区", "31.1885", "121.4365", "周一至周五 8:30–17:00",
              "无障碍坡道，一楼无障碍卫生间", "是", "200"],
}  # fmt: skip


def header_key(cell: str, columns: tuple[str, ...]) -> str | None:
    text = (cell or "").strip().lstrip("\ufeff")
    for token in [text, *text.replace("(", " ").replace(")", " ").split()]:
        if token in columns:
            return token
        for column in columns:
            if CHINESE.get(column) == token:
                return column
    return None


def _rows_from(raw: Iterator, kind: str) -> Iterator[tuple[int, dict[str, str]]]:
    columns, required = KINDS[kind]
    try:
        header = [cell_text(c) for c in next(raw)]
    except StopIteration:
        raise SpreadsheetRejected(_("The file is empty."), code="spreadsheet.empty") from None
    keys = [header_key(h, columns) for h in header]
    missing = [c for c in required if c not in keys]
    if missing:
        raise SpreadsheetRejected(
            _("The first row must name the columns. Missing: %(columns)s. Download the template.")
            % {"columns": ", ".join(missing)},
            code="spreadsheet.missing_columns",
            details={"missing": missing},
        )
    for number, values in enumerate(raw, start=2):
        cells = [cell_text(c) for c in values]
        if any(cells):
            yield number, {k: v for k, v in zip(keys, cells, strict=False) if k}


def _csv_rows(path: Path, kind: str):
    with open(path, encoding=detect_csv_encoding(path), newline="") as handle:
        try:
            yield from _rows_from(csv.reader(handle), kind)
        except csv.Error as error:
            raise SpreadsheetRejected(
                _("The CSV file is malformed: %(error)s") % {"error": error},
                code="spreadsheet.malformed",
            ) from None


def _xlsx_rows(path: Path, kind: str):
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    handle = open(path, "rb")  # noqa: SIM115 - closed with the workbook below
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, InvalidFileException):
        handle.close()
        raise SpreadsheetRejected(
            _("This is not a readable .xlsx workbook. Save it again as .xlsx, or upload a CSV."),
            code="spreadsheet.malformed",
        ) from None
    try:
        yield from _rows_from(iter(workbook.worksheets[0].iter_rows(values_only=True)), kind)
    finally:
        workbook.close()
        handle.close()


def iter_rows(path: Path, file_name: str, kind: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number as the user sees it, {column: text}) for each non-empty row."""
    suffix = Path(file_name).suffix.lower()
    if suffix == ".csv":
        return _csv_rows(path, kind)
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path, kind)
    raise SpreadsheetRejected(
        _("Upload a .xlsx or .csv file (this one is “%(suffix)s”).") % {"suffix": suffix or "?"},
        code="spreadsheet.file_type",
    )


def template_csv(kind: str) -> bytes:
    columns, _required = KINDS[kind]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([f"{CHINESE[c]} {c}" for c in columns])
    writer.writerow(EXAMPLES[kind])
    return buffer.getvalue().encode("utf-8-sig")
