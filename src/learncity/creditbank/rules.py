"""Recognition standards as pure rules: matching, specificity, credits, overlap. No Django.

A rule matches an outcome when every criterion it sets holds; unset criteria match anything.
When several rules match, the most specific wins (the one that sets the most criteria, an exact
code counting more than a pattern). Two published rules of equal specificity that could match the
same outcome are ambiguous and refused at publication, so "the most specific wins" always names
exactly one rule.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NamedTuple

# Results on one scale so a minimum can be compared with a score, a grade or a pass.
RESULT_SCALE: dict[str, Decimal] = {
    "A+": Decimal(97),
    "A": Decimal(93),
    "A-": Decimal(90),
    "B+": Decimal(87),
    "B": Decimal(83),
    "B-": Decimal(80),
    "C+": Decimal(77),
    "C": Decimal(73),
    "C-": Decimal(70),
    "D+": Decimal(67),
    "D": Decimal(63),
    "D-": Decimal(60),
    "E": Decimal(50),
    "F": Decimal(40),
    "优秀": Decimal(90),
    "良好": Decimal(80),
    "中等": Decimal(70),
    "及格": Decimal(60),
    "不及格": Decimal(40),
    "PASS": Decimal(60),
    "FAIL": Decimal(0),
}


def result_value(result_type: str, result: str) -> Decimal | None:
    """A result on the 0-100 scale, or None when there is no result."""
    if result_type == "score":
        return Decimal(result)
    if result_type in ("grade", "pass"):
        return RESULT_SCALE.get(result.upper())
    return None


def minimum_value(minimum: str) -> Decimal:
    """A rule's minimum result ('60', 'B', '良好', 'pass') on the same scale."""
    text = minimum.strip()
    if text.upper() in RESULT_SCALE:
        return RESULT_SCALE[text.upper()]
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"unknown minimum result {minimum!r}") from None
    if not value.is_finite() or not 0 <= value <= 100:
        raise ValueError(f"minimum result {minimum!r} is not between 0 and 100")
    return value


class OutcomeFacts(NamedTuple):
    """What the rules look at in an outcome (a tuple: the batch makes millions of them)."""

    outcome_id: int
    kind: str
    institution_code: str
    institution_kind: str
    accredited: bool
    code: str
    result_type: str
    result: str
    hours: Decimal | None
    completed_on: date


@dataclass(frozen=True)
class Rule:
    key: str  # "CODE@VERSION", names the rule in decisions and messages
    effective_from: date
    effective_to: date | None
    level: int
    category: str
    kinds: frozenset[str] = frozenset()
    institution_codes: frozenset[str] = frozenset()
    institution_kinds: frozenset[str] = frozenset()
    accredited_only: bool = False
    code_exact: str = ""
    code_pattern: str = ""
    min_result: str = ""
    min_hours: Decimal | None = None
    completed_from: date | None = None
    completed_to: date | None = None
    credits_fixed: Decimal | None = None
    hours_per_credit: Decimal | None = None
    rounding_step: Decimal = Decimal("0.5")
    credits_cap: Decimal | None = None
    _min_value: Decimal | None = field(default=None, compare=False, repr=False)
    _specificity: int = field(default=0, compare=False, repr=False)

    def __post_init__(self):
        if self.min_result:
            object.__setattr__(self, "_min_value", minimum_value(self.min_result))
        object.__setattr__(self, "_specificity", self._count_criteria())

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def specificity(self) -> int:
        return self._specificity

    def _count_criteria(self) -> int:
        return sum(
            (
                bool(self.kinds),
                bool(self.institution_codes),
                bool(self.institution_kinds),
                self.accredited_only,
                2 * bool(self.code_exact),
                bool(self.code_pattern),
                bool(self.min_result),
                self.min_hours is not None,
                self.completed_from is not None or self.completed_to is not None,
            )
        )


def fits_what_and_who(
    rule: Rule,
    kind: str,
    institution_code: str,
    institution_kind: str,
    accredited: bool,
    code: str,
) -> bool:
    """The criteria on what the outcome is and who issued it — not its result, hours or dates.

    An outcome that fails these fails `matches`; many outcomes share the same answers, so a
    rule book can shortlist rules once per (kind, code, institution).
    """
    if not fits_kind_and_issuer(rule, kind, institution_code, institution_kind, accredited):
        return False
    if rule.code_exact and code != rule.code_exact:
        return False
    return not (rule.code_pattern and not fnmatch.fnmatchcase(code, rule.code_pattern))


def fits_kind_and_issuer(
    rule: Rule, kind: str, institution_code: str, institution_kind: str, accredited: bool
) -> bool:
    """`fits_what_and_who` without the course or certificate code."""
    if rule.kinds and kind not in rule.kinds:
        return False
    if rule.institution_codes and institution_code not in rule.institution_codes:
        return False
    if rule.institution_kinds and institution_kind not in rule.institution_kinds:
        return False
    return not (rule.accredited_only and not accredited)


def matches(rule: Rule, o: OutcomeFacts) -> bool:
    return fits_what_and_who(
        rule, o.kind, o.institution_code, o.institution_kind, o.accredited, o.code
    ) and fits_result_and_dates(rule, o)


