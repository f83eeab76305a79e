"""Concurrent enrolment with real transactions in parallel threads, each on its own database
connection: the session never has more people than places, and nobody is lost."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from learncity.access import actor_for_user
from learncity.catalogue.models import Enrolment, Session
from learncity.catalogue.services.enrolment import cancel, enrol
from learncity.framework.loader import load_framework

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _framework():
    load_framework()  # transactional tests start from empty tables


def run_together(calls):
    """Start every call at the same moment in its own thread; return (results, errors)."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait()
            results.append(call())
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results, errors


def test_concurrent_enrolments_never_overbook(make_course, make_site, make_session, make_learner):
    session = make_session(make_course(), make_site(), capacity=3)
    actors = [actor_for_user(make_learner(username=f"c{i}").user) for i in range(16)]
    results, errors = run_together([lambda a=a: enrol(a, session.pk) for a in actors])
    assert errors == []
    session.refresh_from_db()
    enrolled = Enrolment.objects.filter(session=session, status="enrolled").count()
    assert session.seats_taken == enrolled == 3
    assert Enrolment.objects.filter(session=session, status="waiting").count() == 13


def test_concurrent_cancellations_and_enrolments_keep_places_and_queue_consistent(
    make_course, make_site, make_session, make_learner
):
    session = make_session(make_course(), make_site(), capacity=4)
    holders = [actor_for_user(make_learner(username=f"h{i}").user) for i in range(4)]
    places = [enrol(a, session.pk) for a in holders]
    newcomers = [actor_for_user(make_learner(username=f"n{i}").user) for i in range(8)]
    calls = [lambda a=a, e=e: cancel(a, e.pk) for a, e in zip(holders, places, strict=True)]
    calls += [lambda a=a: enrol(a, session.pk) for a in newcomers]
    _results, errors = run_together(calls)
    assert errors == []
    session = Session.objects.get(pk=session.pk)
    enrolled = Enrolment.objects.filter(session=session, status="enrolled").count()
    waiting = Enrolment.objects.filter(session=session, status="waiting").count()
    assert session.seats_taken == enrolled == 4  # all four freed places went to newcomers
    assert waiting == 4


def test_the_same_learner_pressing_enrol_twice_at_once_gets_one_place(
    make_course, make_site, make_session, make_learner
):
    session = make_session(make_course(), make_site(), capacity=5)
    actor = actor_for_user(make_learner(username="twice").user)
    results, errors = run_together([lambda: enrol(actor, session.pk) for _ in range(4)])
    assert len(results) == 1 and len(errors) == 3
    assert Enrolment.objects.filter(session=session).count() == 1
    session.refresh_from_db()
    assert session.seats_taken == 1
