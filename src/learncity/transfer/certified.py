"""A packing proven optimal without the MILP solver, when one is easy to find. No Django.

`upper_bound` is a valid bound on the credits of any feasible transfer: the smallest of
  - the transfer cap;
  - course credits (at most every course once, and at most every outcome carrying its largest
    course share) plus elective credits (at most the pool, what the rules allow, and every
    outcome carrying its largest elective share);
  - every outcome carrying the largest share any rule gives it;
  - per source institution (and per year) the smaller of its cap headroom and what its
    outcomes could carry.
`certified` packs greedily (most credits per outcome first, each slot filled by the outcome
with the fewest other uses) and returns the packing only if it reaches the bound — the bound
then proves it optimal. Otherwise it returns None and HiGHS solves the integer programme.
Most learners' problems are small and loose, so this settles them in microseconds; the
property tests check every answer against brute force.
"""

from __future__ import annotations

import math
from collections import defaultdict

EPSILON = 1e-9


def _attributed_bound(problem, active, headroom: dict | None, label: list) -> float:
    if headroom is None:
        return math.inf
    best: dict[int, float] = {}
    for v in active:
        for slot in v.slots:
            for o in slot:
                best[o] = max(best.get(o, 0.0), v.share)
    carry: dict = defaultdict(float)
    for o, share in best.items():
        carry[label[o]] += share
    return sum(min(max(headroom.get(k, headroom["*"]), 0), c) for k, c in carry.items())


def upper_bound(problem, active) -> float:
    course_best: dict[int, float] = {}
    elective_best: dict[int, float] = {}
    best: dict[int, float] = {}
    for v in active:
        k = len(v.slots)
        for slot in v.slots:
            for o in slot:
                best[o] = max(best.get(o, 0.0), v.share)
                if v.courses:
                    course_best[o] = max(course_best.get(o, 0.0), (v.gain - v.electives) / k)
                if v.electives:
                    elective_best[o] = max(elective_best.get(o, 0.0), v.electives / k)
    courses = {c: problem.course_credits.get(c, 0) for v in active for c in v.courses}
    electives = min(
        max(problem.cap_electives, 0),
        sum(v.electives * v.upper for v in active),
        sum(elective_best.values()),
    )
    bounds = [
        problem.cap_total,
        min(sum(courses.values()), sum(course_best.values())) + electives,
        sum(best.values()),
        _attributed_bound(problem, active, problem.cap_institution, problem.outcome_institution),
        _attributed_bound(problem, active, problem.cap_year, problem.outcome_year),
    ]
    return min(bounds)


class _Packing:
    def __init__(self, problem):
        self.problem = problem
        self.used: set[int] = set()
        self.courses: set[str] = set()
        self.total = 0
        self.electives = 0
        self.loads = (defaultdict(float), defaultdict(float))
        self.count: dict[int, int] = {}
        self.chosen: dict[tuple[int, int], list[int]] = {}

    def fits(self, o: int, share: float, extra) -> bool:
        """Whether o can carry `share` more under the institution and year caps."""
        p = self.problem
        for n, (headroom, label) in enumerate(
            ((p.cap_institution, p.outcome_institution), (p.cap_year, p.outcome_year))
        ):
            if headroom is not None:
                key = label[o]
                load = self.loads[n][key] + extra[n][key] + share
                if load > headroom.get(key, headroom["*"]) + EPSILON:
                    return False
        return True

    def add(self, v, degree) -> bool:
        """Apply rule variable v once more if everything still fits."""
        p = self.problem
        if self.courses & set(v.courses) or self.total + v.gain > p.cap_total:
            return False
        if self.electives + v.electives > p.cap_electives:
            return False
        picked: list[int] = []
        extra = (defaultdict(float), defaultdict(float))
        for slot in v.slots:
            free = [
                o
                for o in slot
                if o not in self.used and o not in picked and self.fits(o, v.share, extra)
            ]
            if not free:
                return False
            o = min(free, key=lambda x: (degree[x], x))
            picked.append(o)
            extra[0][p.outcome_institution[o]] += v.share
            extra[1][p.outcome_year[o]] += v.share
        for s, o in enumerate(picked):
            self.used.add(o)
            self.loads[0][p.outcome_institution[o]] += v.share
            self.loads[1][p.outcome_year[o]] += v.share
            self.chosen.setdefault((v.rule, s), []).append(o)
        self.courses |= set(v.courses)
        self.total += v.gain
        self.electives += v.electives
        self.count[v.rule] = self.count.get(v.rule, 0) + 1
        return True


def certified(problem, active):
    """(count per rule, chosen outcomes per slot) proven optimal, or None."""
    bound = math.floor(upper_bound(problem, active) + EPSILON)
    if bound <= 0:
        return {}, {}
    degree: dict[int, int] = defaultdict(int)
    for v in active:
        for slot in v.slots:
            for o in slot:
                degree[o] += 1
    packing = _Packing(problem)
    order = sorted(active, key=lambda v: (-v.gain / len(v.slots), -v.gain, v.rule))
    for v in order:
        for _ in range(v.upper):
            if not packing.add(v, degree):
                break
            if packing.total >= bound:
                return packing.count, packing.chosen
    return None
