"""The synthetic population and its learning activity, generated in chunks. Pure: numpy only.

Residents are made cell by cell from `margins.population_cells` (district totals exact; the
city's sex, age and hukou structure assumed in every district), so any margin can be checked
against the census. Each resident has a learning propensity; in each year they take part with
a probability that depends on age, zone, hukou and sex (a logistic model, `Model`), and take
part again more often than not (a person effect and a neighbourhood effect). Participants get
1 + Poisson outcomes whose kinds, hours and sources depend on age; a share of the recorded
outcomes is recognised by the credit bank, and a share of those is then transferred into a
programme (a course of a few credits). Everything is drawn from
`numpy.random.default_rng([seed, district, chunk])` (transfers from `[seed, district, chunk, 1]`),
so a run is reproducible and a chunk's draws do not depend on the chunk before it. Memory is
bounded by the chunk size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from learncity.monitoring.margins import AGE_BANDS, HUKOU, SEXES
from learncity.monitoring.snapshot_files import Codes
from learncity.records.kinds import OUTCOME_KINDS

KINDS = tuple(OUTCOME_KINDS)
CATEGORIES = tuple(dict.fromkeys(OUTCOME_KINDS[k][2] for k in KINDS))
CATEGORY_OF_KIND = np.array([CATEGORIES.index(OUTCOME_KINDS[k][2]) for k in KINDS])
SOURCES = ("upload", "api", "self", "xapi")
STATUSES = ("recorded", "pending_review", "revoked", "superseded")
EPOCH = date(1970, 1, 1)
BAND_RANGES = ((0, 14), (15, 29), (30, 44), (45, 59), (60, 64), (65, 100))
# kind weights for the life stages 0-14, 15-29, 30-44, 45-59, 60+ (order of KINDS)
KIND_WEIGHTS = {
    "course": (0, 30, 12, 6, 8),
    "degree": (0, 5, 2, 0.5, 0.2),
    "vocational_certificate": (0, 4, 6, 4, 0.3),
    "skill_certificate": (0, 8, 10, 8, 1),
    "training": (0, 15, 30, 30, 10),
    "online_course": (10, 20, 20, 15, 12),
    "culture_leisure": (50, 5, 10, 22, 53),
    "work_experience": (0, 3, 5, 7, 0.5),
    "social_practice": (30, 7, 4, 6, 14),
    "competition_award": (10, 3, 1, 1.5, 1),
}
MEAN_HOURS = {
    "course": 48, "degree": 320, "vocational_certificate": 80, "skill_certificate": 60,
    "training": 24, "online_course": 12, "culture_leisure": 32, "work_experience": 160,
    "social_practice": 16, "competition_award": 8,
}
SELF_KINDS = ("work_experience", "social_practice", "online_course", "culture_leisure")
CERT_KINDS = ("degree", "vocational_certificate", "skill_certificate")
RECOGNISABLE = ("course", "degree", "vocational_certificate", "skill_certificate", "training")
# the kinds of institution whose programmes take credits by transfer, and how often
TRANSFER_INSTITUTIONS = ("open_university", "adult_college", "vocational_college", "university")
TRANSFER_INSTITUTION_CUM = np.cumsum((0.5, 0.2, 0.2, 0.1))


@dataclass(frozen=True)
class Model:
    """The participation model (logit scale). Calibrated to about 45% city-wide."""

    intercept: float = -0.02
    age: tuple[float, ...] = (-1.6, 0.55, 0.25, -0.35, 0.1, -0.55)  # per AGE_BANDS
    zone: dict = field(default_factory=lambda: {"central": 0.35, "pudong": 0.1, "suburb": -0.3})
    hukou: tuple[float, float] = (0.2, -0.35)  # local, non_local
    sex: tuple[float, float] = (0.0, 0.12)  # M, F
    person_sd: float = 1.2
    cluster_sd: float = 0.3
    extra_outcomes: float = 1.0  # mean of the Poisson number of outcomes after the first
    account_without_learning: float = 0.1
    recognised_share: float = 0.05
    transferred_share: float = 0.1  # of recognised outcomes, later transferred into a programme


def _stage(age: np.ndarray) -> np.ndarray:
    return np.digitize(age, [15, 30, 45, 60])


def _band(age: np.ndarray) -> np.ndarray:
    return np.digitize(age, [15, 30, 45, 60, 65])


def _days(d: date) -> int:
    return (d - EPOCH).days


@dataclass
class Persons:
    key: np.ndarray
    sex: np.ndarray  # index into SEXES
    band: np.ndarray  # index into AGE_BANDS (census band)
    hukou: np.ndarray  # index into HUKOU
    age: np.ndarray  # age reached in the reference year
    psu: np.ndarray
    effect: np.ndarray  # person + neighbourhood effect on the logit


def make_persons(rng, counts: np.ndarray, start: int, stop: int, first_key: int,
                 cluster_effects: np.ndarray) -> Persons:
    """Persons start..stop-1 of a district whose 24 cells hold `counts` (margins.CATEGORIES)."""
    cell = np.searchsorted(np.cumsum(counts), np.arange(start, stop), side="right")
    sex, band, hukou = cell // 12, (cell // 2) % 6, cell % 2
    lo = np.array([r[0] for r in BAND_RANGES])[band]
    hi = np.array([r[1] for r in BAND_RANGES])[band]
    age = lo + (rng.random(cell.size) * (hi - lo + 1)).astype(np.int64)
    old = band == 5
    age[old] = np.minimum(65 + rng.geometric(0.085, old.sum()) - 1, 100)
    psu = rng.integers(0, cluster_effects.size, cell.size)
    effect = rng.normal(0.0, 1.0, cell.size) + cluster_effects[psu]
    keys = np.arange(first_key + start, first_key + stop, dtype=np.int64)
    return Persons(keys, sex, band, hukou, age, psu, effect)


def participation(rng, p: Persons, zone: str, age_shift: int, m: Model) -> np.ndarray:
    """Who takes part in a year whose ages are `age_shift` years below the reference year."""
    band = _band(np.maximum(p.age - age_shift, 0))
    logit = (m.intercept + np.array(m.age)[band] + m.zone[zone] + np.array(m.hukou)[p.hukou]
             + np.array(m.sex)[p.sex] + m.person_sd * p.effect)
    return rng.random(p.key.size) < 1.0 / (1.0 + np.exp(-logit))


def _kind_table() -> np.ndarray:
    w = np.array([KIND_WEIGHTS[k] for k in KINDS], dtype=float).T  # stages × kinds
    return np.cumsum(w / w.sum(axis=1, keepdims=True), axis=1)


KIND_CUM = _kind_table()


def outcomes_for_year(rng, p: Persons, took_part: np.ndarray, year: int, age_shift: int,
                      sites: tuple[int, int], m: Model, first_key: int) -> dict[str, np.ndarray]:
    """The outcome rows of one year for the participants of a chunk."""
    who = np.flatnonzero(took_part)
    n_rows = 1 + rng.poisson(m.extra_outcomes, who.size)
    row_person = np.repeat(who, n_rows)
    n = row_person.size
    stage = _stage(np.maximum(p.age[row_person] - age_shift, 0))
    kind = (rng.random(n)[:, None] > KIND_CUM[stage]).sum(axis=1)
    kind = np.minimum(kind, len(KINDS) - 1)
    mean = np.array([MEAN_HOURS[k] for k in KINDS], dtype=float)[kind]
    hours = mean * np.exp(rng.normal(-0.125, 0.5, n))
    start = _days(date(year, 1, 1))
    completed = start + rng.integers(0, _days(date(year + 1, 1, 1)) - start, n)
    is_self = np.isin(kind, [KINDS.index(k) for k in SELF_KINDS]) & (rng.random(n) < 0.3)
    online = kind == KINDS.index("online_course")
    source = np.where(is_self, 2, np.where(rng.random(n) < 0.5, 0, 1))
    source = np.where(online & ~is_self & (rng.random(n) < 0.6), 3, source)
    status = np.zeros(n, dtype=np.int8)
    status[is_self & (rng.random(n) < 0.1)] = 1
    status[rng.random(n) < 0.003] = 2
    institution = np.where(is_self, -1, sites[0] + rng.integers(0, sites[1], n))
    return {
        "outcome_key": np.arange(first_key, first_key + n, dtype=np.int64),
        "person_key": p.key[row_person],
        "institution_id": institution.astype(np.int64),
        "kind": kind,
        "category": CATEGORY_OF_KIND[kind],
        "source": source,
        "status": status,
        "is_current": np.ones(n, dtype=bool),
        "hours_tenths": np.rint(hours * 10).astype(np.int32),
        "credits_tenths": np.rint(hours / 1.6).astype(np.int32),
        "completed_on": completed.astype(np.int32),
    }


def with_superseded(rng, rows: dict[str, np.ndarray], first_key: int) -> dict[str, np.ndarray]:
    """Add an older, superseded version for 0.5% of rows (corrections leave history)."""
    pick = np.flatnonzero(rng.random(rows["outcome_key"].size) < 0.005)
    old = {k: v[pick] for k, v in rows.items()}
    old["outcome_key"] = np.arange(first_key, first_key + pick.size, dtype=np.int64)
    old["status"] = np.full(pick.size, STATUSES.index("superseded"), dtype=np.int8)
    old["is_current"] = np.zeros(pick.size, dtype=bool)
    return {k: np.concatenate([rows[k], old[k]]) for k in rows}


def as_columns(rows: dict[str, np.ndarray], p: Persons, code: str, ref_year: int) -> dict:
    """Outcome rows (codes) as snapshot columns (strings), with their learner's attributes."""
    labels = {"kind": KINDS, "category": CATEGORIES, "source": SOURCES, "status": STATUSES}
    columns = {k: Codes(v, labels[k]) if k in labels else v for k, v in rows.items()}
    return columns | person_columns(rows["person_key"], p, code, ref_year)


