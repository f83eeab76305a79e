"""Big files are read and checked in a second process while the first one writes: the same
outcomes, reports and refusals as reading in one process, and nothing written when the reading
process fails."""

import os
import signal

import pytest
from django.utils import translation

from learncity.errors import PayloadTooLarge, SpreadsheetRejected
from learncity.records import importer, reader_process
from learncity.records.importer import import_outcomes
from learncity.records.models import ImportBatch, Outcome

from .conftest import rejected_lines
from .test_import import HEADER, good_rows, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def read_apart(monkeypatch):
    """Every file is read apart, and the test fails if the second process was not used."""
    monkeypatch.setattr(importer, "READ_APART_BYTES", 0)
    monkeypatch.setattr(importer, "CHUNK", 3)  # several chunks travel between the processes
    used = {"forks": 0}
    real = reader_process.items_from_child

    def counting(make_items):
        used["forks"] += 1
        return real(make_items)

    monkeypatch.setattr(importer, "items_from_child", counting)
    # Even if an earlier test left a thread running (can_fork would then refuse): the reading
    # process takes no lock those threads could hold.
    monkeypatch.setattr(importer, "can_fork", lambda: True)
    yield used
    assert used["forks"] >= 1


def copies(people, n):
    """The five good rows n times over, each row its own list."""
    return [list(r) for _ in range(n) for r in good_rows(people)]


def stored(batch):
    return sorted(
        Outcome.objects.filter(batch=batch).values_list(
            "learner_id", "kind", "title", "hours", "result", "completed_on", "idempotency_key"
        )
    )


def test_read_apart_stores_what_reading_in_one_process_stores(
    tmp_path, system, institution, people, read_apart, monkeypatch
):
    from django.db import connection

    def page_cache():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return cursor.fetchone()[0]

    sqlite = connection.vendor == "sqlite"
    before = page_cache() if sqlite else None
    rows = copies(people, 2)
    for i, r in enumerate(rows):
        r[HEADER.index("机构编号 reference")] = f"R{i}"
    apart = import_outcomes(system, institution, write_csv(tmp_path / "a.csv", rows), "a.csv")
    assert apart.batch.rows_accepted == 10 and Outcome.objects.count() == 10
    assert not sqlite or page_cache() == before  # the import's larger cache is given back
    monkeypatch.setattr(importer, "READ_APART_BYTES", 1 << 40)  # now in this process
    for i, r in enumerate(rows):
        r[HEADER.index("机构编号 reference")] = f"S{i}"
    together = import_outcomes(system, institution, write_csv(tmp_path / "b.csv", rows), "b.csv")
    renamed = [(*o[:-1], o[-1].replace("ref:S", "ref:R")) for o in stored(together.batch)]
    assert renamed == stored(apart.batch)


def test_read_apart_refuses_bad_rows_with_the_same_report(
    tmp_path, system, institution, people, read_apart
):
    rows = copies(people, 2)
    rows[1][HEADER.index("学时 hours")] = "-3"
    rows[7][HEADER.index("证件号码 id_number")] = "110105194912310021"
    rows[8][HEADER.index("姓名 name")] = "冒名"
    with pytest.raises(SpreadsheetRejected) as caught:
        import_outcomes(system, institution, write_csv(tmp_path / "x.csv", rows), "x.csv")
    report = caught.value.details["problems"]
    assert [(p["row"], p["column"]) for p in report] == [
        (3, "hours"),
        (9, "id_number"),
        (10, "name"),
    ]
    assert Outcome.objects.count() == 0
    assert ImportBatch.objects.get().status == "refused"


def test_read_apart_writes_the_rejected_rows_back(
    tmp_path, system, institution, people, read_apart, settings
):
    rows = copies(people, 2)
    rows[6][HEADER.index("姓名 name")] = "冒名"
    path = write_csv(tmp_path / "x.csv", rows)
    result = import_outcomes(system, institution, path, "x.csv", accept_valid=True)
    assert (result.batch.rows_accepted, result.batch.rows_rejected) == (9, 1)
    lines = rejected_lines(settings, result.batch)
    assert len(lines) == 2 and lines[1][0] == "8" and "冒名" in lines[1]


def test_errors_found_by_the_reading_process_reach_the_user(
    tmp_path, system, institution, people, read_apart, settings
):
    path = write_csv(tmp_path / "x.csv", copies(people, 3), encoding="utf-16")
    with pytest.raises(SpreadsheetRejected) as caught:  # found when the child opens the file
        import_outcomes(system, institution, path, "x.csv")
    assert caught.value.code == "spreadsheet.encoding"
    settings.MAX_IMPORT_ROWS = 10
    path = write_csv(tmp_path / "y.csv", copies(people, 3))
    with pytest.raises(PayloadTooLarge):  # found by the child after three chunks
        import_outcomes(system, institution, path, "y.csv")
    assert Outcome.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_a_reading_process_that_dies_leaves_nothing_half_written(
    tmp_path, system, institution, people, read_apart, monkeypatch
):
    real = importer.prepared_chunks

    def dying(rows, source, maker):
        for n, chunk in enumerate(real(rows, source, maker)):
            if n == 2:  # two chunks are inserted by now
                os.kill(os.getpid(), signal.SIGKILL)
            yield chunk

    monkeypatch.setattr(importer, "prepared_chunks", dying)
    path = write_csv(tmp_path / "x.csv", copies(people, 3))
    with pytest.raises(reader_process.ReaderFailed) as caught:
        import_outcomes(system, institution, path, "x.csv")
    assert caught.value.code == "spreadsheet.reader_failed"
    with translation.override("en"):
        assert "nothing was imported" in str(caught.value.message)
    with translation.override("zh-hans"):
        assert "未导入任何数据" in str(caught.value.message)
    assert Outcome.objects.count() == 0 and ImportBatch.objects.count() == 0
