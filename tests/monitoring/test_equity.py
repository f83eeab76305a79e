"""Gini and Theil on known values; the Theil split adds up exactly."""

import math

import pytest

from learncity.monitoring.equity import Unit, gap, gini, theil, theil_split


def test_equal_rates_are_perfectly_balanced():
    units = [Unit("a", "x", 40.0, 100), Unit("b", "y", 40.0, 300)]
    assert gini(units) == 0 and theil(units) == 0


def test_gini_of_two_equal_groups():
    # shares 1/2, rates 20 and 60: mean 40, G = (2 * 1/4 * 40) / (2 * 40) = 0.25
    units = [Unit("a", "x", 20.0, 50), Unit("b", "y", 60.0, 50)]
    assert gini(units) == pytest.approx(0.25)


def test_gini_is_population_weighted():
    small_outlier = [Unit("a", "x", 10.0, 1), Unit("b", "x", 50.0, 99)]
    big_outlier = [Unit("a", "x", 10.0, 50), Unit("b", "x", 50.0, 50)]
    assert gini(small_outlier) < gini(big_outlier)


def test_theil_of_two_groups_by_hand():
    units = [Unit("a", "x", 20.0, 50), Unit("b", "y", 60.0, 50)]
    expected = 0.5 * 0.5 * math.log(0.5) + 0.5 * 1.5 * math.log(1.5)
    assert theil(units) == pytest.approx(expected)


def test_theil_splits_exactly_into_between_and_within_zones():
    units = [Unit("a", "central", 55.0, 600), Unit("b", "central", 48.0, 1100),
             Unit("c", "pudong", 47.0, 5600), Unit("d", "suburb", 38.0, 2600),
             Unit("e", "suburb", 0.0, 50), Unit("f", "suburb", 41.0, 1900)]
    split = theil_split(units)
    assert split.total == pytest.approx(theil(units))
    assert split.between + split.within == pytest.approx(split.total)
    assert split.between > 0 and split.within > 0


def test_gap_is_suburb_minus_centre_in_points():
    units = [Unit("a", "central", 50.0, 100), Unit("b", "suburb", 40.0, 300)]
    assert gap(units, "suburb", "central") == pytest.approx(-10.0)
