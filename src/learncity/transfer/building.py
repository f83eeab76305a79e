"""From a learner's eligible outcomes and a rule set to the solver's problem, and back. No Django.

Two exact reductions keep the integer programme small: equal criteria are tested once per
outcome (`SlotIndex`), and single-slot rules that grant the same courses and electives are
merged into one variable — their columns in the programme are identical, so which of them
serves an outcome changes nothing but the rule named (the first matching one, in standard
order, is named).
"""

from __future__ import annotations

from collections.abc import Mapping

from learncity.transfer.matching import IDENTITY, mismatch
from learncity.transfer.solver import Problem, RuleVar

NEAR_MISSES = 3  # per outcome, kept to explain why it was not used


def _matches(ruleset, eligible):
    """Per unit, per slot, the outcomes that fill it; for single-slot units, the first rule that
    each outcome meets; and a few near misses per outcome, for the explanation."""
    units = ruleset.units
    slots_of: dict[int, list[list[int]]] = {}
    origin: dict[int, dict[int, int]] = {}
    near: dict[int, list[tuple[int, str, dict]]] = {}
    for oi, o in enumerate(eligible):
        for source, refs in ruleset.index.candidates(o):
            miss = mismatch(source, o)
            if miss is None:
                for (u, si), ri in refs:
                    slots = slots_of.get(u)
                    if slots is None:
                        slots = slots_of[u] = [[] for _ in range(units[u][3])]
                    if not slots[si] or slots[si][-1] != oi:
                        slots[si].append(oi)
                    if units[u][3] == 1:
                        first = origin.setdefault(u, {})
                        if ri < first.get(oi, ri + 1):
                            first[oi] = ri
            elif miss[0] not in IDENTITY and len(near.setdefault(oi, [])) < NEAR_MISSES:
                near[oi] += [(ri, miss[0], miss[1]) for _ref, ri in refs[:NEAR_MISSES]]
    return slots_of, origin, near


def _variables(ruleset, slots_of, origin, granted) -> list[RuleVar]:
    variables = []
    for u, slots in sorted(slots_of.items()):
        first, targets, electives, k = ruleset.units[u]
        live = tuple(t for t in targets if t not in granted) if granted else targets
        gain = sum(ruleset.course_credits[t] for t in live) + electives
        upper = 1 if live else min(len(s) for s in slots)
        variables.append(RuleVar(first, gain, electives, live, slots, upper, origin.get(u)))
    return variables


def build(ruleset, eligible, prior, remaining: int):
    """(the problem, near misses per outcome) for these eligible outcomes."""
    from learncity.transfer.engine import tenths

    caps = ruleset.programme.caps
    slots_of, origin, near = _matches(ruleset, eligible)

    def headroom(cap, used: Mapping) -> dict | None:
        if cap is None:
            return None
        return {k: tenths(cap) - tenths(v) for k, v in used.items()} | {"*": tenths(cap)}

    problem = Problem(
        rules=_variables(ruleset, slots_of, origin, prior.granted),
        outcome_institution=[o.institution_code for o in eligible],
        outcome_year=[o.completed_on.year for o in eligible],
        cap_total=remaining,
        cap_electives=tenths(caps.electives) - tenths(prior.electives),
        cap_institution=headroom(caps.per_institution, prior.by_institution),
        cap_year=headroom(caps.per_year, prior.by_year),
        course_credits=ruleset.course_credits,
    )
    return problem, near


def rule_for(v: RuleVar, o: int) -> int:
    """The rule that serves outcome o in this variable (merged variables name the first)."""
    return v.origin.get(o, v.rule) if v.origin else v.rule


def uses_of(ruleset, problem: Problem, solution, eligible) -> list:
    from learncity.transfer.engine import Use, credits

    uses = []
    for v in problem.rules:
        count = solution.count.get(v.rule, 0)
        if not count or not v.gain:
            continue
        chosen = [sorted(solution.chosen.get((v.rule, s), ())) for s in range(len(v.slots))]
        courses = tuple((t, credits(ruleset.course_credits[t])) for t in v.courses)
        for n in range(count):
            rule = ruleset.rules[rule_for(v, chosen[0][n])]
            outcomes = tuple(eligible[slot[n]].outcome_id for slot in chosen)
            uses.append(
                Use(
                    rule.key,
                    rule.standard,
                    outcomes,
                    courses,
                    credits(v.electives),
                    credits(v.gain),
                )
            )
    return uses
