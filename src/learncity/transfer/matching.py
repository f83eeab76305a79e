"""What one source slot of a transfer rule asks of an outcome, and why an outcome fails. No Django.

A transfer rule has one or more *source slots*; each slot is filled by a different outcome
(two slots: two short courses together count for one module). A slot sets criteria; unset
criteria match anything. `mismatch` names the first criterion an outcome fails, identity
criteria (kind, code, issuer) before quality criteria (level, result, hours, dates), so an
explanation can say "below the minimum result of rule R" rather than "no rule matches".
The result scale is the credit bank's (`creditbank.rules.result_value` / `minimum_value`).
"""

from __future__ import annotations

import fnmatch
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from learncity.creditbank.rules import minimum_value, result_value

# Criteria that say "this rule is about other outcomes" rather than "this outcome falls short".
IDENTITY = frozenset({"kind", "code", "institution", "institution_kind", "alliance"})


@dataclass(frozen=True)
class Held:
    """An outcome of a learner's archive with its credit-bank recognition, for the engine."""

    outcome_id: int
    kind: str
    code: str
    completed_on: date
    institution_code: str = ""
    institution_kind: str = ""
    alliances: frozenset[str] = frozenset()
    accredited: bool = True
    result_type: str = "none"
    result: str = ""
    hours: Decimal | None = None
    level: int | None = None
    category: str = ""
    credits: Decimal | None = None
    usable: str = ""  # empty: recognised and in force; else why not ("revoked", "pending", …)
    lineage: str = ""  # the outcome across corrections; "used once per programme" counts this
    title: str = ""

    @property
    def key(self) -> str:
        return self.lineage or str(self.outcome_id)


@dataclass(frozen=True)
class Source:
    """The criteria one outcome must meet to fill one slot of a rule."""

    kinds: frozenset[str] = frozenset()
    code_exact: str = ""
    code_pattern: str = ""
    institution_codes: frozenset[str] = frozenset()
    institution_kinds: frozenset[str] = frozenset()
    alliances: frozenset[str] = frozenset()
    accredited_only: bool = False
    min_level: int | None = None
    max_level: int | None = None
    categories: frozenset[str] = frozenset()
    min_result: str = ""
    min_hours: Decimal | None = None
    completed_from: date | None = None
    completed_to: date | None = None
    _min_value: Decimal | None = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        if self.min_result:
            object.__setattr__(self, "_min_value", minimum_value(self.min_result))

    def describe(self) -> str:
        """A short, language-neutral description: 'course SHVC-ADM-1* @SHVC result≥70'."""
        parts = ["/".join(sorted(self.kinds))] if self.kinds else []
        parts += [c for c in (self.code_exact, self.code_pattern) if c]
        parts += ["@" + "/".join(sorted(x)) for x in (self.institution_codes,) if x]
        parts += ["@" + "/".join(sorted(self.institution_kinds))] if self.institution_kinds else []
        parts += ["∈" + "/".join(sorted(self.alliances))] if self.alliances else []
        if self.min_level is not None or self.max_level is not None:
            parts.append(f"L{self.min_level or ''}-{self.max_level or ''}")
        parts += ["/".join(sorted(self.categories))] if self.categories else []
        parts += [f"result≥{self.min_result}"] if self.min_result else []
        parts += [f"hours≥{self.min_hours}"] if self.min_hours is not None else []
        if self.completed_from or self.completed_to:
            parts.append(f"{self.completed_from or '…'}–{self.completed_to or '…'}")
        return " ".join(parts) or "any outcome"


