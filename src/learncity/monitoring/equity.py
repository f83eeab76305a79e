"""Equity across districts: population-weighted Gini and Theil, and the zone gap. Pure.

Each district i has a rate y_i (e.g. participation) and a population weight w_i (residents);
p_i = w_i / Σw is its population share and μ = Σ p_i y_i the city rate.

Gini  G = Σ_i Σ_j p_i p_j |y_i - y_j| / (2 μ)          0 = every district the same
Theil T = Σ_i p_i (y_i/μ) ln(y_i/μ)                       0 = every district the same
With zones g (centre, Pudong, suburbs), P_g = Σ_{i∈g} p_i and μ_g the zone rate, T splits
exactly into between + within:
    T_between = Σ_g P_g (μ_g/μ) ln(μ_g/μ)
    T_within  = Σ_g P_g (μ_g/μ) T_g,  T_g = Σ_{i∈g} (p_i/P_g)(y_i/μ_g) ln(y_i/μ_g)
A rate of 0 contributes 0 (the limit of x ln x).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    code: str
    group: str
    rate: float
    weight: float


@dataclass(frozen=True)
class TheilSplit:
    total: float
    between: float
    within: float


def _xlogx(x: float) -> float:
    return 0.0 if x <= 0 else x * math.log(x)


def _mean(units: list[Unit]) -> float:
    weight = sum(u.weight for u in units)
    return sum(u.weight * u.rate for u in units) / weight


def gini(units: list[Unit]) -> float:
    """Population-weighted Gini coefficient of the units' rates."""
    total = sum(u.weight for u in units)
    mu = _mean(units)
    if mu == 0:
        return 0.0
    s = sum(a.weight * b.weight * abs(a.rate - b.rate) for a in units for b in units)
    return s / (2 * mu * total * total)


def theil(units: list[Unit]) -> float:
    """Population-weighted Theil T index of the units' rates."""
    total = sum(u.weight for u in units)
    mu = _mean(units)
    if mu == 0:
        return 0.0
    return sum(u.weight / total * _xlogx(u.rate / mu) for u in units)


def theil_split(units: list[Unit]) -> TheilSplit:
    """Theil T and its exact between-group / within-group decomposition (groups: u.group)."""
    total_w = sum(u.weight for u in units)
    mu = _mean(units)
    if mu == 0:
        return TheilSplit(0.0, 0.0, 0.0)
    between = within = 0.0
    for g in sorted({u.group for u in units}):
        members = [u for u in units if u.group == g]
        share = sum(u.weight for u in members) / total_w
        mu_g = _mean(members)
        between += share * _xlogx(mu_g / mu)
        if mu_g > 0:
            within += share * (mu_g / mu) * theil(members)
    return TheilSplit(between + within, between, within)


def group_rate(units: list[Unit], group: str) -> float:
    return _mean([u for u in units if u.group == group])


def gap(units: list[Unit], minuend: str, subtrahend: str) -> float:
    """Rate of one group minus another's (percentage points when rates are percentages)."""
    return group_rate(units, minuend) - group_rate(units, subtrahend)
