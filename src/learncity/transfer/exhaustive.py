"""A brute-force transfer optimiser for small cases: the yardstick the engine is tested against.

Written independently of `engine.py` and `solver.py` (it shares only the slot matcher): it
lists every way to apply every rule, then searches all compatible sets of applications with
exact fractions. Exponential — for property tests and the optimality benchmark only.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from learncity.transfer.engine import Prior, Programme, TransferRule, tenths, years_before
from learncity.transfer.matching import Held, mismatch


@dataclass(frozen=True)
class Application:
    rule: str
    outcomes: tuple[int, ...]
    courses: frozenset[str]
    gain: int
    electives: int
    institutions: tuple[str, ...]
    years: tuple[int, ...]


def applications(
    programme: Programme, rules: list[TransferRule], held: list[Held], as_of: date, prior: Prior
) -> list[Application]:
    caps = programme.caps
    cutoff = years_before(as_of, caps.validity_years) if caps.validity_years else None
    eligible = [
        o
        for o in held
        if not o.usable and (cutoff is None or o.completed_on >= cutoff) and o.key not in prior.used
    ]
    course_credits = {c.code: tenths(c.credits) for c in programme.courses}
    found = []
    for rule in rules:
        live = frozenset(t for t in rule.targets if t in course_credits) - prior.granted
        electives = tenths(rule.elective_credits)
        gain = sum(course_credits[t] for t in live) + electives
        if not gain:
            continue
        slots = [[o for o in eligible if mismatch(s, o) is None] for s in rule.sources]
        for combo in itertools.product(*slots):
            if len({o.outcome_id for o in combo}) < len(combo):
                continue
            found.append(
                Application(
                    rule.key,
                    tuple(o.outcome_id for o in combo),
                    live,
                    gain,
                    electives,
                    tuple(o.institution_code for o in combo),
                    tuple(o.completed_on.year for o in combo),
                )
            )
    return found


def best_credits(
    programme: Programme,
    rules: list[TransferRule],
    held: list[Held],
    as_of: date,
    prior: Prior | None = None,
) -> int:
    """The most credits (in tenths) any transfer obeying every rule can give."""
    prior = prior or Prior()
    caps = programme.caps
    cap = tenths(caps.transfer_cap()[0]) - tenths(prior.credits)
    if cap <= 0:
        return 0
    options = applications(programme, rules, held, as_of, prior)
    options.sort(key=lambda a: -a.gain)
    suffix = [0] * (len(options) + 1)
    for i in range(len(options) - 1, -1, -1):
        suffix[i] = suffix[i + 1] + options[i].gain
    pool = tenths(caps.electives) - tenths(prior.electives)
    limits = []
    for cap_value, used, attr in (
        (caps.per_institution, prior.by_institution, "institutions"),
        (caps.per_year, prior.by_year, "years"),
    ):
        if cap_value is not None:
            room = defaultdict(lambda c=cap_value: Fraction(tenths(c)))
            for key, value in used.items():
                room[key] = Fraction(tenths(cap_value) - tenths(value))
            limits.append((attr, room))
    best = 0

    def search(i, total, electives, outcomes, courses, loads):
        nonlocal best
        best = max(best, total)
        if i == len(options) or total + suffix[i] <= best:
            return
        a = options[i]
        fits = (
            total + a.gain <= cap
            and electives + a.electives <= pool
            and not outcomes & set(a.outcomes)
            and not courses & a.courses
        )
        new_loads = []
        if fits:
            share = Fraction(a.gain, len(a.outcomes))
            for (attr, room), load in zip(limits, loads, strict=True):
                load = dict(load)
                for key in getattr(a, attr):
                    load[key] = load.get(key, 0) + share
                fits = fits and all(v <= room[k] for k, v in load.items())
                new_loads.append(load)
        if fits:
            search(
                i + 1,
                total + a.gain,
                electives + a.electives,
                outcomes | set(a.outcomes),
                courses | a.courses,
                new_loads,
            )
        search(i + 1, total, electives, outcomes, courses, loads)

    search(0, 0, 0, frozenset(), frozenset(), [{} for _ in limits])
    return best
