"""Posted credit transfers reach the snapshot pseudonymised, and the indicators count them."""

import pyarrow.parquet as pq
import pytest
from django.utils import timezone

from learncity.monitoring import jobs
from learncity.monitoring.snapshot import Pseudonyms, export
from learncity.monitoring.snapshot_files import files
from learncity.transfer.models import GrantedCourse
from learncity.transfer.services.applications import start_application, submit
from learncity.transfer.services.posting import post_application
from learncity.transfer.services.review import decide_item, finish_review, start_review

from ..transfer.conftest import (  # noqa: F401  (fixtures: a programme, a standard, an archive)
    archive,
    college,
    deposit,
    learner_actor,
    programme,
    standard,
)


@pytest.fixture
def posted(archive, learner_actor, officer_actor):  # noqa: F811  (imported fixtures)
    """The learner's application to SOU-PA-AD, every course approved and posted (9 credits)."""
    app = start_application(learner_actor, "SOU-PA-AD")
    app = submit(learner_actor, app.pk, consent=True)
    start_review(officer_actor, app.pk)
    for item in app.items.all():
        decide_item(officer_actor, item.pk, approve=True, reason="checked")
    finish_review(officer_actor, app.pk)
    return post_application(officer_actor, app.pk)


def _rows(folder, name):
    return pq.read_table(files(folder, name)).to_pylist()


def test_a_posted_transfer_is_in_the_snapshot_without_personal_data(posted, learner, tmp_path):
    export(tmp_path / "snap")
    rows = _rows(tmp_path / "snap", "transfers")
    assert sorted(r["credits_tenths"] for r in rows) == [20, 30, 40]  # electives, PA101, PA102
    assert {r["person_key"] for r in rows} == {Pseudonyms()("learner", learner.pk)}
    assert {r["person_key"] for r in _rows(tmp_path / "snap", "persons")} >= {rows[0]["person_key"]}
    assert {(r["institution_kind"], r["institution_district"]) for r in rows} == {
        ("open_university", "310106")
    }
    assert {r["posted_on"] for r in rows} == {timezone.localdate()}
    assert {r["district_code"] for r in rows} == {learner.district_code}
    assert all(r["source_category"] for r in rows)
    everything = " ".join(str(v) for r in rows for v in r.values())
    for secret in (learner.name, learner.learner_no, learner.id_masked, "PA101", "SOU-PA-AD"):
        assert secret not in everything
    granted = set(GrantedCourse.objects.values_list("pk", flat=True))
    assert not {r["transfer_key"] for r in rows} & granted  # keyed, not the database's ids
    assert learner.pk not in {r["person_key"] for r in rows}


def test_the_indicators_count_the_credits_transferred(posted, tmp_path, zones):
    folder = tmp_path / "snap"
    export(folder)
    assert export(folder)["rows"].get("transfers", 0) == 0  # nothing new: nothing added
    year = timezone.localdate().year
    exact = jobs.run(folder, year, zones, min_cell=0, back=0, with_survey=False)
    city = {
        c.indicator: c.value
        for c in exact.cells
        if c.dimension == "total" and c.indicator.startswith("TRANSFER")
    }
    assert city == {"TRANSFER_CREDITS": pytest.approx(9.0), "TRANSFER_LEARNERS": 1}
    published = jobs.run(folder, year, zones, back=0, with_survey=False)
    transfer_cells = [c for c in published.cells if c.indicator.startswith("TRANSFER")]
    assert transfer_cells  # every cell rests on one learner: below the minimum of 10
    assert all(c.flag == "suppressed" and c.value is None for c in transfer_cells)


def test_a_learner_who_moves_takes_their_transfers_along(posted, learner, system, tmp_path, zones):
    from learncity.audit.services import record

    folder = tmp_path / "snap"
    export(folder)
    learner.district_code = "310151"
    learner.save(update_fields=["district_code"])
    record(system, "admin.learner.change", learner, changed=["district_code"])
    assert export(folder)["rows"]["transfers"] == 3
    result = jobs.run(
        folder, timezone.localdate().year, zones, min_cell=0, back=0, with_survey=False
    )
    by_district = {
        c.group: c.value
        for c in result.cells
        if c.indicator == "TRANSFER_CREDITS" and c.dimension == "district"
    }
    assert by_district["310151"] == pytest.approx(9.0)
    assert sum(v for v in by_district.values()) == pytest.approx(9.0)  # and nowhere else