def fits_result_and_dates(rule: Rule, o: OutcomeFacts) -> bool:
    """The rest of `matches`: the criteria a shortlisted rule (see engine.RuleBook) still has
    to meet."""
    if not rule.in_force(o.completed_on):
        return False
    if rule._min_value is not None:
        value = result_value(o.result_type, o.result)
        if value is None or value < rule._min_value:
            return False
    if rule.min_hours is not None and (o.hours is None or o.hours < rule.min_hours):
        return False
    if rule.completed_from and o.completed_on < rule.completed_from:
        return False
    return not (rule.completed_to and o.completed_on > rule.completed_to)


def credits_for(rule: Rule, hours: Decimal | None) -> Decimal:
    """Standard credits: fixed, or hours / hours_per_credit rounded to the step, capped."""
    if rule.credits_fixed is not None:
        credits = rule.credits_fixed
    else:
        if hours is None or not rule.hours_per_credit:
            raise ValueError("the rule computes credits from hours, and the outcome has none")
        steps = (hours / rule.hours_per_credit / rule.rounding_step).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
        credits = steps * rule.rounding_step
        if rule.credits_cap is not None:
            credits = min(credits, rule.credits_cap)
    if not credits.is_finite() or credits < 0:
        raise ValueError(f"the rule yields {credits} credits")
    return credits.quantize(Decimal("0.1"))


def formula_problems(rule: Rule) -> list[str]:
    """Why a rule's credit formula could yield negative or non-finite credits (empty: fine)."""
    problems = []
    if rule.credits_fixed is None and rule.hours_per_credit is None:
        problems.append("neither fixed credits nor hours per credit is set")
    for name in ("credits_fixed", "hours_per_credit", "rounding_step", "credits_cap"):
        value = getattr(rule, name)
        if value is not None and (not value.is_finite() or value < 0):
            problems.append(f"{name} is {value}")
    for name in ("hours_per_credit", "rounding_step"):
        value = getattr(rule, name)
        if (
            value is not None
            and value == 0
            and (name == "rounding_step" or rule.credits_fixed is None)
        ):
            problems.append(f"{name} is zero (division by zero)")
    return problems


@dataclass(frozen=True)
class Choice:
    rule: Rule | None
    candidates: tuple[str, ...]
    reason: str
    code: str = ""  # none, only, most_specific, tie: lets pages say the reason in any language


def choose(rules: list[Rule], o: OutcomeFacts, *, shortlisted: bool = False) -> Choice:
    """Pick the one rule that recognises this outcome, and say why. `shortlisted`: every rule
    given already fits the outcome's kind, code and institution (`fits_what_and_who`)."""
    test = fits_result_and_dates if shortlisted else matches
    matching = [r for r in rules if test(r, o)]
    if not matching:
        return Choice(None, (), "no standard in force matches", "none")
    if len(matching) > 1:
        matching.sort(key=_by_specificity, reverse=True)
    best = matching[0]
    keys = tuple(r.key for r in matching)
    if len(matching) == 1:
        return Choice(best, keys, f"only {best.key} matches", "only")
    if matching[1].specificity() == best.specificity():
        return Choice(None, keys, f"{best.key} and {matching[1].key} match equally", "tie")
    return Choice(
        best, keys, f"{best.key} is the most specific of {len(matching)} matching", "most_specific"
    )


def _by_specificity(rule: Rule) -> int:
    return rule._specificity


def _sets_disjoint(a: frozenset, b: frozenset) -> bool:
    return bool(a) and bool(b) and not (a & b)


def _periods_disjoint(a_from, a_to, b_from, b_to) -> bool:
    return bool((a_to and b_from and a_to < b_from) or (b_to and a_from and b_to < a_from))


def _codes_disjoint(a: Rule, b: Rule) -> bool:
    if a.code_exact and b.code_exact:
        return a.code_exact != b.code_exact
    for exact, other in ((a.code_exact, b), (b.code_exact, a)):
        if exact and other.code_pattern and not fnmatch.fnmatchcase(exact, other.code_pattern):
            return True
    if a.code_pattern and b.code_pattern:
        pa, pb = (p.split("*")[0].split("?")[0] for p in (a.code_pattern, b.code_pattern))
        return not (pa.startswith(pb) or pb.startswith(pa))
    return False


def could_overlap(a: Rule, b: Rule) -> bool:
    """True when some outcome could match both rules (conservative: unsure means yes)."""
    return not (
        _periods_disjoint(a.effective_from, a.effective_to, b.effective_from, b.effective_to)
        or _sets_disjoint(a.kinds, b.kinds)
        or _sets_disjoint(a.institution_codes, b.institution_codes)
        or _sets_disjoint(a.institution_kinds, b.institution_kinds)
        or _codes_disjoint(a, b)
        or _periods_disjoint(a.completed_from, a.completed_to, b.completed_from, b.completed_to)
    )


def ambiguous_with(new: Rule, published: list[Rule]) -> list[Rule]:
    """Published rules that tie with the new one and could match the same outcome."""
    return [
        r
        for r in published
        if r.key != new.key and r.specificity() == new.specificity() and could_overlap(new, r)
    ]
