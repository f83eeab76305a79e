"""Why each outcome the proposal does not use was left out. No Django.

Reasons are codes with parameters (`messages.py` words them in the reader's language):
outcomes no rule is about (`no_rule`), ones that fall short of a rule (`short_result`,
`short_hours`, `short_level`, …), and ones a rule could use but the optimum did not: the rule
needs a partner outcome the learner lacks, its course went to another rule, a cap is reached,
the rule is already applied with other outcomes, or a combination giving more credits won.
"""

from __future__ import annotations

from collections import defaultdict

from learncity.transfer.building import rule_for

EPSILON = 1e-9


class _After:
    """What the chosen solution leaves: courses granted, headroom under every cap."""

    def __init__(self, ruleset, problem, solution):
        self.granted_by: dict[str, str] = {}
        self.used: set[int] = set()
        self.total = problem.cap_total
        self.electives = problem.cap_electives
        self.by_institution: dict[str, float] = defaultdict(float)
        self.by_year: dict[int, float] = defaultdict(float)
        for v in problem.rules:
            count = solution.count.get(v.rule, 0)
            if not count:
                continue
            first = sorted(solution.chosen.get((v.rule, 0), [None]))[0]
            for c in v.courses:
                self.granted_by[c] = ruleset.rules[rule_for(v, first)].key
            self.total -= v.gain * count
            self.electives -= v.electives * count
            for s in range(len(v.slots)):
                for o in solution.chosen.get((v.rule, s), ()):
                    self.used.add(o)
                    self.by_institution[problem.outcome_institution[o]] += v.share
                    self.by_year[problem.outcome_year[o]] += v.share

    @staticmethod
    def room(headroom: dict | None, key, used: float) -> float | None:
        if headroom is None:
            return None
        return headroom.get(key, headroom["*"]) - used


def _reason(ruleset, problem, solution, after: _After, v, o: int) -> tuple[str, dict]:
    rule = ruleset.rules[rule_for(v, o)]
    p = {"rule": rule.key}
    if v.gain == 0:
        return "already_granted", p | {"courses": list(ruleset.targets[v.rule])}
    distinct = {x for slot in v.slots for x in slot}
    if not all(v.slots) or len(distinct) < len(v.slots):
        short = min(range(len(v.slots)), key=lambda s: (len(v.slots[s]), o in v.slots[s], -s))
        return "partner_missing", p | {"needs": rule.sources[short].describe()}
    if v.electives > problem.cap_electives:
        return "cap_electives", p | {"remaining": problem.cap_electives / 10}
    for c in v.courses:
        if c in after.granted_by and after.granted_by[c] != rule.key:
            return "course_taken", p | {"course": c, "by": after.granted_by[c]}
    if solution.count.get(v.rule, 0) >= v.upper:
        return "rule_filled", p
    if after.total < v.gain:
        return "cap_total", p | {"remaining": after.total / 10}
    institution, year = problem.outcome_institution[o], problem.outcome_year[o]
    room = after.room(problem.cap_institution, institution, after.by_institution[institution])
    if room is not None and room + EPSILON < v.share:
        return "cap_institution", p | {"institution": institution, "remaining": room / 10}
    room = after.room(problem.cap_year, year, after.by_year[year])
    if room is not None and room + EPSILON < v.share:
        return "cap_year", p | {"year": year, "remaining": room / 10}
    if after.electives < v.electives:
        return "cap_electives", p | {"remaining": after.electives / 10}
    return "better_combination", p


def explain_unused(ruleset, problem, solution, eligible, near) -> list:
    from learncity.transfer.engine import Unused

    after = _After(ruleset, problem, solution)
    rules_of: dict[int, list] = defaultdict(list)
    for v in problem.rules:
        for o in {o for slot in v.slots for o in slot}:
            rules_of[o].append(v)
    unused = []
    for o, held in enumerate(eligible):
        if o in after.used:
            continue
        candidates = sorted(rules_of.get(o, ()), key=lambda v: (-v.gain, v.rule))
        if candidates:
            reasons = [_reason(ruleset, problem, solution, after, v, o) for v in candidates[:3]]
        elif near.get(o):
            reasons = [
                (f"short_{criterion}", {"rule": ruleset.rules[ri].key} | params)
                for ri, criterion, params in near[o][:3]
            ]
        else:
            reasons = [("no_rule", {})]
        unused.append(Unused(held.outcome_id, reasons[0][0], reasons[0][1], tuple(reasons[1:])))
    return unused
