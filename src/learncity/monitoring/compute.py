"""From the engines' aggregates to published indicator cells. Pure: standard library only.

The engines return integer sums per year and resident cell (district, sex, age band, hukou);
every rate, mean and total by district, zone, sex, age band, hukou or outcome category is a sum
of those cells divided by the census residents of the same cells. Equity indices, the zone gap
and progress to target are computed from the district and zone figures of the indicator they
name (`of`). Small cells are then suppressed (disclosure.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass

from learncity.monitoring import equity
from learncity.monitoring.catalogue import (
    DISTRICT_MEASURES,
    PEOPLE_MEASURE,
    Catalogue,
    Indicator,
    age_band,
)

CELL = ("district_code", "sex", "age_band", "hukou")
GROUP = ("district_code", "sex", "hukou", "birth_year")
TENTHS = ("hours", "credits", "transfer_credits")


@dataclass
class Cell:
    indicator: str
    year: int
    dimension: str
    group: str
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    people: int | None = None  # how many people the cell rests on (for disclosure control)
    flag: str = ""
    se: float | None = None
    lci: float | None = None
    uci: float | None = None
    cv: float | None = None
    n: int | None = None
    deff: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def facts_by_cell(rows: dict[str, list[dict]], cat: Catalogue,
                  years: tuple[int, ...]) -> dict[tuple, dict[str, int]]:
    """Merge the engines' rows into {(year, district, sex, age band, hukou): measures}: age
    bands from birth years, accounts added up to each year's end."""
    facts: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def key(year: int, r: dict) -> tuple:
        age = None if r["birth_year"] is None else year - int(r["birth_year"])
        return (year, r["district_code"], r["sex"], age_band(age, cat.age_bands), r["hukou"])

    names = [n for n in rows if n.startswith("participation")] + ["recognitions", "transfers"]
    for name in names:
        for r in rows.get(name, ()):
            into = facts[key(int(r["year"]), r)]
            for column, value in r.items():
                if column in ("year", *GROUP) or value is None:
                    continue
                measure = column[2:] if column.startswith("m_") else column
                into[measure.removesuffix("_tenths")] += int(value)
    for r in rows["accounts"]:
        for year in years:
            if int(r["opened"]) <= year:
                into = facts[key(year, r)]
                into["accounts"] += int(r["accounts"])
                if int(r["opened"]) == year:
                    into["new_accounts"] += int(r["accounts"])
    return facts


