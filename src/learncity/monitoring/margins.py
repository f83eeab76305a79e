"""Census margins and the resident counts of every district × sex × age band × hukou cell.

Pure: standard library only. Integer arithmetic throughout, so the counts are exact.

What the census gives (../shared/data): each district's residents, and for the city only the
shares by sex, broad age group and hukou. No official district-level split was published, so
we ASSUME every district has the city's structure (stated wherever the counts are used). The
cells are built in two steps of controlled rounding, each keeping both margins of a table:
1. the city's 24 sex × age band × hukou counts, whose one-way margins equal the census counts;
2. district × those 24 categories, keeping every district's total and every category's total.
So district totals are exact, and the city's sex, age and hukou counts are exact too.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from fractions import Fraction

SEXES = ("M", "F")
HUKOU = ("local", "non_local")


@dataclass(frozen=True)
class CityStructure:
    """City-level census structure, 1 November 2020 (7th census communiqué).

    Counts published as counts are used as they are (60+: 5,815,500; from other provinces:
    10,479,652); shares published as shares are applied to the total. The split of 15-59 into
    three bands is an ASSUMPTION (no published figure): 28% / 40% / 32%.
    """

    total: int = 24_870_895
    male_share: Fraction = Fraction(518, 1000)
    age_0_14_share: Fraction = Fraction(98, 1000)
    age_60_plus: int = 5_815_500
    age_65_plus_share: Fraction = Fraction(1628, 10000)
    split_15_59: tuple[tuple[str, int], ...] = (("15-29", 28), ("30-44", 40), ("45-59", 32))
    non_local: int = 10_479_652


AGE_BANDS = ("0-14", "15-29", "30-44", "45-59", "60-64", "65+")
CATEGORIES = tuple((s, a, h) for s in SEXES for a in AGE_BANDS for h in HUKOU)


def _round_half_up(value: Fraction) -> int:
    return int(value + Fraction(1, 2)) if value >= 0 else -int(-value + Fraction(1, 2))


def largest_remainder(total: int, weights: list[int] | list[Fraction]) -> list[int]:
    """Split `total` in proportion to weights into integers summing exactly to total."""
    whole = sum(weights)
    exact = [Fraction(total) * w / whole for w in weights]
    floors = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[: total - sum(floors)]:
        floors[i] += 1
    return floors


def controlled_round(exact: list[list[Fraction]], rows: list[int],
                     cols: list[int]) -> list[list[int]]:
    """Round a table of exact values to integers keeping the given row and column totals.

    Each cell becomes its floor or floor + 1 (a cell with no fraction stays as it is). Larger
    fractions are rounded up first; augmenting paths repair what the greedy pass leaves, which
    always succeeds when the totals are the exact table's own (the transportation polytope is
    integral).
    """
    n, m = len(rows), len(cols)
    table = [[int(x) for x in row] for row in exact]
    frac = [[exact[i][j] - table[i][j] for j in range(m)] for i in range(n)]
    need_r = [rows[i] - sum(table[i]) for i in range(n)]
    need_c = [cols[j] - sum(table[i][j] for i in range(n)) for j in range(m)]
    up = [[False] * m for _ in range(n)]
    cells = sorted(((frac[i][j], i, j) for i in range(n) for j in range(m) if frac[i][j] > 0),
                   key=lambda t: (-t[0], t[1], t[2]))
    for _f, i, j in cells:
        if need_r[i] > 0 and need_c[j] > 0:
            up[i][j] = True
            need_r[i] -= 1
            need_c[j] -= 1
    while any(need_r):
        start = next(i for i in range(n) if need_r[i] > 0)
        path = _augmenting_path(start, frac, up, need_c)
        if path is None:
            raise ValueError("totals are not those of the exact table")
        for step, (i, j) in enumerate(path):
            up[i][j] = step % 2 == 0  # row->col edges are added, col->row edges removed
        need_r[start] -= 1
        need_c[path[-1][1]] -= 1
    return [[table[i][j] + up[i][j] for j in range(m)] for i in range(n)]


def _augmenting_path(start, frac, up, need_c):
    """BFS from a row short of units to a column that still needs units."""
    n, m = len(frac), len(frac[0])
    parent_col: dict[int, int] = {}  # col -> row reached from
    parent_row: dict[int, int] = {start: -1}  # row -> col reached from
    queue = deque([start])
    while queue:
        i = queue.popleft()
        for j in range(m):
            if frac[i][j] > 0 and not up[i][j] and j not in parent_col:
                parent_col[j] = i
                if need_c[j] > 0:
                    edges, col = [], j
                    while True:
                        row = parent_col[col]
                        edges.append((row, col))
                        back = parent_row[row]
                        if back == -1:
                            return edges[::-1]
                        edges.append((row, back))
                        col = back
                for i2 in range(n):
                    if up[i2][j] and i2 not in parent_row:
                        parent_row[i2] = j
                        queue.append(i2)
    return None


def city_margins(s: CityStructure, total: int) -> dict[str, dict[str, int]]:
    """The city's one-way counts for `total` residents (the census scaled when smaller)."""
    scale = Fraction(total, s.total)
    male = _round_half_up(total * s.male_share)
    a014 = _round_half_up(total * s.age_0_14_share)
    a60 = _round_half_up(s.age_60_plus * scale)
    a65 = _round_half_up(total * s.age_65_plus_share)
    middle = largest_remainder(total - a014 - a60, [w for _b, w in s.split_15_59])
    ages = {"0-14": a014, **{b: c for (b, _w), c in zip(s.split_15_59, middle, strict=True)}}
    ages.update({"60-64": a60 - a65, "65+": a65})
    non_local = _round_half_up(s.non_local * scale)
    return {
        "sex": {"M": male, "F": total - male},
        "age_band": {b: ages[b] for b in AGE_BANDS},
        "hukou": {"local": total - non_local, "non_local": non_local},
    }


