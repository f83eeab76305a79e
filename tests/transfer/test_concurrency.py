"""Concurrent postings and applications leave exactly one result (real transactions, SQLite and
PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from learncity.creditbank import ledger
from learncity.creditbank.models import LedgerEntry
from learncity.creditbank.services import revoke_outcome
from learncity.errors import Conflict
from learncity.transfer.models import Application, GrantedCourse, UsedOutcome
from learncity.transfer.services.applications import start_application, submit
from learncity.transfer.services.posting import post_application
from learncity.transfer.services.review import decide_item, finish_review, start_review

pytestmark = pytest.mark.django_db(transaction=True)
ATTEMPTS = 100


def sessions() -> int:
    """SQLite takes every thread at once; PostgreSQL has max_connections (100 by default)
    shared with other clients, so at most 40 of the attempts hold a session at one time."""
    return ATTEMPTS if connection.vendor == "sqlite" else 40


def run_together(jobs):
    """Release every job at one moment, each in its own thread and connection."""
    barrier, gate = threading.Barrier(len(jobs)), threading.Semaphore(sessions())
    results = [None] * len(jobs)

    def run(i, job):
        try:
            barrier.wait()
            with gate:
                results[i] = job()
        except Exception as error:  # the losers' errors are the result we check
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def approved(learner_actor, officer_actor) -> Application:
    app = start_application(learner_actor, "SOU-PA-AD")
    submit(learner_actor, app.pk, consent=True)
    start_review(officer_actor, app.pk)
    for item in app.items.all():
        decide_item(officer_actor, item.pk, approve=True, reason="ok")
    return finish_review(officer_actor, app.pk)


def test_a_hundred_simultaneous_postings_leave_exactly_one(archive, learner_actor, officer_actor):
    app = approved(learner_actor, officer_actor)
    results = run_together([lambda: post_application(officer_actor, app.pk)] * ATTEMPTS)
    posted = [r for r in results if isinstance(r, Application)]
    assert len(posted) == 1, [r for r in results if not isinstance(r, Conflict)][:3]
    assert all(isinstance(r, Conflict) for r in results if r not in posted)
    assert UsedOutcome.objects.count() == 4 and GrantedCourse.objects.count() == 3
    assert LedgerEntry.objects.filter(entry_type="transfer").count() == 4
    assert ledger.verify()[1] == []


def test_a_hundred_simultaneous_applications_leave_one_open(archive, learner_actor):
    results = run_together([lambda: start_application(learner_actor, "SOU-PA-AD")] * ATTEMPTS)
    started = [r for r in results if isinstance(r, Application)]
    assert len(started) == 1, {repr(r)[:200] for r in results}
    assert all(isinstance(r, Conflict) for r in results if r not in started), results[:3]
    assert Application.objects.count() == 1


def test_a_posting_racing_a_revocation_never_posts_a_revoked_outcome(
    archive, system, learner_actor, officer_actor
):
    app = approved(learner_actor, officer_actor)
    adm = archive["adm"]
    results = run_together(
        [
            lambda: post_application(officer_actor, app.pk),
            lambda: revoke_outcome(system, adm.pk, "issued in error"),
        ]
    )
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, Conflict)]
    app.refresh_from_db()
    if app.state == "posted":  # the posting went first: it used the outcome while it stood
        assert UsedOutcome.objects.filter(outcome=adm).exists()
    else:  # the revocation went first: the posting saw the change and refused
        assert isinstance(results[0], Conflict) and results[0].code == "application.changed"
        assert not UsedOutcome.objects.exists()
    assert ledger.verify()[1] == []
