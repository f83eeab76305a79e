"""Spreadsheet imports of courses and sites: all rows or none, problems reported row by row."""

from __future__ import annotations

import csv
import io

import pytest

from learncity.catalogue import sheets
from learncity.catalogue.models import Course, Site
from learncity.catalogue.services.imports import import_entries
from learncity.errors import PermissionDenied, SpreadsheetRejected

HEADER = [
    "代码 code",
    "中文名称 title_zh",
    "title_en",
    "形式 mode",
    "类型 kind",
    "适用人群",
    "学时",
    "资历框架等级 level",
    "fee_yuan",
    "公益免费",
    "服务区 districts",
]
GOOD = [
    [
        "XH-CAL-01",
        "书法入门",
        "Calligraphy",
        "线下",
        "elderly",
        "老年人（60 岁及以上）",
        "32",
        "2",
        "0",
        "是",
        "徐汇区",
    ],
    [
        "XH-PHONE",
        "老年人智能手机应用",
        "",
        "offline",
        "老年教育课程",
        "elderly",
        "16",
        "1",
        "",
        "是",
        "",
    ],
]


def write_csv(path, rows, encoding="utf-8-sig"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def test_a_good_file_creates_every_course_and_a_second_upload_changes_nothing_new(
    tmp_path, officer_actor, institution
):
    path = write_csv(tmp_path / "courses.csv", [HEADER, *GOOD])
    result = import_entries(officer_actor, institution, path, "courses.csv", "courses")
    assert (result.rows, result.created, result.changed) == (2, 2, 0)
    course = Course.objects.get(code="XH-CAL-01")
    assert (
        course.mode == "offline"
        and course.audiences == ",elderly,"
        and course.districts == ",310104,"
    )
    again = import_entries(officer_actor, institution, path, "courses.csv", "courses")
    assert (again.created, again.changed) == (0, 2) and Course.objects.count() == 2


def test_a_gbk_csv_from_chinese_excel_is_read(tmp_path, officer_actor, institution):
    path = write_csv(tmp_path / "courses.csv", [HEADER, *GOOD], encoding="gb18030")
    assert import_entries(officer_actor, institution, path, "课程.csv", "courses").created == 2


def test_an_xlsx_is_read(tmp_path, officer_actor, institution):
    from openpyxl import Workbook

    book = Workbook()
    for row in [HEADER, *GOOD]:
        book.active.append(row)
    book.save(tmp_path / "c.xlsx")
    result = import_entries(officer_actor, institution, tmp_path / "c.xlsx", "c.xlsx", "courses")
    assert result.created == 2


def test_bad_rows_are_reported_row_by_row_and_nothing_is_imported(
    tmp_path, officer_actor, institution
):
    bad = [
        HEADER,
        GOOD[0],
        ["bad code!", "", "", "by post", "elderly", "", "-1", "9", "50", "是", "火星区"],
        GOOD[0],  # the same code twice
        ["OK-2", "英语", "", "offline", "community", "", "abc", "", "", "maybe", ""],
    ]
    path = write_csv(tmp_path / "courses.csv", bad)
    with pytest.raises(SpreadsheetRejected) as error:
        import_entries(officer_actor, institution, path, "courses.csv", "courses")
    report = {(e["row"], e["column"]) for e in error.value.details}
    assert report == {
        (3, "code"),
        (3, "title_zh"),
        (3, "mode"),
        (3, "hours"),
        (3, "level"),
        (3, "fee_yuan"),
        (3, "districts"),
        (4, "code"),
        (5, "hours"),
        (5, "public_benefit"),
    }
    assert all(e["message"] for e in error.value.details)
    assert Course.objects.count() == 0


def test_sites_import_with_coordinates_checked_row_by_row(tmp_path, officer_actor, institution):
    header = ["code", "name_zh", "kind", "address", "所在区", "纬度", "经度", "capacity"]
    rows = [
        header,
        ["S1", "徐汇区社区学校", "社区学校", "漕溪北路 1 号", "徐汇区", "31.19", "121.44", "200"],
        [
            "S2",
            "松江区老年大学",
            "elderly_university",
            "中山中路 1 号",
            "310117",
            "121.22",
            "31.03",
            "80",
        ],
        ["S3", "某学习点", "learning_point", "某路", "310101", "31.23", "121.48", "12.5"],
    ]
    path = write_csv(tmp_path / "sites.csv", rows)
    with pytest.raises(SpreadsheetRejected) as error:
        import_entries(officer_actor, institution, path, "sites.csv", "sites")
    assert [(e["row"], e["code"]) for e in error.value.details] == [
        (3, "coordinates.swapped"),
        (4, "not_whole"),
    ]
    assert Site.objects.count() == 0
    write_csv(path, rows[:2])
    assert import_entries(officer_actor, institution, path, "sites.csv", "sites").created == 1


@pytest.mark.parametrize(
    "content, name, code",
    [
        (b"", "c.csv", "spreadsheet.empty"),
        ("code,title_zh\nA,书法\n".encode(), "c.csv", "spreadsheet.missing_columns"),
        (b"PK\x03\x04 not really a zip", "c.xlsx", "spreadsheet.malformed"),
        (b"code,title_zh,mode,kind\n", "c.pdf", "spreadsheet.file_type"),
        ("\ufeffcode,title_zh,mode,kind\n".encode("utf-16"), "c.csv", "spreadsheet.encoding"),
        (b"code,title_zh,mode,kind\n", "c.csv", "spreadsheet.empty"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(
    tmp_path, officer_actor, institution, content, name, code
):
    path = tmp_path / "upload"
    path.write_bytes(content)
    with pytest.raises(SpreadsheetRejected) as error:
        import_entries(officer_actor, institution, path, name, "courses")
    assert error.value.code == code


def test_only_the_institutions_officer_imports(tmp_path, learner, institution):
    from learncity.access import actor_for_user

    path = write_csv(tmp_path / "c.csv", [HEADER, *GOOD])
    with pytest.raises(PermissionDenied):
        import_entries(actor_for_user(learner.user), institution, path, "c.csv", "courses")


def test_the_templates_import_cleanly(tmp_path, officer_actor, institution):
    for kind in ("courses", "sites"):
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(sheets.template_csv(kind))
        assert import_entries(officer_actor, institution, path, f"{kind}.csv", kind).created == 1