class Computer:
    def __init__(self, cat: Catalogue, rows: dict[str, list[dict]],
                 zones: dict[str, str], years: tuple[int, ...]):
        self.cat, self.zones, self.years = cat, zones, tuple(sorted(years))
        self.facts = facts_by_cell(rows, cat, self.years)
        self.population = {tuple(r[c] for c in CELL): int(r["residents"])
                           for r in rows["population"]}
        self.district: dict[tuple, dict[str, int]] = defaultdict(dict)
        for r in rows["sites"]:
            for y in self.years:
                self.district[(y, r["district_code"])]["sites"] = int(r["sites"])
        for r in rows["courses"]:
            self.district[(int(r["year"]), r["district_code"])]["courses"] = int(r["courses"])

    def group_of(self, dimension: str, cell: tuple) -> str | None:
        district, sex, band, hukou = cell
        if dimension == "total":
            return "total"
        if dimension == "zone":
            return self.zones.get(district)
        return {"district": district, "sex": sex, "age_band": band, "hukou": hukou}[dimension]

    def _in_universe(self, ind: Indicator, cell: tuple) -> bool:
        bands = ind.universe.get("age_bands")
        return not bands or cell[2] in bands

    def _sum(self, ind, year, dimension, measure) -> dict[str, float]:
        out: dict[str, float] = defaultdict(float)
        for key, values in self.facts.items():
            if key[0] == year and self._in_universe(ind, key[1:]):
                group = self.group_of(dimension, key[1:])
                if group is not None:
                    out[group] += values.get(measure, 0)
        return out

    def _residents(self, ind, dimension) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for cell, n in self.population.items():
            if self._in_universe(ind, cell):
                out[self.group_of(dimension, cell)] += n
        return out

    def _district_sum(self, year, dimension, measure) -> dict[str, float]:
        out: dict[str, float] = defaultdict(float)
        for (y, code), values in self.district.items():
            if y == year and code in self.zones:
                group = {"total": "total", "zone": self.zones[code], "district": code}[dimension]
                out[group] += values.get(measure, 0)
        return out

    def cells(self) -> list[Cell]:
        done: dict[str, list[Cell]] = {}
        for ind in self.cat.admin():
            method = getattr(self, f"_{ind.type}")
            done[ind.code] = [c for y in self.years for c in method(ind, y, done)]
        return [c for cells in done.values() for c in cells]

    def _dims(self, ind) -> list[str]:
        return ["total", *[d for d in ind.disaggregations if d != "category"]]

    def _rate(self, ind: Indicator, year: int, _done) -> list[Cell]:
        measure = ind.numerator["measure"]
        out = []
        for dim in self._dims(ind):
            den = self._residents(ind, dim)
            num = (self._district_sum(year, dim, measure) if measure in DISTRICT_MEASURES
                   else self._sum(ind, year, dim, measure))
            for group in sorted(den):
                n, d = num.get(group, 0), den[group]
                people = None if measure in DISTRICT_MEASURES else int(n)
                out.append(Cell(ind.code, year, dim, group, n / d * ind.scale if d else None,
                                n, d, people))
        if "category" in ind.disaggregations:
            d = self._residents(ind, "total")["total"]
            for c in self.cat.categories:
                n = self._sum(ind, year, "total", f"cat_{c}").get("total", 0)
                out.append(Cell(ind.code, year, "category", c, n / d * ind.scale, n, d, int(n)))
        return out

    def _mean(self, ind: Indicator, year: int, _done) -> list[Cell]:
        out = []
        for dim in self._dims(ind):
            num = self._sum(ind, year, dim, ind.numerator["measure"])
            den = self._sum(ind, year, dim, ind.denominator["measure"])
            groups = sorted(set(self._residents(ind, dim)) | ({"total"} if dim == "total"
                                                              else set()))
            for group in groups:
                n = num.get(group, 0) / (10 if ind.numerator["measure"] in TENTHS else 1)
                d = den.get(group, 0)
                out.append(Cell(ind.code, year, dim, group, n / d if d else None, n, d, int(d)))
        return out

    def _total(self, ind: Indicator, year: int, _done) -> list[Cell]:
        measure = ind.numerator["measure"]
        out = []
        for dim in self._dims(ind):
            num = self._sum(ind, year, dim, measure)
            people = self._sum(ind, year, dim, PEOPLE_MEASURE.get(measure, "recognised"))
            for group in sorted(set(self._residents(ind, dim))):
                n = num.get(group, 0) / (10 if measure in TENTHS else 1)
                out.append(Cell(ind.code, year, dim, group, n, n, None,
                                int(people.get(group, 0))))
        return out

    def _units(self, ind: Indicator, year: int, done) -> list[equity.Unit]:
        return [equity.Unit(c.group, self.zones[c.group], c.value, c.denominator)
                for c in done[ind.of]
                if c.year == year and c.dimension == "district" and c.value is not None]

    def _gini(self, ind, year, done) -> list[Cell]:
        return [Cell(ind.code, year, "total", "total", equity.gini(self._units(ind, year, done)))]

    def _theil(self, ind, year, done) -> list[Cell]:
        split = equity.theil_split(self._units(ind, year, done))
        return [Cell(ind.code, year, "component", part, getattr(split, attr))
                for part, attr in (("total", "total"), ("between_zone", "between"),
                                   ("within_zone", "within"))]

    def _gap(self, ind, year, done) -> list[Cell]:
        value = equity.gap(self._units(ind, year, done), ind.extra["minuend"],
                           ind.extra["subtrahend"])
        return [Cell(ind.code, year, "total", "total", value)]

    def _progress(self, ind, year, done) -> list[Cell]:
        base = self.cat.indicator(ind.of)
        city = next(c for c in done[ind.of]
                    if c.year == year and c.dimension == "total")
        target = base.target["value"]
        return [Cell(ind.code, year, "total", "total", city.value / target * 100,
                     city.value, target)]