def person_columns(keys: np.ndarray, p: Persons, code: str, ref_year: int) -> dict:
    """The learner's district, sex, hukou and birth year for rows keyed by person_key."""
    who = np.searchsorted(p.key, keys)
    return {
        "district_code": Codes(np.zeros(who.size, dtype=np.int8), (code,)),
        "sex": Codes(p.sex[who], SEXES), "hukou": Codes(p.hukou[who], HUKOU),
        "birth_year": (ref_year - p.age[who]).astype(np.int16),
    }


def recognitions(rng, rows: dict[str, np.ndarray], m: Model) -> dict[str, np.ndarray]:
    """Some recorded, recognisable outcomes are recognised 30-180 days after completion."""
    ok = (rows["status"] == 0) & np.isin(rows["kind"], [KINDS.index(k) for k in RECOGNISABLE])
    pick = np.flatnonzero(ok & (rng.random(ok.size) < m.recognised_share))
    credits = np.maximum(np.rint(rows["hours_tenths"][pick] / 80.0) * 5, 5)  # half credits
    return {
        "outcome_key": rows["outcome_key"][pick],
        "person_key": rows["person_key"][pick],
        "status": Codes(np.zeros(pick.size, dtype=np.int8), ("recognised",)),
        "category": Codes(rows["category"][pick], CATEGORIES),
        "credits_tenths": credits.astype(np.int32),
        "decided_on": (rows["completed_on"][pick] + rng.integers(30, 181, pick.size)).astype(
            np.int32
        ),
    }


