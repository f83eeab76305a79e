"""Checks a transfer standard must pass before it is published. Pure: no Django.

Refused, each with the rule named:
- a target course no programme of the publisher (or of the alliance's members) has;
- a rule that can never apply: criteria that exclude each other, no targets and no electives,
  negative elective credits;
- contradictory rules: one code used twice, or the same source outcomes giving the same courses
  with different elective credits;
- cyclic rules: course A counts for B and B (directly or through others) for A, within the
  standard and the publisher's other published standards.
"""

from __future__ import annotations

import fnmatch
from collections import Counter, defaultdict

from learncity.transfer.engine import TransferRule
from learncity.transfer.matching import Source, self_contradictions


def _problem(code: str, rule: str, **params) -> tuple[str, dict]:
    return code, {"rule": rule} | params


def rule_problems(rules: list[TransferRule], known_courses: set[str]) -> list[tuple[str, dict]]:
    """Problems of single rules and between rules of one standard."""
    problems = []
    for rule in rules:
        unknown = [t for t in rule.targets if t not in known_courses]
        if unknown:
            problems.append(_problem("unknown_courses", rule.key, courses=unknown))
        if not rule.sources:
            problems.append(_problem("no_sources", rule.key))
        if not rule.targets and not rule.elective_credits:
            problems.append(_problem("grants_nothing", rule.key))
        if rule.elective_credits < 0 or not rule.elective_credits.is_finite():
            problems.append(_problem("bad_electives", rule.key, value=str(rule.elective_credits)))
        for slot, source in enumerate(rule.sources, start=1):
            for text in self_contradictions(source):
                problems.append(_problem("never_applies", rule.key, slot=slot, why=text))
    counts = Counter(r.key for r in rules)
    problems += [_problem("duplicate_rule", key) for key, n in counts.items() if n > 1]
    problems += contradictions(rules)
    return problems


def _signature(rule: TransferRule):
    return tuple(sorted(map(repr, rule.sources))), tuple(sorted(rule.targets))


def contradictions(rules: list[TransferRule]) -> list[tuple[str, dict]]:
    seen: dict = {}
    problems = []
    for rule in rules:
        sig = _signature(rule)
        other = seen.setdefault(sig, rule)
        if other is not rule and other.elective_credits != rule.elective_credits:
            problems.append(
                _problem(
                    "contradictory",
                    rule.key,
                    other=other.key,
                    credits=[str(other.elective_credits), str(rule.elective_credits)],
                )
            )
    return problems


def _codes_matching(source: Source, codes: set[str]) -> set[str]:
    if source.code_exact:
        return {source.code_exact} & codes if source.code_exact in codes else set()
    if source.code_pattern:
        return {c for c in codes if fnmatch.fnmatchcase(c, source.code_pattern)}
    return set()


def cycles(rules: list[TransferRule], courses: set[str]) -> list[tuple[str, dict]]:
    """Rules through which a course counts, directly or not, for itself."""
    edges: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for rule in rules:
        for source in rule.sources:
            for code in _codes_matching(source, courses | set(rule.targets)):
                for target in rule.targets:
                    edges[code].add((target, rule.key))
    problems, reported = [], set()
    for start in sorted(edges):
        path = _path_back(edges, start)
        if path:
            rule_keys = tuple(sorted({key for _code, key in path}))
            if rule_keys not in reported:
                reported.add(rule_keys)
                chain = " → ".join([start] + [code for code, _key in path])
                problems.append(_problem("cyclic", path[0][1], rules=list(rule_keys), path=chain))
    return problems


def _path_back(edges, start: str) -> list[tuple[str, str]] | None:
    """A path of (course, rule) steps from start back to start, if there is one."""
    stack = [(start, [])]
    visited = set()
    while stack:
        node, path = stack.pop()
        for target, key in sorted(edges.get(node, ())):
            step = path + [(target, key)]
            if target == start:
                return step
            if target not in visited:
                visited.add(target)
                stack.append((target, step))
    return None
