"""Uploaded workbooks are read whatever temporary name they were saved under."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from learncity.errors import SpreadsheetRejected
from learncity.records.spreadsheet import iter_rows, template_header


def test_xlsx_saved_without_suffix_is_read_by_the_name_the_user_gave(tmp_path):
    # The portal and the API save an upload as "upload" (no suffix) before importing it.
    workbook = Workbook()
    workbook.active.append(template_header())
    workbook.active.append(
        [
            "",
            "",
            "110105194912310029",
            "张三",
            "course",
            "书法",
            "",
            "",
            "",
            "",
            "",
            "2024-06-30",
            "",
            "",
        ]
    )
    path = tmp_path / "upload"
    workbook.save(path)

    rows = list(iter_rows(path, "成果.xlsx"))

    assert [number for number, _values in rows] == [2]
    assert rows[0][1]["name"] == "张三"


def test_a_file_that_is_no_workbook_is_refused_with_a_message(tmp_path):
    path = tmp_path / "upload"
    path.write_bytes(b"id_number,name\n")

    with pytest.raises(SpreadsheetRejected) as refused:
        list(iter_rows(path, "成果.xlsx"))

    assert refused.value.code == "spreadsheet.malformed"
