"""The census margins: district totals exact, the city's sex, age and hukou counts exact."""

from collections import Counter
from fractions import Fraction
from random import Random

from learncity.monitoring.margins import (
    CityStructure,
    controlled_round,
    largest_remainder,
    population_cells,
)

CENSUS_TOTAL = 24_870_895


def _margin(cells, index):
    out = Counter()
    for cell in cells:
        out[cell[index]] += cell[-1]
    return out


def test_the_full_city_matches_every_census_figure(districts):
    cells = population_cells([(c, r) for c, _z, r in districts])
    assert sum(c[-1] for c in cells) == CENSUS_TOTAL
    by_district = _margin(cells, 0)
    assert all(by_district[code] == residents for code, _z, residents in districts)
    zones = Counter()
    for _code, zone, residents in districts:
        zones[zone] += residents
    assert zones == {"central": 6_683_712, "pudong": 5_681_512, "suburb": 12_505_671}
    ages = _margin(cells, 2)
    assert ages["60-64"] + ages["65+"] == 5_815_500
    assert ages["65+"] == round(CENSUS_TOTAL * 0.1628)
    assert ages["0-14"] == round(CENSUS_TOTAL * 0.098)
    assert _margin(cells, 3)["non_local"] == 10_479_652
    assert _margin(cells, 1)["M"] == round(CENSUS_TOTAL * 0.518)


def test_each_district_has_the_city_structure_up_to_rounding(districts):
    cells = population_cells([(c, r) for c, _z, r in districts])
    for code, _zone, residents in districts:
        older = sum(c[-1] for c in cells if c[0] == code and c[2] in ("60-64", "65+"))
        assert abs(older / residents - 5_815_500 / CENSUS_TOTAL) < 1e-4


def test_a_smaller_population_keeps_exact_totals(districts):
    cells = population_cells([(c, r) for c, _z, r in districts], 10_000)
    assert sum(c[-1] for c in cells) == 10_000
    assert all(c[-1] >= 0 for c in cells)


def test_controlled_rounding_keeps_both_margins():
    rnd = Random(3)
    for _ in range(50):
        rows = [rnd.randrange(1, 500) for _ in range(rnd.randrange(2, 8))]
        col_weights = [rnd.randrange(1, 50) for _ in range(rnd.randrange(2, 9))]
        total = sum(rows)
        cols = largest_remainder(total, col_weights)
        exact = [[Fraction(r * c, total) for c in cols] for r in rows]
        table = controlled_round(exact, rows, cols)
        assert [sum(r) for r in table] == rows
        assert [sum(col) for col in zip(*table, strict=True)] == cols
        assert all(abs(table[i][j] - exact[i][j]) < 1 for i in range(len(rows))
                   for j in range(len(cols)))


def test_the_assumed_split_of_working_ages_is_stated():
    assert "ASSUMPTION" in CityStructure.__doc__