def city_cells(s: CityStructure, total: int) -> dict[tuple[str, str, str], int]:
    """Counts for the 24 sex × age band × hukou categories with exact one-way margins."""
    mg = city_margins(s, total)
    ages, hukou, sexes = mg["age_band"], mg["hukou"], mg["sex"]
    age_hukou = controlled_round(
        [[Fraction(ages[a] * hukou[h], total) for h in HUKOU] for a in AGE_BANDS],
        [ages[a] for a in AGE_BANDS],
        [hukou[h] for h in HUKOU],
    )
    pairs = [(a, h) for a in AGE_BANDS for h in HUKOU]
    ah = {p: age_hukou[AGE_BANDS.index(p[0])][HUKOU.index(p[1])] for p in pairs}
    by_sex = controlled_round(
        [[Fraction(ah[p] * sexes[x], total) for x in SEXES] for p in pairs],
        [ah[p] for p in pairs],
        [sexes[x] for x in SEXES],
    )
    return {
        (x, a, h): by_sex[pairs.index((a, h))][SEXES.index(x)]
        for x in SEXES
        for a in AGE_BANDS
        for h in HUKOU
    }


def district_totals(residents: list[int], total: int | None = None) -> list[int]:
    """District totals: the census figures, or scaled to `total` keeping their proportions."""
    if total is None or total == sum(residents):
        return list(residents)
    return largest_remainder(total, residents)


def population_cells(
    districts: list[tuple[str, int]], total: int | None = None, s: CityStructure | None = None
) -> list[tuple[str, str, str, str, int]]:
    """(district code, sex, age band, hukou, residents) for every cell, census-consistent."""
    s = s or CityStructure()
    totals = district_totals([r for _c, r in districts], total)
    grand = sum(totals)
    city = city_cells(s, grand)
    cols = [city[c] for c in CATEGORIES]
    table = controlled_round(
        [[Fraction(t * c, grand) for c in cols] for t in totals], totals, cols
    )
    return [
        (code, *CATEGORIES[j], table[i][j])
        for i, (code, _r) in enumerate(districts)
        for j in range(len(CATEGORIES))
    ]
