"""An institution officer uploads a spreadsheet with one bad row, as .csv and as .xlsx."""

from __future__ import annotations

import csv
import re
from datetime import date

import pytest
from django.utils import translation

from learncity.demo import demo_id_number
from learncity.identity.messages import problem_message
from learncity.records.messages import COLUMN_LABELS
from learncity.records.models import ImportBatch, Outcome
from learncity.records.rows import COLUMNS
from learncity.records.spreadsheet import template_header

pytestmark = pytest.mark.browser

NUMBER = demo_id_number("310104", date(1958, 5, 17), 21)
WRONG = NUMBER[:-1] + ("0" if NUMBER[-1] != "0" else "1")


def rows() -> list[list[str]]:
    """The template's header and three rows; the second (sheet row 3) has a wrong check char."""

    def row(number, kind, title, done, ref):
        values = {"id_type": "居民身份证", "id_number": number, "name": "王建国", "kind": kind,
                  "title": title, "hours": "24", "result": "通过", "completed_on": done,
                  "reference": ref}  # fmt: skip
        return [values.get(column, "") for column in COLUMNS]

    return [
        template_header(),
        row(NUMBER, "course", "公共管理导论", "2023-06-30", "UP-1"),
        row(WRONG, "training", "急救员培训", "2024-05-10", "UP-2"),
        row(NUMBER, "culture_leisure", "书法入门", "2024-06-28", "UP-3"),
    ]


def write_sheet(folder, fmt: str):
    path = folder / f"成果-2024.{fmt}"
    if fmt == "csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(rows())
    else:
        from openpyxl import Workbook

        workbook = Workbook()
        for values in rows():
            workbook.active.append(values)
        workbook.save(path)
    return path


def in_zh(text) -> str:
    with translation.override("zh-hans"):
        return str(text) if not callable(text) else text()


def upload(page, path, accept_valid: bool) -> None:
    page.set_input_files("#id_file", str(path))
    if accept_valid:
        page.check("#id_accept_valid")
    with page.expect_navigation():
        page.click("main form.form button[type=submit]")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_upload_with_one_bad_row_reports_then_accepts_valid_rows(
    fmt, new_page, sign_in, shot, officer, make_learner, tmp_path
):
    learner = make_learner(name="王建国", id_number=NUMBER, username="wang")
    sheet = write_sheet(tmp_path, fmt)
    page = new_page()
    sign_in(page, "officer")
    # From the home page the officer follows the upload link.
    with page.expect_navigation():
        page.click("main a[href='/institution/upload/']")
    assert page.locator("h1").count() == 1
    assert not page.is_checked("#id_accept_valid")  # all or nothing unless asked

    # 1. All or nothing: the file is refused, with a row-by-row report.
    upload(page, sheet, accept_valid=False)
    summary = page.locator("#form-errors[role=alert]")
    assert summary.is_visible()
    assert sorted(re.findall(r"\d+", summary.inner_text())) == ["1", "3"]  # 1 of 3 rows
    report = page.locator("main table tbody tr")
    assert report.count() == 1
    cells = report.first.locator("td").all_inner_texts()
    assert cells[0].strip() == "3"  # the row number as the officer sees it in the file
    assert cells[1].strip() == in_zh(COLUMN_LABELS["id_number"])
    assert cells[2].strip() == in_zh(lambda: problem_message("bad_check_char"))
    assert Outcome.objects.count() == 0
    assert ImportBatch.objects.get().status == "refused"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, f"upload-report-phone-{fmt}")
    page.set_viewport_size({"width": 1280, "height": 900})
    shot(page, f"upload-report-desktop-{fmt}")
    page.set_viewport_size({"width": 390, "height": 844})

    # 2. Accept the valid rows: two are imported, the bad one comes back as a file.
    upload(page, sheet, accept_valid=True)
    status = page.locator("main .messages[role=status]")
    assert status.is_visible()
    assert sorted(re.findall(r"\d+", status.inner_text())) == ["1", "2", "3"]
    assert page.locator("main table").count() == 0  # no report of problems this time
    assert page.locator("#form-errors").count() == 0
    titles = set(Outcome.objects.filter(learner=learner).values_list("title", flat=True))
    assert titles == {"公共管理导论", "书法入门"}
    batch = ImportBatch.objects.get(status="done")
    assert (batch.rows_total, batch.rows_accepted, batch.rows_rejected) == (3, 2, 1)

    with page.expect_download() as info:
        page.click(f"main a[href='/institution/imports/{batch.pk}/rejected.csv']")
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    with open(download.path(), encoding="utf-8-sig", newline="") as handle:
        rejected = list(csv.reader(handle))
    assert rejected[0][0] == "row" and rejected[0][-1] == "problems"
    assert len(rejected) == 2
    assert rejected[1][0] == "3"
    assert WRONG in rejected[1]
    assert "急救员培训" in rejected[1]
    shot(page, f"upload-accepted-phone-{fmt}")

    # 3. The same file again adds nothing twice.
    upload(page, sheet, accept_valid=True)
    assert Outcome.objects.count() == 2
    assert page.locator("main .messages[role=status]").is_visible()
