"""`learncity snapshot`: pseudonymised, incremental, and what the indicators read."""

import pyarrow.parquet as pq
import pytest

from learncity.monitoring import jobs
from learncity.monitoring.snapshot import export
from learncity.monitoring.snapshot_files import files, read_manifest
from learncity.records.services import correct_outcome, deposit_outcomes

from ..conftest import outcome_values, valid_id


@pytest.fixture
def archive(db, system, institution, make_learner):
    """Three learners; two have outcomes completed in 2024, one in 2023."""
    people = [make_learner(name=name, id_number=valid_id(seq=300 + 2 * i), district=district)
              for i, (name, district) in enumerate([("欧阳娜娜", "310104"), ("司马相如", "310104"),
                                                     ("诸葛孔明", "310112")])]
    items = [outcome_values(valid_id(seq=300), "欧阳娜娜", completed_on="2024-03-01",
                            started_on="2024-01-01"),
             outcome_values(valid_id(seq=302), "司马相如", completed_on="2024-05-01",
                            started_on="2024-01-01", hours="10"),
             outcome_values(valid_id(seq=304), "诸葛孔明", completed_on="2023-05-01",
                            started_on="2023-01-01")]
    outcomes = deposit_outcomes(system, institution, items, source="api")
    return people, outcomes


def _all_values(folder) -> str:
    text = []
    for path in files(folder, "persons") + files(folder, "outcomes"):
        for column in pq.read_table(path).to_pylist():
            text += [str(v) for v in column.values()]
    return " ".join(text)


def test_the_snapshot_holds_no_names_or_numbers(archive, tmp_path):
    people, _outcomes = archive
    export(tmp_path / "snap")
    everything = _all_values(tmp_path / "snap")
    for person in people:
        assert person.name not in everything
        assert person.learner_no not in everything
        assert person.id_masked not in everything
    persons = pq.read_table(files(tmp_path / "snap", "persons")).to_pylist()
    assert {p["birth_year"] for p in persons} == {1980}  # the year only
    assert len(persons) == 3


def test_pseudonyms_are_stable_between_runs(archive, tmp_path):
    export(tmp_path / "a", full=True)
    export(tmp_path / "b", full=True)
    a = pq.read_table(files(tmp_path / "a", "persons")).column("person_key").to_pylist()
    b = pq.read_table(files(tmp_path / "b", "persons")).column("person_key").to_pylist()
    assert sorted(a) == sorted(b)


def test_a_second_run_adds_only_what_changed(archive, tmp_path, system, zones):
    _people, outcomes = archive
    folder = tmp_path / "snap"
    first = export(folder)
    second = export(folder)
    assert first["rows"]["outcomes"] == 3
    assert second["rows"].get("outcomes", 0) == 0 and second["rows"].get("persons", 0) == 0
    correct_outcome(system, outcomes[1].pk, {"hours": "30"}, reason="hours were mistyped")
    third = export(folder)
    assert third["rows"]["outcomes"] == 2  # the new version and the superseded one
    assert read_manifest(folder)["updates"] is True
    result = jobs.run(folder, 2024, zones, min_cell=0, back=1, with_survey=False)
    cells = {(c.indicator, c.year, c.dimension): c for c in result.cells if c.group == "total"}
    assert cells[("PART_ANY", 2024, "total")].numerator == 2
    assert cells[("PART_ANY", 2023, "total")].numerator == 1
    assert cells[("HOURS_MEAN", 2024, "total")].value == pytest.approx((48 + 30) / 2)


def test_denominators_are_the_census(archive, tmp_path, zones):
    export(tmp_path / "snap")
    result = jobs.run(tmp_path / "snap", 2024, zones, back=0, with_survey=False)
    city = next(c for c in result.cells if c.indicator == "ACCOUNTS_PER_1000"
                and c.dimension == "total")
    assert city.flag == "suppressed"  # three accounts: fewer than the minimum
    part = next(c for c in result.cells if c.indicator == "PART_ANY" and c.dimension == "zone"
                and c.group == "central")
    assert part.flag == "suppressed"


def test_a_learner_who_moves_is_counted_in_the_new_district(archive, tmp_path, system, zones):
    from learncity.audit.services import record

    people, _outcomes = archive
    folder = tmp_path / "snap"
    export(folder)
    mover = people[0]
    mover.district_code = "310151"
    mover.save(update_fields=["district_code"])
    record(system, "admin.learner.change", mover, changed=["district_code"])  # as the admin does
    export(folder)
    result = jobs.run(folder, 2024, zones, min_cell=0, back=0, with_survey=False)
    by_district = {c.group: c.numerator for c in result.cells
                   if c.indicator == "PART_ANY" and c.dimension == "district"}
    assert by_district["310151"] == 1 and by_district["310104"] == 1
