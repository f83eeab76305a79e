"""The pure recognition rules: matching, specificity, credits and the hash chain."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learncity.creditbank.chain import GENESIS, ChainedEntry, entry_hash, verify_account
from learncity.creditbank.rules import (
    OutcomeFacts,
    Rule,
    ambiguous_with,
    choose,
    credits_for,
    formula_problems,
)


def facts(**overrides):
    values = dict(
        outcome_id=1,
        kind="course",
        institution_code="SOU",
        institution_kind="open_university",
        accredited=True,
        code="SOU-PA-101",
        result_type="score",
        result="86",
        hours=Decimal(48),
        completed_on=date(2023, 6, 30),
    )
    values.update(overrides)
    return OutcomeFacts(**values)


def rule(key="R@1", **overrides):
    values = dict(
        key=key,
        effective_from=date(2020, 1, 1),
        effective_to=None,
        level=5,
        category="academic",
        credits_fixed=Decimal(3),
    )
    values.update(overrides)
    return Rule(**values)


def test_the_most_specific_matching_rule_wins_and_says_why():
    general = rule("GEN@1", kinds=frozenset({"course"}))
    specific = rule("SOU@1", kinds=frozenset({"course"}), code_pattern="SOU-PA-*")
    choice = choose([general, specific], facts())
    assert choice.rule is specific
    assert set(choice.candidates) == {"GEN@1", "SOU@1"} and "most specific" in choice.reason


def test_no_match_sends_the_outcome_to_review():
    choice = choose([rule(kinds=frozenset({"degree"}))], facts())
    assert choice.rule is None and "no standard" in choice.reason


def test_a_rule_applies_only_to_outcomes_completed_while_in_force():
    old = rule(effective_from=date(2010, 1, 1), effective_to=date(2019, 12, 31))
    assert choose([old], facts()).rule is None
    assert choose([old], facts(completed_on=date(2019, 5, 1))).rule is old


@pytest.mark.parametrize(
    ("minimum", "result_type", "result", "ok"),
    [
        ("60", "score", "59.5", False),
        ("60", "score", "60", True),
        ("B", "grade", "B+", True),
        ("B", "grade", "C", False),
        ("良好", "grade", "优秀", True),
        ("pass", "pass", "pass", True),
        ("pass", "pass", "fail", False),
        ("60", "none", "", False),
        ("及格", "score", "75", True),
    ],
)
def test_minimum_results_compare_scores_grades_and_passes(minimum, result_type, result, ok):
    r = rule(min_result=minimum)
    assert (choose([r], facts(result_type=result_type, result=result)).rule is r) is ok


def test_credits_from_hours_round_to_the_step_and_respect_the_cap():
    r = rule(
        credits_fixed=None,
        hours_per_credit=Decimal(16),
        rounding_step=Decimal("0.5"),
        credits_cap=Decimal(2),
    )
    assert credits_for(r, Decimal(20)) == Decimal("1.5")  # 1.25 rounds half up to 1.5
    assert credits_for(r, Decimal(24)) == Decimal("1.5")
    assert credits_for(r, Decimal(400)) == Decimal(2)


def test_a_formula_that_could_give_negative_or_infinite_credits_is_reported():
    assert formula_problems(rule(credits_fixed=Decimal(-1)))
    assert formula_problems(rule(credits_fixed=None, hours_per_credit=Decimal(0)))
    assert formula_problems(rule(credits_fixed=None))
    assert not formula_problems(rule())


def test_equally_specific_rules_that_can_meet_the_same_outcome_are_ambiguous():
    a = rule("A@1", kinds=frozenset({"course"}))
    b = rule("B@1", kinds=frozenset({"course", "training"}))
    c = rule("C@1", kinds=frozenset({"degree"}))
    d = rule("D@1", kinds=frozenset({"course"}), effective_from=date(2030, 1, 1))
    e = rule(
        "E@1",
        kinds=frozenset({"course"}),
        effective_to=date(2019, 1, 1),
        effective_from=date(2018, 1, 1),
    )
    assert [r.key for r in ambiguous_with(a, [b, c, d, e])] == ["B@1", "D@1"]


@given(
    st.decimals(min_value=0, max_value=20000, places=1),
    st.sampled_from([Decimal(8), Decimal(16), Decimal(18)]),
    st.sampled_from([Decimal("0.5"), Decimal(1)]),
)
def test_formula_credits_are_never_negative_and_never_above_the_cap(hours, per, step):
    r = rule(credits_fixed=None, hours_per_credit=per, rounding_step=step, credits_cap=Decimal(6))
    credits = credits_for(r, hours)
    assert Decimal(0) <= credits <= Decimal(6)
    assert (credits / step) == (credits / step).to_integral()


def chain_of(contents):
    entries, prev = [], GENESIS
    for seq, content in enumerate(contents, start=1):
        digest = entry_hash(prev, content)
        entries.append(ChainedEntry(seq, seq, content, prev, digest))
        prev = digest
    return entries


@given(st.lists(st.integers(min_value=-50, max_value=50), min_size=1, max_size=12), st.data())
def test_any_change_to_a_chain_is_named(amounts, data):
    entries = chain_of([{"credits": a, "seq": i} for i, a in enumerate(amounts, start=1)])
    assert verify_account(entries) == []
    victim = data.draw(st.integers(min_value=0, max_value=len(entries) - 1))
    e = entries[victim]
    entries[victim] = ChainedEntry(
        e.entry_id, e.seq, {**e.content, "credits": 999}, e.prev_hash, e.entry_hash
    )
    problems = verify_account(entries)
    assert (e.entry_id, "content_changed") in {(p.entry_id, p.problem) for p in problems}


def test_a_deleted_entry_breaks_the_next_link():
    entries = chain_of([{"n": 1}, {"n": 2}, {"n": 3}])
    problems = verify_account([entries[0], entries[2]])
    assert {p.problem for p in problems} == {"sequence_gap", "broken_link"}
    assert all(p.entry_id == 3 for p in problems)


_texts = st.one_of(
    st.sampled_from(["academic", "credit", "reversal", "transfer", "2026-11-29", "non_formal"]),
    st.text(max_size=12),  # quotes, backslashes, control and CJK characters: the slow path
)


@given(
    ints=st.lists(st.integers(min_value=-(10**12), max_value=10**12), min_size=6, max_size=6),
    credits=st.decimals(allow_nan=False, allow_infinity=False, places=1, max_value=10**5),
    texts=st.lists(_texts, min_size=3, max_size=3),
    odd=st.sampled_from([None, "level", "outcome", "credits", "booked_on"]),
)
def test_the_fast_canonical_form_of_a_ledger_entry_is_the_json_definition(
    ints, credits, texts, odd
):
    from learncity.creditbank.chain import canonical, canonical_json

    content = dict(
        zip(("learner", "level", "outcome", "recognition", "seq", "year"), ints, strict=True)
    )
    content |= {"credits": credits, "booked_on": texts[0], "category": texts[1], "type": texts[2]}
    if odd:  # a None, a float or a date where the usual entry has an int, Decimal or str
        content[odd] = {"level": None, "outcome": True, "credits": 1.5}.get(odd, date(2026, 1, 2))
    assert canonical(content) == canonical_json(content)
