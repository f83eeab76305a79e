"""Spreadsheet import: streamed, all-or-nothing by default, never duplicated, clear reports."""

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from learncity.errors import PayloadTooLarge, PermissionDenied, SpreadsheetRejected
from learncity.records import importer
from learncity.records.importer import import_outcomes
from learncity.records.models import ImportBatch, Outcome
from learncity.records.spreadsheet import template_header

from .conftest import rejected_lines, valid_id

HEADER = template_header()


def row(learner_id, name="王建国", **overrides):
    values = {
        "id_type": "居民身份证",
        "id_country": "",
        "id_number": learner_id,
        "name": name,
        "kind": "培训",
        "title": "老年人智能手机应用",
        "code": "PT-DIG-02",
        "hours": "16",
        "credits": "",
        "result": "通过",
        "started_on": "2025-04-01",
        "completed_on": "2025-05-20",
        "evidence_url": "",
        "reference": "",
    }
    values.update(overrides)
    return [values[h.split()[-1]] for h in HEADER]


def write_csv(path: Path, rows, encoding="utf-8-sig", header=HEADER) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for r in rows:
        sheet.append(r)
    workbook.save(path)
    return path


def good_rows(people):
    return [row(valid_id(seq=200 + 2 * i), name=p.name) for i, p in enumerate(people)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_in_every_encoding_excel_writes_is_imported(
    tmp_path, system, institution, people, encoding
):
    path = write_csv(tmp_path / "outcomes.csv", good_rows(people), encoding=encoding)
    result = import_outcomes(system, institution, path, "outcomes.csv")
    assert result.batch.rows_accepted == 5
    assert set(Outcome.objects.values_list("title", flat=True)) == {"老年人智能手机应用"}


def test_an_xlsx_file_is_imported_with_dates_as_excel_stores_them(
    tmp_path, system, institution, people
):
    from datetime import datetime

    rows = good_rows(people)
    rows[0][HEADER.index("完成日期 completed_on")] = datetime(2025, 5, 20)
    path = write_xlsx(tmp_path / "outcomes.xlsx", rows)
    result = import_outcomes(system, institution, path, "outcomes.xlsx")
    assert result.batch.rows_accepted == 5
    assert Outcome.objects.filter(completed_on="2025-05-20").count() == 5


def test_a_file_with_bad_rows_is_refused_whole_with_a_row_by_row_report(
    tmp_path, system, institution, people
):
    rows = good_rows(people)
    rows[1][HEADER.index("学时 hours")] = "-4"
    rows[3][HEADER.index("证件号码 id_number")] = "110105194912310021"
    path = write_csv(tmp_path / "outcomes.csv", rows)
    with pytest.raises(SpreadsheetRejected) as caught:
        import_outcomes(system, institution, path, "outcomes.csv")
    report = caught.value.details["problems"]
    assert [(p["row"], p["column"]) for p in report] == [(3, "hours"), (5, "id_number")]
    assert all(p["message"] for p in report)
    assert Outcome.objects.count() == 0
    assert ImportBatch.objects.get().status == "refused"


def test_accepting_valid_rows_returns_the_rejected_ones_as_a_file(
    tmp_path, system, institution, people, settings
):
    rows = good_rows(people)
    rows[2][HEADER.index("姓名 name")] = "冒名"
    path = write_csv(tmp_path / "outcomes.csv", rows)
    result = import_outcomes(system, institution, path, "outcomes.csv", accept_valid=True)
    assert (result.batch.rows_accepted, result.batch.rows_rejected) == (4, 1)
    lines = rejected_lines(settings, result.batch)
    assert len(lines) == 2 and lines[1][0] == "4" and "冒名" in lines[1]


def test_a_retried_upload_of_the_same_file_does_not_duplicate(
    tmp_path, system, institution, people
):
    path = write_csv(tmp_path / "outcomes.csv", good_rows(people))
    import_outcomes(system, institution, path, "outcomes.csv")
    again = import_outcomes(system, institution, path, "outcomes (1).csv")
    assert again.already_imported
    assert Outcome.objects.count() == 5


def test_a_reference_already_deposited_is_reported_not_duplicated(
    tmp_path, system, institution, people
):
    rows = good_rows(people)
    for i, r in enumerate(rows):
        r[HEADER.index("机构编号 reference")] = f"R{i}"
    import_outcomes(system, institution, write_csv(tmp_path / "a.csv", rows), "a.csv")
    rows.append(row(valid_id(seq=200), name=people[0].name, reference="R-new"))
    with pytest.raises(SpreadsheetRejected) as caught:
        import_outcomes(system, institution, write_csv(tmp_path / "b.csv", rows), "b.csv")
    assert {p["code"] for p in caught.value.details["problems"]} == {"duplicate_reference"}
    assert Outcome.objects.count() == 5


def test_a_crash_in_the_middle_leaves_nothing_half_written(
    tmp_path, system, institution, people, monkeypatch
):
    monkeypatch.setattr(importer, "CHUNK", 2)
    calls = {"n": 0}
    real_match_claims = importer.match_claims

    def crash_on_third_chunk(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:  # two chunks are already inserted by now
            raise OSError("disk full")
        return real_match_claims(*args, **kwargs)

    monkeypatch.setattr(importer, "match_claims", crash_on_third_chunk)
    path = write_csv(tmp_path / "outcomes.csv", good_rows(people))
    with pytest.raises(OSError):
        import_outcomes(system, institution, path, "outcomes.csv")
    assert calls["n"] == 3
    assert Outcome.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_an_unknown_learner_is_an_error_never_a_new_account(tmp_path, system, institution, people):
    from learncity.identity.models import Learner

    rows = [row(valid_id(seq=999), name="陌生人")]
    with pytest.raises(SpreadsheetRejected) as caught:
        import_outcomes(system, institution, write_csv(tmp_path / "x.csv", rows), "x.csv")
    assert caught.value.details["problems"][0]["code"] == "learner_not_found"
    assert Learner.objects.count() == 5


def test_missing_columns_are_named(tmp_path, system, institution):
    path = write_csv(tmp_path / "x.csv", [["a", "b"]], header=["姓名", "whatever"])
    with pytest.raises(SpreadsheetRejected) as caught:
        import_outcomes(system, institution, path, "x.csv")
    assert "id_number" in caught.value.details["missing"]


def test_a_file_that_is_not_really_xlsx_is_refused_clearly(tmp_path, system, institution):
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a workbook")
    with pytest.raises(SpreadsheetRejected) as caught:
        import_outcomes(system, institution, path, "x.xlsx")
    assert caught.value.code == "spreadsheet.malformed"


def test_a_utf16_csv_is_refused_with_advice(tmp_path, system, institution, people):
    path = write_csv(tmp_path / "x.csv", good_rows(people), encoding="utf-16")
    with pytest.raises(SpreadsheetRejected) as caught:
        import_outcomes(system, institution, path, "x.csv")
    assert caught.value.code == "spreadsheet.encoding"


def test_bytes_that_are_no_known_encoding_are_refused(tmp_path, system, institution):
    path = tmp_path / "x.csv"
    path.write_bytes(",".join(HEADER).encode() + b"\n\xff\xff\xff\x81\x30\n")
    with pytest.raises(SpreadsheetRejected) as caught:
        import_outcomes(system, institution, path, "x.csv")
    assert caught.value.code == "spreadsheet.encoding"


def test_other_file_types_are_refused(tmp_path, system, institution):
    path = tmp_path / "x.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(SpreadsheetRejected) as caught:
        import_outcomes(system, institution, path, "x.pdf")
    assert caught.value.code == "spreadsheet.file_type"


def test_an_oversized_file_is_refused_before_reading(
    tmp_path, system, institution, people, settings
):
    settings.MAX_UPLOAD_BYTES = 100
    path = write_csv(tmp_path / "x.csv", good_rows(people))
    with pytest.raises(PayloadTooLarge):
        import_outcomes(system, institution, path, "x.csv")


def test_too_many_rows_are_refused_and_nothing_is_kept(
    tmp_path, system, institution, people, settings
):
    settings.MAX_IMPORT_ROWS = 3
    path = write_csv(tmp_path / "x.csv", good_rows(people))
    with pytest.raises(PayloadTooLarge):
        import_outcomes(system, institution, path, "x.csv")
    assert Outcome.objects.count() == 0


def test_an_empty_file_is_refused(tmp_path, system, institution):
    path = write_csv(tmp_path / "x.csv", [])
    with pytest.raises(SpreadsheetRejected) as caught:
        import_outcomes(system, institution, path, "x.csv")
    assert caught.value.code == "spreadsheet.empty"


def test_an_officer_cannot_import_for_another_institution(
    tmp_path, officer_actor, other_institution, people
):
    path = write_csv(tmp_path / "x.csv", good_rows(people))
    with pytest.raises(PermissionDenied):
        import_outcomes(officer_actor, other_institution, path, "x.csv")


def test_the_import_is_audited_once_per_file(tmp_path, system, institution, people):
    from learncity.audit.models import AuditEntry

    import_outcomes(system, institution, write_csv(tmp_path / "x.csv", good_rows(people)), "x.csv")
    entry = AuditEntry.objects.get(action="outcome.import")
    assert entry.details["accepted"] == 5


def test_the_templates_download_and_import_as_they_are(client, tmp_path, system, institution):
    from learncity.identity.services import Registration, register_learner

    register_learner(
        system,
        Registration(
            name="张三",
            doc_type="cn_resident",
            id_number="11010519491231002X",
            district_code="310101",
            hukou="local",
        ),
    )
    paths = {}
    for fmt in ("csv", "xlsx"):
        response = client.get(f"/institution/template.{fmt}")
        assert response.status_code == 200
        paths[fmt] = tmp_path / f"template.{fmt}"
        paths[fmt].write_bytes(response.content)
    assert import_outcomes(system, institution, paths["csv"], "t.csv").batch.rows_accepted == 1
    # The .xlsx holds the same example row with the same reference: refused as a duplicate.
    with pytest.raises(SpreadsheetRejected) as caught:
        import_outcomes(system, institution, paths["xlsx"], "t.xlsx")
    assert caught.value.details["problems"][0]["code"] == "duplicate_reference"
