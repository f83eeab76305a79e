"""Reading outcome spreadsheets (.xlsx, .csv) as a stream of rows, and writing the template.

Streams: a CSV is decoded incrementally and an .xlsx is read with openpyxl's read-only mode, so
a million-row file never sits in memory. CSV encodings: UTF-8 (with or without BOM) and
GB18030/GBK as Excel writes them on Chinese Windows; we check the whole file is valid UTF-8 in
one cheap incremental pass before choosing, since GB18030 decodes almost any bytes.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from learncity.errors import SpreadsheetRejected
from learncity.records.kinds import OUTCOME_KINDS
from learncity.records.rows import COLUMNS, REQUIRED

HEADER_ALIASES = {
    "证件类型": "id_type",
    "签发国家": "id_country",
    "证件号码": "id_number",
    "身份证号": "id_number",
    "姓名": "name",
    "成果类型": "kind",
    "成果名称": "title",
    "名称": "title",
    "课程或证书代码": "code",
    "代码": "code",
    "学时": "hours",
    "学分": "credits",
    "成绩": "result",
    "开始日期": "started_on",
    "完成日期": "completed_on",
    "证明材料链接": "evidence_url",
    "机构编号": "reference",
}
TEMPLATE_HEADERS = {v: k for k, v in reversed(HEADER_ALIASES.items())}


def header_key(cell: str) -> str | None:
    """Map a header cell (e.g. '证件号码 id_number', 'id_number', '证件号码') to a column."""
    text = (cell or "").strip().lstrip("\ufeff")
    for token in [text, *text.replace("(", " ").replace(")", " ").split()]:
        token = token.strip()
        if token in COLUMNS:
            return token
        if token in HEADER_ALIASES:
            return HEADER_ALIASES[token]
    return None


def _column_map(header: list[str]) -> list[str | None]:
    keys = [header_key(h) for h in header]
    missing = [c for c in REQUIRED if c not in keys]
    if missing:
        raise SpreadsheetRejected(
            _(
                "The first row must name the columns. Missing: %(columns)s. Download the template "
                "and keep its first row."
            )
            % {"columns": ", ".join(missing)},
            code="spreadsheet.missing_columns",
            details={"missing": missing},
        )
    return keys


def detect_csv_encoding(path: Path) -> str:
    with open(path, "rb") as handle:
        head = handle.read(4)
        if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
            raise SpreadsheetRejected(
                _(
                    "This CSV file is saved as UTF-16. In Excel choose “CSV UTF-8 (comma "
                    "delimited)” when saving, or upload the .xlsx file."
                ),
                code="spreadsheet.encoding",
            )
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "utf-8-sig"
        except UnicodeDecodeError:
            pass
        handle.seek(0)
        decoder = codecs.getincrementaldecoder("gb18030")()
        try:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "gb18030"
        except UnicodeDecodeError:
            raise SpreadsheetRejected(
                _(
                    "The file's characters cannot be read as UTF-8 or GB18030/GBK. Save it again "
                    "as “CSV UTF-8” or upload the .xlsx file."
                ),
                code="spreadsheet.encoding",
            ) from None


def cell_text(value) -> str:
    """A spreadsheet cell as the text a user typed (dates ISO, 3.0 as 3, stripped)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _rows_from(raw_rows: Iterator[list], cell=cell_text) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows as {column: text}; ``cell`` turns a cell into text (CSV cells are text already)."""
    try:
        header = [cell_text(c) for c in next(raw_rows)]
    except StopIteration:
        raise SpreadsheetRejected(_("The file is empty."), code="spreadsheet.empty") from None
    keys = _column_map(header)
    for number, raw in enumerate(raw_rows, start=2):
        cells = [cell(c) for c in raw]
        if not any(cells):
            continue
        yield number, {k: v for k, v in zip(keys, cells, strict=False) if k}


def iter_csv(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    encoding = detect_csv_encoding(path)
    with open(path, encoding=encoding, newline="") as handle:
        try:
            yield from _rows_from(csv.reader(handle), cell=str.strip)
        except csv.Error as error:
            raise SpreadsheetRejected(
                _("The CSV file is malformed: %(error)s") % {"error": error},
                code="spreadsheet.malformed",
            ) from None


def iter_xlsx(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    # Opened as a file, not by name: uploads are saved under a temporary name without the
    # .xlsx suffix (the format comes from the name the user gave), and openpyxl refuses a path
    # whose suffix it does not know.
    handle = open(path, "rb")  # noqa: SIM115 - closed with the workbook below
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, InvalidFileException):
        handle.close()
        raise SpreadsheetRejected(
            _(
                "This is not a readable .xlsx workbook. Open it in Excel or WPS and save it again "
                "as .xlsx, or upload a CSV."
            ),
            code="spreadsheet.malformed",
        ) from None
    try:
        sheet = workbook.worksheets[0]
        yield from _rows_from(iter(sheet.iter_rows(values_only=True)))
    finally:
        workbook.close()
        handle.close()


def iter_rows(path: Path, file_name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (row number as the user sees it, {column: text}) for each non-empty data row."""
    suffix = Path(file_name).suffix.lower()
    if suffix == ".csv":
        return iter_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return iter_xlsx(path)
    raise SpreadsheetRejected(
        _("Upload a .xlsx or .csv file (this one is “%(suffix)s”).") % {"suffix": suffix or "?"},
        code="spreadsheet.file_type",
    )


def template_header() -> list[str]:
    return [f"{TEMPLATE_HEADERS.get(c, c)} {c}" for c in COLUMNS]


EXAMPLE_ROW = [
    "居民身份证",
    "",
    "11010519491231002X",
    "张三",
    "training",
    "老年人智能手机应用",
    "SH-ELD-101",
    "32",
    "2",
    "通过",
    "2024-03-01",
    "2024-06-30",
    "https://example.org/cert/1",
    "REF-0001",
]


def template_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(template_header())
    writer.writerow(EXAMPLE_ROW)
    return buffer.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "outcomes 成果"
    sheet.append(template_header())
    sheet.append(EXAMPLE_ROW)
    kinds = workbook.create_sheet("kinds 类型")
    kinds.append(["code", "English", "中文"])
    for code, (en, zh, _category) in OUTCOME_KINDS.items():
        kinds.append([code, en, zh])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
