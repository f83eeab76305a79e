"""Concurrent decisions leave exactly one consistent result (real transactions, both databases)."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from learncity.access import actor_for_user
from learncity.creditbank import ledger
from learncity.creditbank.models import LedgerEntry, Recognition
from learncity.creditbank.services import decide_recognition, revoke_outcome
from learncity.errors import Conflict
from learncity.records.models import Outcome
from learncity.records.services import deposit_outcomes

from .conftest import outcome_values, valid_id

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(*jobs):
    """Start the jobs at the same moment in threads (own connections); return what each gave."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait()
            results[i] = job()
        except Exception as error:  # the losers' errors are the result we check
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.fixture
def waiting(system, institution, learner):
    [outcome] = deposit_outcomes(
        system, institution, [outcome_values(valid_id(seq=21))], source="api"
    )
    return Recognition.objects.get(outcome=outcome, is_current=True)


def test_two_reviewers_deciding_at_once_leave_one_decision(staff, waiting):
    a = actor_for_user(staff("rev-a", "reviewer"))
    b = actor_for_user(staff("rev-b", "reviewer"))
    results = run_together(
        lambda: decide_recognition(
            a, waiting.pk, approve=True, reason="a", level=5, category="academic", credits=3
        ),
        lambda: decide_recognition(
            b, waiting.pk, approve=True, reason="b", level=5, category="academic", credits=4
        ),
    )
    winners = [r for r in results if isinstance(r, Recognition)]
    assert len(winners) == 1, results
    assert all(isinstance(r, Conflict) for r in results if r not in winners), results
    assert LedgerEntry.objects.count() == 1
    assert LedgerEntry.objects.get().credits == winners[0].credits
    assert ledger.verify()[1] == []


def test_a_recognition_racing_a_revocation_is_consistent(staff, officer_actor, waiting):
    reviewer = actor_for_user(staff("rev-a", "reviewer"))
    results = run_together(
        lambda: decide_recognition(
            reviewer, waiting.pk, approve=True, reason="ok", level=5, category="academic", credits=3
        ),
        lambda: revoke_outcome(officer_actor, waiting.outcome_id, reason="withdrawn"),
    )
    assert not any(isinstance(r, Exception) and not isinstance(r, Conflict) for r in results), (
        results
    )
    assert Outcome.objects.get(pk=waiting.outcome_id).status == "revoked"
    total = sum((e.credits for e in LedgerEntry.objects.all()), Decimal(0))
    assert total == 0  # either never credited, or credited and reversed
    assert ledger.verify()[1] == []
