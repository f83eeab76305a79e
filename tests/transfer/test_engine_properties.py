"""Property tests of the matching engine against the rules and a brute-force optimum."""

from __future__ import annotations

from collections import Counter, defaultdict
from fractions import Fraction
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings

from learncity.transfer.engine import propose, tenths, years_before
from learncity.transfer.exhaustive import best_credits
from learncity.transfer.matching import mismatch

from .strategies import AS_OF, cases

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def run(case):
    programme, rules, held, prior = case
    return propose(programme, rules, held, AS_OF, prior)


@SETTINGS
@given(cases())
def test_transfer_never_uses_one_outcome_twice(case):
    proposal = run(case)
    used = Counter(o for use in proposal.uses for o in use.outcomes)
    assert all(n == 1 for n in used.values()), used
    _programme, _rules, _held, prior = case
    by_id = {o.outcome_id: o for o in case[2]}
    assert not {by_id[o].key for o in used} & prior.used


@SETTINGS
@given(cases())
def test_transfer_never_grants_one_course_twice(case):
    proposal = run(case)
    granted = Counter(code for use in proposal.uses for code, _credits in use.courses)
    assert all(n == 1 for n in granted.values()), granted
    assert not set(granted) & case[3].granted


@SETTINGS
@given(cases())
def test_every_use_fits_its_rule_and_every_cap_holds(case):
    programme, rules, held, prior = case
    proposal = run(case)
    caps, by_id, by_key = programme.caps, {o.outcome_id: o for o in held}, {r.key: r for r in rules}
    cutoff = years_before(AS_OF, caps.validity_years) if caps.validity_years else None
    institution, year = defaultdict(Fraction), defaultdict(Fraction)
    for use in proposal.uses:
        rule = by_key[use.rule]
        assert len(use.outcomes) == len(rule.sources)
        for source, outcome_id in zip(rule.sources, use.outcomes, strict=True):
            o = by_id[outcome_id]
            assert mismatch(source, o) is None
            assert not o.usable and (cutoff is None or o.completed_on >= cutoff)
            share = Fraction(tenths(use.credits), len(use.outcomes))
            institution[o.institution_code] += share
            year[o.completed_on.year] += share
    room = tenths(caps.transfer_cap()[0]) - tenths(prior.credits)
    assert tenths(proposal.credits) <= max(room, 0)
    electives = sum(tenths(u.electives) for u in proposal.uses)
    assert electives + tenths(prior.electives) <= tenths(caps.electives)
    for cap, loads, before in (
        (caps.per_institution, institution, prior.by_institution),
        (caps.per_year, year, prior.by_year),
    ):
        if cap is not None:
            for key, load in loads.items():
                assert load + tenths(before.get(key, 0)) <= tenths(cap), (key, load)


@SETTINGS
@given(cases())
def test_the_proposal_is_as_good_as_brute_force(case):
    programme, rules, held, prior = case
    proposal = run(case)
    assert proposal.optimal
    assert tenths(proposal.credits) == best_credits(programme, rules, held, AS_OF, prior)


@SETTINGS
@given(cases())
def test_every_outcome_is_either_used_or_explained_once(case):
    proposal = run(case)
    used = [o for use in proposal.uses for o in use.outcomes]
    explained = [u.outcome_id for u in proposal.unused]
    assert sorted(used + explained) == sorted(o.outcome_id for o in case[2])
    assert all(u.reason for u in proposal.unused)


@SETTINGS
@given(cases())
def test_the_integer_programme_alone_is_as_good_as_brute_force(case):
    """The same, with the certified shortcut switched off: every case goes to HiGHS."""
    programme, rules, held, prior = case
    with patch("learncity.transfer.solver.certified", return_value=None):
        proposal = run(case)
    assert proposal.optimal and proposal.solver.startswith(("HiGHS", "none"))
    assert tenths(proposal.credits) == best_credits(programme, rules, held, AS_OF, prior)
