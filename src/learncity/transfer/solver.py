"""The integer programme behind a transfer proposal, solved by HiGHS through SciPy's `milp`.

Variables: y_r = how many times rule r is applied (0/1 when it grants courses, else up to the
number of outcomes its slots can take); z_rso = 1 when outcome o fills slot s of rule r.

    maximise   W · Σ gain_r · y_r  −  Σ z_rso          (most credits, then fewest outcomes)
    subject to Σ_o z_rso = y_r                 every slot of every applied rule is filled
               Σ_rs z_rso ≤ 1                  no outcome used twice
               Σ_{r grants c} y_r ≤ 1          no course granted twice
               Σ gain_r · y_r ≤ cap            transfer cap (share, number, residency)
               Σ electives_r · y_r ≤ pool      elective credits the programme accepts
               Σ_{o from I} gain_r/k_r · z ≤ cap_I   per source institution (and per year)

W exceeds the number of z variables, so one tenth of a credit outweighs any saving in outcomes.
`mip_rel_gap` is 0: the answer is optimal, not merely close. Before calling HiGHS, `solve` tries
`certified.py`: a packing that reaches a proven upper bound is optimal and needs no solver.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from learncity.transfer.certified import certified

TIME_LIMIT_SECONDS = 20.0


@dataclass
class RuleVar:
    rule: int
    gain: int  # tenths of a credit per application
    electives: int
    courses: tuple[str, ...]
    slots: list[list[int]]  # per slot, the indices of outcomes that can fill it
    upper: int
    origin: dict[int, int] | None = None  # merged single-slot rules: outcome -> its rule

    def __post_init__(self):
        self.share = self.gain / len(self.slots)  # credits each source outcome carries

    @property
    def active(self) -> bool:
        return self.gain > 0 and self.upper > 0 and all(self.slots)


@dataclass
class Problem:
    rules: list[RuleVar]
    outcome_institution: list[str]
    outcome_year: list[int]
    cap_total: int
    cap_electives: int
    cap_institution: dict | None = None  # key -> headroom; "*" for keys not listed
    cap_year: dict | None = None
    course_credits: dict[str, int] = field(default_factory=dict)


@dataclass
class Solution:
    count: dict[int, int] = field(default_factory=dict)
    chosen: dict[tuple[int, int], list[int]] = field(default_factory=dict)
    solver: str = "none"
    optimal: bool = True


def _grouped_caps(problem: Problem, active: list[RuleVar]):
    """(headroom, [(variable key, coefficient)]) per institution and year cap that could bind."""
    caps = []
    for headroom, label in (
        (problem.cap_institution, problem.outcome_institution),
        (problem.cap_year, problem.outcome_year),
    ):
        if headroom is None:
            continue
        groups = defaultdict(list)
        for v in active:
            for s, outcomes in enumerate(v.slots):
                for o in outcomes:
                    groups[label[o]].append(((v.rule, s, o), v.share))
        for key, terms in groups.items():
            room = max(headroom.get(key, headroom["*"]), 0)
            if sum(c for _k, c in terms) > room + 1e-9:
                caps.append((room, terms))
    return caps


def solve(problem: Problem) -> Solution:
    active = [v for v in problem.rules if v.active]
    if not active:
        return Solution(solver="none (nothing matches)")
    found = certified(problem, active)
    if found is not None:
        count, chosen = found
        return Solution(count, chosen, "certified (a packing reaches the upper bound)")
    return _milp(problem, active)


def _milp(problem: Problem, active: list[RuleVar]) -> Solution:
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array

    column: dict = {}
    for v in active:
        column[("y", v.rule)] = len(column)
    for v in active:
        for s, outcomes in enumerate(v.slots):
            for o in outcomes:
                column[(v.rule, s, o)] = len(column)
    n = len(column)
    rows, cols, vals, lower, upper = [], [], [], [], []

    def add_row(terms, lo, hi):
        r = len(lower)
        for key, coef in terms:
            rows.append(r)
            cols.append(column[key])
            vals.append(coef)
        lower.append(lo)
        upper.append(hi)

    by_outcome, by_course = defaultdict(list), defaultdict(list)
    for v in active:
        for s, outcomes in enumerate(v.slots):
            add_row([((v.rule, s, o), 1.0) for o in outcomes] + [(("y", v.rule), -1.0)], 0, 0)
            for o in outcomes:
                by_outcome[o].append(((v.rule, s, o), 1.0))
        for c in v.courses:
            by_course[c].append((("y", v.rule), 1.0))
    for terms in list(by_outcome.values()) + list(by_course.values()):
        if len(terms) > 1:
            add_row(terms, 0, 1)
    if sum(v.gain * v.upper for v in active) > problem.cap_total:
        add_row([(("y", v.rule), float(v.gain)) for v in active], 0, problem.cap_total)
    if sum(v.electives * v.upper for v in active) > problem.cap_electives:
        terms = [(("y", v.rule), float(v.electives)) for v in active if v.electives]
        add_row(terms, 0, problem.cap_electives)
    for room, terms in _grouped_caps(problem, active):
        add_row(terms, -np.inf, room)

    weight = float(n + 1)
    objective = np.ones(n)
    lo, hi = np.zeros(n), np.ones(n)
    for v in active:
        objective[column[("y", v.rule)]] = -weight * v.gain
        hi[column[("y", v.rule)]] = v.upper
    matrix = coo_array((vals, (rows, cols)), shape=(len(lower), n)).tocsr()
    result = milp(
        objective,
        integrality=np.ones(n),
        bounds=Bounds(lo, hi),
        constraints=LinearConstraint(matrix, np.array(lower, float), np.array(upper, float)),
        options={"mip_rel_gap": 0.0, "time_limit": TIME_LIMIT_SECONDS, "presolve": True},
    )
    solution = Solution(solver="HiGHS (scipy.optimize.milp)", optimal=result.status == 0)
    if result.x is None:
        return Solution(solver=solution.solver + ": " + result.message, optimal=False)
    x = np.rint(result.x).astype(int)
    for key, j in column.items():
        if not x[j]:
            continue
        if key[0] == "y":
            solution.count[key[1]] = int(x[j])
        else:
            solution.chosen.setdefault((key[0], key[1]), []).append(key[2])
    return solution
