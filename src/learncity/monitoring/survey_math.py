"""Survey weighting and design-based estimation in plain numpy. Pure.

Production estimates use the maintained `svy` library (survey_run.py); this module is the
independent implementation the tests hold svy's figures to, and the place where the formulas
are written down for the methodology section:

* non-response adjustment: within each cell c, respondents' weights × Σ_c w / Σ_c,resp w;
* raking (iterative proportional fitting): scale weights to each margin in turn until every
  margin is met within `tol` (relative);
* Kish's design effect from weighting: deff_w = n Σw² / (Σw)²;
* the mean (a ratio of weighted totals) of y over domain d, with the Taylor-linearised
  variance for a stratified design with PSUs sampled with replacement:
      z_i = w_i d_i (y_i - ŷ) / Σ w d,   Z_hj = Σ_{i in PSU j of stratum h} z_i
      v(ŷ) = Σ_h n_h/(n_h - 1) Σ_j (Z_hj - Z̄_h)²  (a lone PSU: centred on the mean of all)
  with df = PSUs - strata (counting those that hold domain members), a t interval for means
  and a logit-t interval for proportions;
* after raking, the variance credits the calibration: before the sums above, the scores are
  centred within the cells of each raking margin in turn, z ← z - w·mean_cell(z/w), for ten
  sweeps (as R's survey package does for a raked design; svy does the same).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class Estimate:
    est: float
    se: float
    lci: float
    uci: float
    df: int
    n: int

    @property
    def cv(self) -> float:
        return self.se / abs(self.est) if self.est else math.inf


def collapse_adjacent(levels: list[str], counts: dict[str, int], min_n: int) -> dict[str, str]:
    """Merge ordered levels with their neighbours until each group has at least min_n cases;
    returns level -> group label ("a+b")."""
    groups: list[list[str]] = []
    for level in levels:
        if groups and sum(counts.get(x, 0) for x in groups[-1]) < min_n:
            groups[-1].append(level)
        else:
            groups.append([level])
    if len(groups) > 1 and sum(counts.get(x, 0) for x in groups[-1]) < min_n:
        groups[-2].extend(groups.pop())
    return {level: "+".join(g) for g in groups for level in g}


def nonresponse_adjust(w: np.ndarray, responded: np.ndarray, cells: np.ndarray) -> np.ndarray:
    out = np.zeros_like(w, dtype=float)
    for c in np.unique(cells):
        in_c = cells == c
        resp = in_c & responded
        if resp.any():
            out[resp] = w[resp] * w[in_c].sum() / w[resp].sum()
    return out


def rake(w: np.ndarray, margins: list[tuple[np.ndarray, dict]], tol: float = 1e-10,
         max_iter: int = 1000) -> np.ndarray:
    w = np.asarray(w, dtype=float).copy()
    for _ in range(max_iter):
        for labels, targets in margins:
            for level, target in targets.items():
                mask = labels == level
                current = w[mask].sum()
                if current > 0:
                    w[mask] *= target / current
        worst = max(abs(w[labels == lv].sum() - t) / t
                    for labels, targets in margins for lv, t in targets.items() if t > 0)
        if worst <= tol:
            return w
    raise ArithmeticError("raking did not converge")


def kish_deff(w: np.ndarray) -> float:
    w = np.asarray(w, dtype=float)
    return float(w.size * (w ** 2).sum() / w.sum() ** 2)


def _variance(z: np.ndarray, strata: np.ndarray, psu: np.ndarray) -> float:
    """Σ_h n_h/(n_h-1) Σ_j (Z_hj - Z̄_h)²; a stratum with one PSU is centred on the mean of all
    PSU totals instead, with factor 1 (R's lonely.psu = "adjust", svy's "center")."""
    totals: list[np.ndarray] = []
    for h in np.unique(strata):
        in_h = strata == h
        ids, inverse = np.unique(psu[in_h], return_inverse=True)
        totals.append(np.bincount(inverse, weights=z[in_h], minlength=ids.size))
    grand = np.concatenate(totals).mean()
    total = 0.0
    for z_h in totals:
        if z_h.size > 1:
            total += z_h.size / (z_h.size - 1) * ((z_h - z_h.mean()) ** 2).sum()
        else:
            total += float(((z_h - grand) ** 2).sum())
    return total


def centre_on_margins(z: np.ndarray, w: np.ndarray, margins: list[np.ndarray],
                      sweeps: int = 10) -> np.ndarray:
    z = z.copy()
    for _ in range(sweeps):
        for labels in margins:
            for level in np.unique(labels):
                cell = labels == level
                z[cell] -= w[cell] * np.mean(z[cell] / w[cell])
    return z


def mean(y, w, strata, psu, domain=None, *, proportion: bool = False, alpha: float = 0.05,
         raked_on: list[np.ndarray] | None = None) -> Estimate:
    """Design-based mean of y (over a domain when given) with its Taylor-linearised SE;
    `raked_on`: the raking margins' cell labels, when w are raked weights."""
    y, w = np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    d = np.ones_like(w) if domain is None else np.asarray(domain, dtype=float)
    wd = w * d
    est = float((wd * y).sum() / wd.sum())
    z = wd * (y - est) / wd.sum()
    if raked_on:
        z = centre_on_margins(z, w, raked_on)
    strata, psu = np.asarray(strata), np.asarray(psu)
    se = math.sqrt(_variance(z, strata, psu))
    held = d > 0  # degrees of freedom from the PSUs and strata that hold domain members
    pairs = {(h, j) for h, j in zip(strata[held].tolist(), psu[held].tolist(), strict=True)}
    df = len(pairs) - len({h for h, _j in pairs})
    t = float(stats.t.ppf(1 - alpha / 2, df))
    if proportion and 0 < est < 1:
        logit, se_l = math.log(est / (1 - est)), se / (est * (1 - est))
        lci, uci = (1 / (1 + math.exp(-(logit + s * t * se_l))) for s in (-1, 1))
    else:
        lci, uci = est - t * se, est + t * se
    return Estimate(est, se, lci, uci, df, int((d > 0).sum()))
