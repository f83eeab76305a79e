"""Supply of learning across the city's districts, the centre–suburb gap, and proposals. Pure.

Supply per district is counted three ways — courses open to its residents, seats in sessions
held there, learning sites there — and divided by its residents (per 10,000). A district is
under-served on a measure when it has less than UNDER_SERVED of the city-wide rate. Proposals
extend the courses most in demand (waiting lists, full sessions, good ratings) to under-served
districts where they are not held yet, preferring courses already proven in several places.
"""

from __future__ import annotations

from dataclasses import dataclass, field

UNDER_SERVED = 0.75
MEASURES = ("courses", "seats", "sites")


@dataclass(frozen=True)
class Supply:
    code: str
    zone: str
    residents: int
    courses: int = 0
    seats: int = 0
    sites: int = 0


def per_10k(value: int, residents: int) -> float:
    return round(value * 10_000 / residents, 2) if residents else 0.0


@dataclass(frozen=True)
class DistrictRow:
    supply: Supply
    rates: dict[str, float]
    relative: dict[str, float]  # rate / city rate
    under_served: tuple[str, ...]


@dataclass(frozen=True)
class ZoneRow:
    zone: str
    residents: int
    totals: dict[str, int]
    rates: dict[str, float]


@dataclass(frozen=True)
class Gap:
    measure: str
    centre: float
    suburbs: float
    ratio: float | None  # suburbs / centre; below 1 means the suburbs have less


@dataclass(frozen=True)
class Demand:
    course_id: int
    held_in: frozenset[str]
    waiting: int = 0
    fill_rate: float = 0.0  # seats taken / seats, over its sessions
    rating: float | None = None


@dataclass(frozen=True)
class Proposal:
    course_id: int
    district: str
    demand: float
    waiting: int
    held_in: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Analysis:
    districts: list[DistrictRow]
    zones: list[ZoneRow]
    gaps: list[Gap]
    city: dict[str, float]


def _zone_rows(supplies: list[Supply]) -> list[ZoneRow]:
    zones: dict[str, list[Supply]] = {}
    for s in supplies:
        zones.setdefault(s.zone, []).append(s)
    rows = []
    for zone, members in zones.items():
        residents = sum(m.residents for m in members)
        totals = {m: sum(getattr(s, m) for s in members) for m in MEASURES}
        rows.append(
            ZoneRow(zone, residents, totals, {m: per_10k(totals[m], residents) for m in MEASURES})
        )
    return sorted(rows, key=lambda z: z.zone)


def analyse(
    supplies: list[Supply], centre_zone: str = "central", suburb_zone: str = "suburb"
) -> Analysis:
    residents = sum(s.residents for s in supplies)
    city = {m: per_10k(sum(getattr(s, m) for s in supplies), residents) for m in MEASURES}
    rows = []
    for s in supplies:
        rates = {m: per_10k(getattr(s, m), s.residents) for m in MEASURES}
        relative = {m: round(rates[m] / city[m], 2) if city[m] else 0.0 for m in MEASURES}
        under = tuple(m for m in MEASURES if city[m] and relative[m] < UNDER_SERVED)
        rows.append(DistrictRow(s, rates, relative, under))
    zones = _zone_rows(supplies)
    by_zone = {z.zone: z for z in zones}
    gaps = []
    centre, suburbs = by_zone.get(centre_zone), by_zone.get(suburb_zone)
    if centre and suburbs:
        for m in MEASURES:
            c, s = centre.rates[m], suburbs.rates[m]
            gaps.append(Gap(m, c, s, round(s / c, 2) if c else None))
    return Analysis(rows, zones, gaps, city)


def demand_score(d: Demand) -> float:
    rating = (d.rating - 3) / 2 if d.rating is not None else 0.0
    return round(
        min(d.waiting, 50) / 10 + d.fill_rate * 2 + rating + min(len(d.held_in), 5) * 0.2, 3
    )


def propose(analysis: Analysis, demand: list[Demand], per_district: int = 3) -> list[Proposal]:
    """For each district under-served on seats or courses, the courses most worth extending."""
    ranked = sorted((d for d in demand if d.held_in), key=lambda d: (-demand_score(d), d.course_id))
    proposals = []
    targets = [r for r in analysis.districts if {"seats", "courses"} & set(r.under_served)]
    targets.sort(key=lambda r: (r.relative["seats"], r.supply.code))
    for row in targets:
        chosen = [d for d in ranked if row.supply.code not in d.held_in and demand_score(d) > 0]
        for d in chosen[:per_district]:
            proposals.append(
                Proposal(
                    d.course_id,
                    row.supply.code,
                    demand_score(d),
                    d.waiting,
                    tuple(sorted(d.held_in)),
                )
            )
    return proposals