def transfers(rng, recognised: dict, m: Model, first_key: int, districts: tuple[str, ...],
              home: int) -> dict:
    """Some recognised outcomes are transferred into a programme 14-120 days after the
    decision: one course of 1-4 credits (at most the credits recognised), at an institution
    of the learner's district half of the time, of any district otherwise."""
    n = recognised["outcome_key"].size
    pick = np.flatnonzero(rng.random(n) < m.transferred_share)
    k = pick.size
    course = rng.integers(2, 9, k) * 5  # 1 to 4 credits by halves, in tenths
    kind = np.searchsorted(TRANSFER_INSTITUTION_CUM, rng.random(k) * TRANSFER_INSTITUTION_CUM[-1],
                           side="right")
    where = np.where(rng.random(k) < 0.5, home, rng.integers(0, len(districts), k))
    return {
        "transfer_key": np.arange(first_key, first_key + k, dtype=np.int64),
        "person_key": recognised["person_key"][pick],
        "posted_on": (recognised["decided_on"][pick] + rng.integers(14, 121, k)).astype(np.int32),
        "credits_tenths": np.minimum(course, recognised["credits_tenths"][pick]).astype(np.int32),
        "institution_kind": Codes(kind, TRANSFER_INSTITUTIONS),
        "institution_district": Codes(where, districts),
        "source_category": Codes(recognised["category"].codes[pick], CATEGORIES),
    }


def accounts(rng, first_year: np.ndarray, years: tuple[int, ...], m: Model) -> np.ndarray:
    """Account opening day (days since 1970; -1 for none). Residents who already learn in the
    first year generated opened theirs at some time since the bank opened (mid-2012); those
    who first learn later open one during that year; some open one without learning (yet)."""
    lo = _days(date(2012, 6, 1))
    jan1 = np.array([_days(date(y, 1, 1)) for y in range(years[0], years[-1] + 2)])
    opened = np.full(first_year.size, -1, dtype=np.int64)
    early = first_year == years[0]
    opened[early] = rng.integers(lo, jan1[1], early.sum())
    later = first_year > years[0]
    start = jan1[first_year[later] - years[0]]
    opened[later] = start + rng.integers(0, 365, later.sum())
    other = (first_year == 0) & (rng.random(first_year.size) < m.account_without_learning)
    opened[other] = rng.integers(lo, jan1[-1], other.sum())
    return opened


def person_rows(p: Persons, code: str, ref_year: int, opened: np.ndarray) -> dict:
    return {
        "person_key": p.key,
        "district_code": Codes(np.zeros(p.key.size, dtype=np.int8), (code,)),
        "sex": Codes(p.sex, SEXES),
        "birth_year": (ref_year - p.age).astype(np.int16),
        "hukou": Codes(p.hukou, HUKOU),
        "account_opened_on": opened,
    }


def site_plan(rng, districts: list[tuple[str, str, int]]) -> list[tuple[int, int]]:
    """(first site id, number of sites) per district: about 3.2 per 10,000 residents in the
    centre, 2.6 in Pudong, 2.2 in the suburbs, at least one."""
    density = {"central": 3.2, "pudong": 2.6, "suburb": 2.2}
    plan, first = [], 1
    for _code, zone, residents in districts:
        n = max(1, int(round(residents / 10_000 * density[zone] * rng.uniform(0.85, 1.15))))
        plan.append((first, n))
        first += n
    return plan


AGE_BAND_NAMES = AGE_BANDS
