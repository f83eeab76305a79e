"""The engine on hand-made cases: rule shapes, caps, explanations, bad rule sets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from learncity.transfer.engine import Caps, Course, Prior, Programme, TransferRule, propose
from learncity.transfer.matching import Held, Source
from learncity.transfer.validation import cycles, rule_problems

AS_OF = date(2025, 6, 1)
COURSES = (Course("A", D(4)), Course("B", D(3)), Course("C", D(2)))


def programme(**caps) -> Programme:
    return Programme("P", COURSES, Caps(total_credits=D(60), **caps))


def rule(name, *codes, targets=(), electives=0, **criteria) -> TransferRule:
    sources = tuple(Source(code_exact=c, **criteria) for c in codes)
    return TransferRule(f"S@1/{name}", "S@1", sources, tuple(targets), D(electives))


def held(n, code, inst="I1", year=2024, result="80", **extra) -> Held:
    return Held(
        n, "course", code, date(year, 6, 1), inst, result_type="score", result=result, **extra
    )


def reasons(proposal) -> dict[int, str]:
    return {u.outcome_id: u.reason for u in proposal.unused}


def test_two_short_courses_together_count_for_one_module():
    p = propose(
        programme(), [rule("R", "X1", "X2", targets=["A"])], [held(1, "X1"), held(2, "X2")], AS_OF
    )
    assert [(u.outcomes, u.courses) for u in p.uses] == [((1, 2), (("A", D(4)),))]


def test_one_outcome_can_exempt_several_courses():
    p = propose(programme(), [rule("R", "X1", targets=["A", "B"])], [held(1, "X1")], AS_OF)
    assert p.credits == D(7) and {c for c, _ in p.uses[0].courses} == {"A", "B"}


def test_the_engine_finds_the_best_combination_where_a_greedy_pass_would_not():
    rules = [
        rule("R1", "X", targets=["A"]),  # a greedy pass takes X for A …
        rule("R2", "X", targets=["B"]),
        rule("R3", "Y", targets=["A"]),  # … and Y then has nothing left
    ]
    p = propose(programme(), rules, [held(1, "X"), held(2, "Y")], AS_OF)
    assert p.credits == D(7) and p.optimal
    assert {u.rule for u in p.uses} == {"S@1/R2", "S@1/R3"}


def test_the_cheaper_of_two_equal_ways_uses_fewer_outcomes():
    rules = [rule("pair", "X1", "X2", targets=["A"]), rule("one", "X3", targets=["A"])]
    p = propose(programme(), rules, [held(1, "X1"), held(2, "X2"), held(3, "X3")], AS_OF)
    assert [u.outcomes for u in p.uses] == [(3,)]
    assert reasons(p) == {1: "course_taken", 2: "course_taken"}


def test_a_programme_whose_caps_make_any_transfer_impossible_says_so():
    p = propose(
        programme(residency_min=D(60)), [rule("R", "X", targets=["A"])], [held(1, "X")], AS_OF
    )
    assert p.credits == 0 and p.impossible == "residency"
    assert reasons(p) == {1: "no_transfer_possible"}
    p = propose(programme(max_credits=D(0)), [rule("R", "X", targets=["A"])], [held(1, "X")], AS_OF)
    assert p.impossible == "cap"


def test_the_transfer_cap_is_the_tightest_of_share_number_and_residency():
    assert Caps(D(80), max_share=D("0.5"), residency_min=D(50)).transfer_cap() == (
        D(30),
        "residency",
    )
    assert Caps(D(80), max_share=D("0.25"), max_credits=D(30)).transfer_cap() == (
        D("20.0"),
        "max_share",
    )
    assert Caps(D(80), max_credits=D(12)).transfer_cap() == (D(12), "max_credits")


def test_caps_per_institution_and_year_bind_and_are_named():
    rules = [rule("R1", "X", targets=["A"]), rule("R2", "Y", targets=["B"])]
    both = [held(1, "X"), held(2, "Y")]
    p = propose(programme(per_institution=D(5)), rules, both, AS_OF)
    assert p.credits == D(4) and reasons(p) == {2: "cap_institution"}
    p = propose(programme(per_year=D(3)), rules, both, AS_OF)
    assert p.credits == D(3) and reasons(p) == {1: "cap_year"}
    p = propose(programme(max_credits=D(5)), rules, both, AS_OF)
    assert p.credits == D(4) and reasons(p) == {2: "cap_total"}


def test_earlier_postings_count_against_the_caps_and_their_courses_and_outcomes():
    rules = [rule("R1", "X", targets=["A"]), rule("R2", "Y", targets=["B"])]
    prior = Prior(used=frozenset({"1"}), granted=frozenset({"B"}), credits=D(3))
    p = propose(programme(max_credits=D(10)), rules, [held(1, "X"), held(2, "Y")], AS_OF, prior)
    assert p.credits == 0 and reasons(p) == {1: "already_used", 2: "already_granted"}


def test_elective_credits_fill_the_pool_and_stop_there():
    rules = [rule("E", "X", electives=2)]
    many = [held(n, "X") for n in range(1, 5)]
    p = propose(programme(electives=D(5)), rules, many, AS_OF)
    assert p.credits == D(4) and len(p.uses) == 2
    assert set(reasons(p).values()) == {"cap_electives"}


def test_unused_outcomes_say_why():
    rules = [
        rule("R1", "X", targets=["A"], min_result="70"),
        rule("R2", "P1", "P2", targets=["B"]),
    ]
    archive = [
        held(1, "X", result="60"),
        held(2, "P1"),
        held(3, "X", year=2010),
        held(4, "Z"),
        held(5, "X", usable="revoked"),
    ]
    p = propose(programme(validity_years=10), rules, archive, AS_OF)
    assert reasons(p) == {
        1: "short_result",
        2: "partner_missing",
        3: "expired",
        4: "no_rule",
        5: "not_usable",
    }
    short = next(u for u in p.unused if u.outcome_id == 1)
    assert short.params == {"rule": "S@1/R1", "minimum": "70", "found": "60"}


def test_rules_naming_courses_the_programme_lacks_are_reported_not_applied():
    p = propose(programme(), [rule("R", "X", targets=["A", "NOPE"])], [held(1, "X")], AS_OF)
    assert p.credits == D(4)
    assert p.warnings == [("unknown_courses", {"rule": "S@1/R", "courses": ["NOPE"]})]


def test_the_explanation_and_its_order_do_not_depend_on_the_archive_order():
    rules = [rule("R1", "X", targets=["A"]), rule("R2", "Y", targets=["A"])]
    a = propose(programme(), rules, [held(1, "X"), held(2, "Y")], AS_OF)
    b = propose(programme(), rules, [held(2, "Y"), held(1, "X")], AS_OF)
    assert a.credits == b.credits == D(4)


def test_publication_checks_name_unknown_courses_and_rules_that_never_apply():
    bad = [
        rule("R1", "X", targets=["NOPE"]),
        TransferRule("S@1/R2", "S@1", (Source(code_exact="AB", code_pattern="X*"),), ("A",)),
        TransferRule("S@1/R3", "S@1", (Source(min_level=5, max_level=3),), ("A",)),
        rule("R4", "X"),
        rule("R5", "Y", targets=["A"], electives=-1),
    ]
    codes = [code for code, _ in rule_problems(bad, {"A", "B"})]
    assert codes == [
        "unknown_courses",
        "never_applies",
        "never_applies",
        "grants_nothing",
        "bad_electives",
    ]


def test_contradictory_and_duplicate_rules_are_found():
    rules = [
        rule("R1", "X", targets=["A"], electives=1),
        rule("R2", "X", targets=["A"], electives=2),
        rule("R2", "Y", targets=["B"]),
    ]
    codes = [code for code, _ in rule_problems(rules, {"A", "B"})]
    assert codes == ["duplicate_rule", "contradictory"]


def test_cyclic_rules_are_found_directly_and_through_a_chain():
    direct = [rule("R1", "A", targets=["B"]), rule("R2", "B", targets=["A"])]
    assert [c for c, _ in cycles(direct, {"A", "B"})] == ["cyclic"]
    chain = [
        rule("R1", "A", targets=["B"]),
        rule("R2", "B", targets=["C"]),
        TransferRule("S@1/R3", "S@1", (Source(code_pattern="C*"),), ("A",)),
    ]
    [(code, params)] = cycles(chain, {"A", "B", "C"})
    assert params["rules"] == ["S@1/R1", "S@1/R2", "S@1/R3"]
    assert cycles([rule("R1", "A", targets=["B"])], {"A", "B"}) == []
    assert [c for c, _ in cycles([rule("R", "A", targets=["A"])], {"A"})] == ["cyclic"]
