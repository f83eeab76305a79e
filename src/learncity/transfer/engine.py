"""The matching engine: which of a learner's outcomes to transfer into a programme. No Django.

`propose` finds the transfer that grants the most credits while obeying every rule — each
outcome used at most once per programme, each target course granted at most once, the transfer
cap (share, number, residency minimum), the caps per source institution and per year, the
elective pool and the validity window — and explains itself. It is a set-packing problem:
`solver.py` builds the integer programme and HiGHS (SciPy `milp`) solves it to proven
optimality, unless a packing already reaches a proven upper bound (`certified.py`).
Credits are counted in tenths (integers). A rule application's credits are attributed to its
source outcomes in equal shares for the per-institution and per-year caps.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal

from learncity.transfer.matching import Held, SlotIndex, Source

ZERO = Decimal(0)


def tenths(value) -> int:
    return int((Decimal(value) * 10).to_integral_value(rounding=ROUND_FLOOR))


def credits(t: int | float) -> Decimal:
    return (Decimal(round(t)) / 10).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Course:
    code: str
    credits: Decimal
    title: str = ""


@dataclass(frozen=True)
class TransferRule:
    """One or more source slots (each a different outcome) to target courses and/or electives."""

    key: str  # "STANDARD@VERSION/RULE", names the rule in proposals and decisions
    standard: str  # "STANDARD@VERSION"
    sources: tuple[Source, ...]
    targets: tuple[str, ...] = ()
    elective_credits: Decimal = ZERO


@dataclass(frozen=True)
class Caps:
    total_credits: Decimal
    max_credits: Decimal | None = None
    max_share: Decimal | None = None
    residency_min: Decimal = ZERO
    per_institution: Decimal | None = None
    per_year: Decimal | None = None
    electives: Decimal = ZERO
    validity_years: int | None = None

    def transfer_cap(self) -> tuple[Decimal, str]:
        """The most credits transfer may give, and which programme rule sets it."""
        limits = [(self.total_credits - self.residency_min, "residency")]
        if self.max_credits is not None:
            limits.append((self.max_credits, "max_credits"))
        if self.max_share is not None:
            share = (self.total_credits * self.max_share).quantize(Decimal("0.1"), ROUND_FLOOR)
            limits.append((share, "max_share"))
        value, reason = min(limits, key=lambda item: item[0])
        return max(value, ZERO), reason


@dataclass(frozen=True)
class Programme:
    code: str
    courses: tuple[Course, ...]
    caps: Caps


@dataclass(frozen=True)
class Prior:
    """What earlier postings into this programme already used (caps count them)."""

    used: frozenset[str] = frozenset()  # Held.key of outcomes already posted
    granted: frozenset[str] = frozenset()  # course codes already granted
    credits: Decimal = ZERO
    electives: Decimal = ZERO
    by_institution: Mapping[str, Decimal] = field(default_factory=dict)
    by_year: Mapping[int, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class Use:
    """One application of a rule: these outcomes give these courses and/or elective credits."""

    rule: str
    standard: str
    outcomes: tuple[int, ...]
    courses: tuple[tuple[str, Decimal], ...]
    electives: Decimal
    credits: Decimal


@dataclass(frozen=True)
class Unused:
    outcome_id: int
    reason: str
    params: dict
    others: tuple[tuple[str, dict], ...] = ()


@dataclass
class Proposal:
    programme: str
    as_of: date
    credits: Decimal
    uses: list[Use]
    unused: list[Unused]
    cap: Decimal
    cap_set_by: str
    remaining_cap: Decimal
    impossible: str = ""  # why no transfer is possible at all (empty: it is possible)
    warnings: list[tuple[str, dict]] = field(default_factory=list)
    solver: str = ""
    optimal: bool = True
    seconds: float = 0.0

    def as_dict(self) -> dict:
        data = asdict(self)
        return _plain(data)


def _plain(value):
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal | date):
        return str(value)
    return value


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


class RuleSet:
    """Rules compiled for one programme, reusable for every learner: targets resolved, slots
    indexed, and single-slot rules granting the same courses and electives grouped into one
    unit (see building.py)."""

    def __init__(self, programme: Programme, rules: Iterable[TransferRule]):
        self.programme = programme
        self.course_credits = {c.code: tenths(c.credits) for c in programme.courses}
        self.rules: list[TransferRule] = []
        self.targets: list[tuple[str, ...]] = []
        self.warnings: list[tuple[str, dict]] = []
        self.units: list[tuple[int, tuple[str, ...], int, int]] = []  # first rule, …, slots
        groups: dict[tuple, int] = {}
        refs: dict[Source, dict[tuple[int, int], int]] = {}
        for rule in rules:
            known = tuple(t for t in rule.targets if t in self.course_credits)
            unknown = [t for t in rule.targets if t not in self.course_credits]
            if unknown:
                self.warnings.append(("unknown_courses", {"rule": rule.key, "courses": unknown}))
            if not known and not rule.elective_credits:
                continue
            index = len(self.rules)
            self.rules.append(rule)
            self.targets.append(known)
            electives = tenths(rule.elective_credits)
            key = (tuple(sorted(known)), electives) if len(rule.sources) == 1 else None
            unit = groups.get(key) if key else None
            if unit is None:
                unit = len(self.units)
                self.units.append((index, known, electives, len(rule.sources)))
                if key:
                    groups[key] = unit
            for s, source in enumerate(rule.sources):
                first = refs.setdefault(source, {})
                first.setdefault((unit, s), index)
        self.index = SlotIndex([(list(r.items()), source) for source, r in refs.items()])


def _eligibility(o: Held, cutoff: date | None, prior: Prior) -> tuple[str, dict] | None:
    if o.usable:
        return "not_usable", {"status": o.usable}
    if cutoff and o.completed_on < cutoff:
        return "expired", {"completed_on": str(o.completed_on), "cutoff": str(cutoff)}
    if o.key in prior.used:
        return "already_used", {}
    return None


def propose(
    programme: Programme | RuleSet,
    rules: Iterable[TransferRule] = (),
    held: Iterable[Held] = (),
    as_of: date | None = None,
    prior: Prior | None = None,
    explain: bool = True,
) -> Proposal:
    """The best transfer of these outcomes into the programme, explained. With `explain` False
    (batch runs) only the credits are filled in: no uses, no reasons."""
    started = time.perf_counter()
    ruleset = programme if isinstance(programme, RuleSet) else RuleSet(programme, rules)
    caps, prior = ruleset.programme.caps, prior or Prior()
    as_of = as_of or date.today()
    cutoff = years_before(as_of, caps.validity_years) if caps.validity_years else None
    cap, cap_set_by = caps.transfer_cap()
    unused, eligible = [], []
    for o in held:
        why = _eligibility(o, cutoff, prior)
        if why:
            unused.append(Unused(o.outcome_id, why[0], why[1]))
        else:
            eligible.append(o)
    remaining = tenths(cap) - tenths(prior.credits)
    proposal = Proposal(
        ruleset.programme.code, as_of, ZERO, [], unused, cap, cap_set_by, credits(remaining)
    )
    proposal.warnings = list(ruleset.warnings)
    if remaining <= 0:
        proposal.impossible = "residency" if cap_set_by == "residency" else "cap"
        proposal.solver = "none (the caps leave no credits for transfer)"
        reason = "cap_total" if prior.credits else "no_transfer_possible"
        proposal.unused += [Unused(o.outcome_id, reason, {"cap": str(cap)}) for o in eligible]
        proposal.seconds = time.perf_counter() - started
        return proposal
    from learncity.transfer.building import build, uses_of
    from learncity.transfer.explain import explain_unused
    from learncity.transfer.solver import solve

    problem, near = build(ruleset, eligible, prior, remaining)
    solution = solve(problem)
    proposal.solver, proposal.optimal = solution.solver, solution.optimal
    granted = sum(v.gain * solution.count.get(v.rule, 0) for v in problem.rules)
    proposal.credits = credits(granted)
    if explain:
        proposal.uses = uses_of(ruleset, problem, solution, eligible)
    proposal.remaining_cap = credits(remaining - tenths(proposal.credits))
    if explain:
        proposal.unused += explain_unused(ruleset, problem, solution, eligible, near)
    proposal.seconds = time.perf_counter() - started
    return proposal