def mismatch(s: Source, o: Held) -> tuple[str, dict] | None:
    """The first criterion the outcome fails, with what was asked and found; None if it fits."""
    if s.kinds and o.kind not in s.kinds:
        return "kind", {}
    if s.code_exact and o.code != s.code_exact:
        return "code", {}
    if s.code_pattern and not fnmatch.fnmatchcase(o.code, s.code_pattern):
        return "code", {}
    if s.institution_codes and o.institution_code not in s.institution_codes:
        return "institution", {}
    if s.institution_kinds and o.institution_kind not in s.institution_kinds:
        return "institution_kind", {}
    if s.alliances and not (s.alliances & o.alliances):
        return "alliance", {}
    if s.accredited_only and not o.accredited:
        return "accredited", {}
    if s.min_level is not None and (o.level is None or o.level < s.min_level):
        return "level", {"minimum": s.min_level, "found": o.level}
    if s.max_level is not None and (o.level is None or o.level > s.max_level):
        return "level", {"maximum": s.max_level, "found": o.level}
    if s.categories and o.category not in s.categories:
        return "category", {"wanted": sorted(s.categories), "found": o.category}
    if s._min_value is not None:
        value = result_value(o.result_type, o.result) if o.result else None
        if value is None or value < s._min_value:
            return "result", {"minimum": s.min_result, "found": o.result or "—"}
    if s.min_hours is not None and (o.hours is None or o.hours < s.min_hours):
        return "hours", {"minimum": str(s.min_hours), "found": str(o.hours or 0)}
    if (s.completed_from and o.completed_on < s.completed_from) or (
        s.completed_to and o.completed_on > s.completed_to
    ):
        return "completed", {
            "from": str(s.completed_from or ""),
            "to": str(s.completed_to or ""),
            "found": str(o.completed_on),
        }
    return None


def self_contradictions(s: Source) -> list[str]:
    """Why no outcome could ever fill this slot (empty: it can be filled)."""
    problems = []
    if s.code_exact and s.code_pattern and not fnmatch.fnmatchcase(s.code_exact, s.code_pattern):
        problems.append(f"code {s.code_exact} does not fit the pattern {s.code_pattern}")
    if s.min_level is not None and s.max_level is not None and s.min_level > s.max_level:
        problems.append(f"the lowest level {s.min_level} is above the highest {s.max_level}")
    if s.completed_from and s.completed_to and s.completed_from > s.completed_to:
        problems.append(f"the completion window ends ({s.completed_to}) before it starts")
    if s.min_hours is not None and (not s.min_hours.is_finite() or s.min_hours < 0):
        problems.append(f"minimum hours {s.min_hours} is not a positive number")
    return problems


def _prefix(pattern: str) -> str:
    cut = min((i for i, ch in enumerate(pattern) if ch in "*?["), default=len(pattern))
    return pattern[:cut]


class SlotIndex:
    """Slots indexed by exact code, code-pattern prefix and kind, so an outcome meets few of them.

    Equal criteria are stored once with every slot that uses them, so each is tested once per
    outcome. `candidates` returns a superset of the criteria an outcome can meet, each with its
    slots; `mismatch` decides.
    """

    def __init__(self, slots: list[tuple[object, Source]]):
        refs: dict[Source, list] = {}
        for ref, source in slots:
            found = refs.setdefault(source, [])
            found += ref if isinstance(ref, list) else [ref]
        self.by_code: dict[str, list] = defaultdict(list)
        self.by_prefix: dict[str, list] = defaultdict(list)
        self.by_kind: dict[str, list] = defaultdict(list)
        self.by_issuer: dict[str, list] = defaultdict(list)  # institution code or kind
        self.any: list = []
        for source, its_refs in refs.items():
            item = (source, its_refs)
            if source.code_exact:
                self.by_code[source.code_exact].append(item)
            elif source.code_pattern:
                self.by_prefix[_prefix(source.code_pattern)].append(item)
            elif source.kinds:
                for kind in source.kinds:
                    self.by_kind[kind].append(item)
            elif source.institution_codes or source.institution_kinds:
                for issuer in source.institution_codes or source.institution_kinds:
                    self.by_issuer[issuer].append(item)
            else:
                self.any.append(item)
        self.prefix_lengths = sorted({len(p) for p in self.by_prefix})

    def candidates(self, o: Held) -> list[tuple[Source, list]]:
        found = list(self.by_code.get(o.code, ()))
        for n in self.prefix_lengths:
            if n > len(o.code):
                break
            found += self.by_prefix.get(o.code[:n], ())
        found += self.by_kind.get(o.kind, ())
        found += self.by_issuer.get(o.institution_code, ())
        if o.institution_kind != o.institution_code:
            found += self.by_issuer.get(o.institution_kind, ())
        return found + self.any
