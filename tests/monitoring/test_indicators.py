"""Every administrative indicator on a snapshot small enough to check by hand (tiny.py)."""

import pytest

from learncity.monitoring import jobs

from .tiny import OUTCOMES, write_tiny


def _cells(result, year=2024):
    return {(c.indicator, c.dimension, c.group): c for c in result.cells if c.year == year}


@pytest.fixture
def tiny(tmp_path):
    return write_tiny(tmp_path / "tiny")


@pytest.fixture
def exact(tiny, zones):
    return _cells(jobs.run(tiny, 2024, zones, min_cell=0, back=1, with_survey=False))


def value(cells, code, dimension="total", group="total"):
    return cells[(code, dimension, group)].value


def test_participation_counts_current_recorded_outcomes_of_the_year(exact):
    # persons 1, 2 and 4 learned in 2024 (3's outcome waits for review), of 400 residents
    assert value(exact, "PART_ANY") == pytest.approx(0.75)
    assert value(exact, "PART_ANY", "district", "310101") == pytest.approx(1.0)
    assert value(exact, "PART_ANY", "district", "310112") == pytest.approx(0.5)
    assert value(exact, "PART_ANY", "zone", "central") == pytest.approx(1.0)
    assert value(exact, "PART_ANY", "hukou", "non_local") == pytest.approx(0.5)


def test_formal_non_formal_informal_and_online_follow_the_catalogue(exact):
    assert value(exact, "PART_FORMAL") == pytest.approx(0.5)  # course; course by xAPI
    assert value(exact, "PART_NONFORMAL") == pytest.approx(0.75)
    assert value(exact, "PART_INFORMAL") == 0  # the only informal outcome is not reviewed yet
    assert value(exact, "PART_ONLINE") == pytest.approx(0.5)  # online course; xAPI source


def test_older_adults_are_counted_against_older_residents_only(exact):
    assert value(exact, "PART_OLDER") == pytest.approx(1.0)  # 1 of 100 residents aged 60+
    assert exact[("PART_OLDER", "total", "total")].denominator == 100


def test_mean_hours_ignore_superseded_versions(exact):
    assert value(exact, "HOURS_MEAN") == pytest.approx((48 + 12 + 30 + 20 + 10) / 3)


def test_accounts_and_new_accounts_per_thousand(exact):
    assert value(exact, "ACCOUNTS_PER_1000") == pytest.approx(7.5)
    assert value(exact, "ACCOUNTS_NEW_PER_1000") == pytest.approx(5.0)


def test_the_year_before_is_computed_for_the_trend(tiny, zones):
    cells = _cells(jobs.run(tiny, 2024, zones, min_cell=0, back=1, with_survey=False), 2023)
    assert value(cells, "PART_ANY") == pytest.approx(0.25)
    assert value(cells, "ACCOUNTS_PER_1000") == pytest.approx(2.5)


def test_participation_by_outcome_category(exact):
    assert value(exact, "PART_ANY", "category", "academic") == pytest.approx(0.5)
    assert value(exact, "PART_ANY", "category", "culture_leisure") == pytest.approx(0.25)


def test_recognition_sites_and_courses(exact):
    assert value(exact, "REC_OUTCOMES") == 1
    assert value(exact, "REC_CREDITS") == pytest.approx(3.0)
    assert value(exact, "SITES_PER_10000", "district", "310101") == pytest.approx(100.0)
    assert value(exact, "COURSES_PER_10000", "district", "310101") == pytest.approx(150.0)


def test_credits_transferred_and_learners_with_a_transfer(tiny, zones):
    result = jobs.run(tiny, 2024, zones, min_cell=0, back=1, with_survey=False)
    cells, before = _cells(result), _cells(result, 2023)
    assert value(cells, "TRANSFER_CREDITS") == pytest.approx(6.5)  # 3 + 2 + 1.5
    assert value(cells, "TRANSFER_LEARNERS") == 2  # persons 1 and 4
    assert value(cells, "TRANSFER_CREDITS", "district", "310101") == pytest.approx(5.0)
    assert value(cells, "TRANSFER_LEARNERS", "zone", "suburb") == 1
    assert value(cells, "TRANSFER_LEARNERS", "age_band", "30-44") == 2
    assert value(before, "TRANSFER_CREDITS") == pytest.approx(4.0)  # posted 31 December


def test_transfer_cells_resting_on_few_learners_are_suppressed(tiny, zones):
    cells = _cells(jobs.run(tiny, 2024, zones, min_cell=3, back=0, with_survey=False))
    for code in ("TRANSFER_CREDITS", "TRANSFER_LEARNERS"):
        city = cells[(code, "total", "total")]
        assert city.flag == "suppressed" and city.value is None  # two learners only


def test_equity_gap_and_progress(exact):
    assert value(exact, "EQ_GINI") == pytest.approx(0.25 * 0.5 / 0.75)
    theil = [exact[("EQ_THEIL", "component", g)].value
             for g in ("total", "between_zone", "within_zone")]
    assert theil[0] == pytest.approx(theil[1] + theil[2])
    assert value(exact, "EQ_GAP") == pytest.approx(-0.5)
    assert value(exact, "TARGET_PROGRESS") == pytest.approx(0.75 / 50 * 100)


def test_small_cells_are_suppressed_and_flagged(tiny, zones):
    cells = _cells(jobs.run(tiny, 2024, zones, min_cell=3, back=0, with_survey=False))
    district = cells[("PART_ANY", "district", "310101")]
    assert district.flag == "suppressed" and district.value is None
    assert district.numerator is None and district.denominator is None
    # the city figure rests on 3 people: published
    assert cells[("PART_ANY", "total", "total")].flag == ""
    # both hukou cells rest on fewer than 3 people
    assert {cells[("PART_ANY", "hukou", g)].flag for g in ("local", "non_local")} == {
        "suppressed"}


def test_a_later_run_replaces_a_changed_outcome(tmp_path, zones):
    revoked = [o for o in OUTCOMES if o[0] == 21][0]
    changed = (*revoked[:5], "revoked", *revoked[6:])
    folder = write_tiny(tmp_path / "two-runs", extra_run=[changed])
    cells = _cells(jobs.run(folder, 2024, zones, min_cell=0, back=0, with_survey=False))
    assert value(cells, "PART_ANY") == pytest.approx(0.5)  # person 2's only outcome revoked


def test_results_carry_the_catalogue_version(tiny, zones):
    result = jobs.run(tiny, 2024, zones, back=0, with_survey=False)
    assert result.catalogue_version and result.meta()["engine"] == "duckdb"
    assert all(c.people is None for c in result.cells)  # never published
