"""Small-cell protection for published cells. Pure.

Primary suppression: a cell resting on fewer than `threshold` people is withheld — for a rate
of residents, when the people counted, the residents, or the residents *not* counted are fewer
than the threshold (so that "all but two" is not published either); for a mean, when the people
it averages over are; for a survey estimate, when its respondents are.

Secondary suppression: in a set of cells that add up to a published total (district, zone,
sex, age band, hukou of one indicator and year), one withheld cell could be worked out from
the others; so when exactly one is withheld, the next-smallest is withheld too.

A withheld cell keeps its place, with value, numerator, denominator and error measures removed
and `flag` set to "suppressed" (the reason is in `SUPPRESSED_REASON`).
"""

from __future__ import annotations

from collections import defaultdict

from learncity.monitoring.compute import Cell

ADDITIVE = ("district", "zone", "sex", "age_band", "hukou")
SUPPRESSED = "suppressed"
HIDDEN = ("value", "numerator", "denominator", "se", "lci", "uci", "cv", "deff")


def _too_small(cell: Cell, threshold: int, rate_of_people: bool) -> bool:
    if cell.flag == SUPPRESSED:
        return True
    if cell.n is not None and cell.n < threshold:
        return True
    if cell.people is None:
        return cell.denominator is not None and cell.denominator < threshold
    if cell.people < threshold:
        return True
    if rate_of_people and cell.denominator is not None and cell.numerator is not None:
        return (cell.denominator < threshold
                or 0 < cell.denominator - cell.numerator < threshold)
    return False


def _withhold(cell: Cell) -> None:
    for name in HIDDEN:
        setattr(cell, name, None)
    cell.flag = SUPPRESSED


def protect(cells: list[Cell], threshold: int, rate_indicators: set[str]) -> list[Cell]:
    """Suppress small cells in place (primary, then secondary); return the cells."""
    if threshold <= 1:
        return cells
    for cell in cells:
        if cell.dimension != "component" and _too_small(
            cell, threshold, cell.indicator in rate_indicators
        ):
            _withhold(cell)
    sets: dict[tuple, list[Cell]] = defaultdict(list)
    for cell in cells:
        if cell.dimension in ADDITIVE:
            sets[(cell.indicator, cell.year, cell.dimension)].append(cell)
    for members in sets.values():
        withheld = [c for c in members if c.flag == SUPPRESSED]
        open_ = [c for c in members if c.flag != SUPPRESSED]
        if len(withheld) == 1 and open_:
            smallest = min(open_, key=lambda c: (c.people if c.people is not None else 0,
                                                 c.group))
            _withhold(smallest)
    return cells


def drop_people(cells: list[Cell]) -> None:
    """`people` is for this module only: it is never published."""
    for cell in cells:
        cell.people = None
