"""Hypothesis strategies: small random programmes, rule sets and archives for the engine."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from learncity.transfer.engine import Caps, Course, Prior, Programme, TransferRule
from learncity.transfer.matching import Held, Source

CODES = ["A1", "A2", "B1", "B2", "C1"]
INSTITUTIONS = ["I1", "I2", "I3"]
COURSES = ["P1", "P2", "P3", "P4", "P5"]
AS_OF = date(2025, 6, 1)

halves = st.integers(1, 8).map(lambda n: Decimal(n) / 2)


@st.composite
def sources(draw):
    how = draw(st.sampled_from(["code", "pattern", "kind", "any"]))
    values = {}
    if how == "code":
        values["code_exact"] = draw(st.sampled_from(CODES))
    elif how == "pattern":
        values["code_pattern"] = draw(st.sampled_from(["A*", "B?", "*1"]))
    elif how == "kind":
        values["kinds"] = frozenset({draw(st.sampled_from(["course", "training"]))})
    if draw(st.booleans()):
        values["min_result"] = str(draw(st.sampled_from([60, 70, 85])))
    if draw(st.integers(0, 3)) == 0:
        values["institution_codes"] = frozenset({draw(st.sampled_from(INSTITUTIONS))})
    if draw(st.integers(0, 3)) == 0:
        values["min_level"] = draw(st.integers(1, 5))
    return Source(**values)


@st.composite
def rules(draw, n_courses):
    found = []
    for i in range(draw(st.integers(1, 6))):
        slots = tuple(draw(st.lists(sources(), min_size=1, max_size=3)))
        targets = tuple(
            draw(st.lists(st.sampled_from(COURSES[:n_courses] + ["ZZ"]), max_size=2, unique=True))
        )
        electives = draw(st.sampled_from([0, 0, 1, 2, 3])) if targets else draw(halves)
        found.append(TransferRule(f"S@1/R{i}", "S@1", slots, targets, Decimal(electives)))
    return found


@st.composite
def archives(draw):
    held = []
    for i in range(draw(st.integers(0, 7))):
        held.append(
            Held(
                outcome_id=i + 1,
                kind=draw(st.sampled_from(["course", "training"])),
                code=draw(st.sampled_from(CODES)),
                completed_on=date(draw(st.integers(2012, 2025)), 3, 1),
                institution_code=draw(st.sampled_from(INSTITUTIONS)),
                result_type="score",
                result=str(draw(st.integers(50, 100))),
                level=draw(st.integers(1, 6)),
                usable=draw(st.sampled_from(["", "", "", "", "revoked"])),
            )
        )
    return held


@st.composite
def cases(draw):
    n_courses = draw(st.integers(1, 5))
    courses = tuple(Course(COURSES[i], draw(halves)) for i in range(n_courses))
    total = Decimal(draw(st.integers(4, 40)))
    maybe = lambda s: draw(st.one_of(st.none(), s))  # noqa: E731
    caps = Caps(
        total_credits=total,
        max_credits=maybe(st.integers(0, 20).map(Decimal)),
        max_share=maybe(st.sampled_from([Decimal("0.25"), Decimal("0.5"), Decimal(1)])),
        residency_min=Decimal(draw(st.integers(0, 10))),
        per_institution=maybe(st.integers(1, 10).map(Decimal)),
        per_year=maybe(st.integers(1, 10).map(Decimal)),
        electives=Decimal(draw(st.integers(0, 6))),
        validity_years=maybe(st.integers(1, 10)),
    )
    held = draw(archives())
    prior = Prior()
    if held and draw(st.booleans()):
        granted = frozenset(draw(st.lists(st.sampled_from([c.code for c in courses]), max_size=2)))
        used = frozenset({str(held[0].outcome_id)})
        prior = Prior(
            used=used,
            granted=granted,
            credits=Decimal(draw(st.integers(0, 6))),
            by_institution={"I1": Decimal(draw(st.integers(0, 4)))},
            by_year={2024: Decimal(draw(st.integers(0, 4)))},
        )
    return Programme("P", courses, caps), draw(rules(n_courses)), held, prior
