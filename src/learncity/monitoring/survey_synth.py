"""A synthetic survey drawn from the synthetic population. Pure: numpy only.

Design: strata are districts; in each, `psus` neighbourhoods (PSUs) are drawn by simple random
sampling from the district's neighbourhoods, then `take` residents aged 15+ by simple random
sampling within each drawn neighbourhood. Base weight = (PSUs in district / PSUs drawn) ×
(residents 15+ in the PSU / residents drawn there). Response depends on age and hukou (older
residents answer more, young and non-local ones less), so non-response adjustment and raking
have something to correct. Answers follow the resident's true (synthetic) learning, so survey
estimates can be checked against the population they came from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from learncity.monitoring.margins import AGE_BANDS, HUKOU, SEXES
from learncity.monitoring.population import Persons

BARRIERS = ("time", "cost", "distance", "information", "digital", "health", "caring", "other")


@dataclass(frozen=True)
class SurveyPlan:
    psus: int = 12
    take: int = 20
    psu_size: int = 2500


class SurveyCollector:
    """Collects the residents of one district's drawn PSUs while its chunks stream past."""

    def __init__(self, rng, code: str, zone: str, n_psus: int, plan: SurveyPlan):
        self.code, self.zone, self.plan = code, zone, plan
        self.n_psus = n_psus
        self.drawn = np.sort(rng.choice(n_psus, size=min(plan.psus, n_psus), replace=False))
        self.parts: list[dict[str, np.ndarray]] = []

    def add(self, p: Persons, took_part: np.ndarray, hours_tenths: np.ndarray,
            certificate: np.ndarray) -> None:
        keep = np.isin(p.psu, self.drawn) & (p.age >= 15)
        self.parts.append({
            "psu": p.psu[keep], "sex": p.sex[keep], "age": p.age[keep], "hukou": p.hukou[keep],
            "part": took_part[keep], "hours": hours_tenths[keep] / 10.0,
            "cert": certificate[keep],
        })

    def finish(self, rng, first_key: int) -> tuple[dict, dict]:
        frame = {k: np.concatenate([part[k] for part in self.parts]) for k in self.parts[0]}
        picked, weights = [], []
        for psu in self.drawn:
            members = np.flatnonzero(frame["psu"] == psu)
            if members.size == 0:
                continue
            k = min(self.plan.take, members.size)
            picked.append(rng.choice(members, size=k, replace=False))
            weights.append(np.full(k, (self.n_psus / self.drawn.size) * (members.size / k)))
        idx = np.concatenate(picked)
        s = {k: v[idx] for k, v in frame.items()}
        n = idx.size
        band = np.digitize(s["age"], [15, 30, 45, 60, 65])
        rate = 0.55 + 0.15 * (s["age"] >= 65) - 0.15 * (s["age"] < 30) - 0.1 * (s["hukou"] == 1)
        units = {
            "unit_key": np.arange(first_key, first_key + n, dtype=np.int64),
            "stratum": np.full(n, self.code, dtype=object),
            "psu": np.array([f"{self.code}-{q:04d}" for q in s["psu"]], dtype=object),
            "base_weight": np.concatenate(weights),
            "responded": rng.random(n) < rate,
            "district_code": np.full(n, self.code, dtype=object),
            "sex": np.array(SEXES, dtype=object)[s["sex"]],
            "age_band": np.array(AGE_BANDS, dtype=object)[band],
            "hukou": np.array(HUKOU, dtype=object)[s["hukou"]],
        }
        answers = answer_rows(rng, units, s, self.zone)
        return units, answers


def answer_rows(rng, units: dict, s: dict, zone: str) -> dict[str, np.ndarray]:
    """Long-format answers (unit_key, item_code, value) for the units that responded."""
    keys, items, values = [], [], []

    def put(mask, item, vals):
        keys.append(units["unit_key"][mask])
        items.append(np.full(int(mask.sum()), item, dtype=object))
        values.append(np.asarray(vals, dtype=object)[mask] if np.ndim(vals) else
                      np.full(int(mask.sum()), vals, dtype=object))

    r = units["responded"]
    n = r.size
    age, nonlocal_ = s["age"], s["hukou"] == 1
    says_part = np.where(s["part"], rng.random(n) < 0.92, rng.random(n) < 0.2)
    put(r, "Q_PART12", np.where(says_part, "yes", "no"))
    logit = -1.3 + 0.4 * (zone == "suburb") + 0.3 * nonlocal_ + 0.5 * ~s["part"] - 0.3 * (age >= 65)
    wanted = rng.random(n) < 1 / (1 + np.exp(-logit))
    put(r, "Q_WANTED", np.where(wanted, "yes", "no"))
    working = (age < 60).astype(float)
    prob = {
        "time": 0.2 + 0.4 * working, "cost": np.full(n, 0.25),
        "distance": np.full(n, 0.15 + 0.15 * (zone == "suburb")),
        "information": np.full(n, 0.3), "digital": 0.08 + 0.35 * (age >= 60),
        "health": 0.04 + 0.25 * (age >= 65), "caring": 0.05 + 0.15 * (age < 45) * (age >= 25),
        "other": np.full(n, 0.05),
    }
    chosen = np.stack([rng.random(n) < prob[b] for b in BARRIERS], axis=1)
    chosen[~chosen.any(axis=1), 3] = True  # everyone who could not learn names one barrier
    names = np.array([";".join(b for b, c in zip(BARRIERS, row, strict=True) if c)
                      for row in chosen], dtype=object)
    put(r & wanted, "Q_BARRIERS", names)
    skill = 4.3 - 0.045 * np.maximum(age - 30, 0) + 0.3 * s["part"] + rng.normal(0, 0.5, n)
    for i in range(1, 6):
        answer = np.clip(np.rint(skill + rng.normal(0, 0.6, n) - 0.15 * i), 1, 5).astype(int)
        put(r, f"Q_DIG{i}", answer.astype(str))
    learnt = r & says_part
    used = np.array(["yes", "partly", "no"], dtype=object)[
        np.searchsorted([0.6, 0.9], rng.random(n))]
    put(learnt, "Q_USED", used)
    cert = s["cert"] | (rng.random(n) < 0.05)
    put(learnt, "Q_CERT", np.where(cert, "yes", "no"))
    hours = np.where(s["part"], s["hours"], rng.exponential(6, n)) * np.exp(rng.normal(0, .3, n))
    put(learnt, "Q_HOURS", np.array([f"{h:.0f}" for h in hours], dtype=object))
    return {
        "unit_key": np.concatenate(keys),
        "item_code": np.concatenate(items),
        "value": np.concatenate(values),
    }
