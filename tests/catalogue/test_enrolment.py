"""Places and the waiting list; cancelling frees a place for the next in line; ratings."""

from __future__ import annotations

import pytest

from learncity.access import actor_for_user
from learncity.audit.models import AuditEntry
from learncity.catalogue.models import Enrolment
from learncity.catalogue.services.enrolment import cancel, enrol, rate
from learncity.catalogue.services.sessions import cancel_session, change_capacity
from learncity.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


@pytest.fixture
def session(make_course, make_site, make_session):
    return make_session(make_course(), make_site(), capacity=2)


@pytest.fixture
def people(make_learner):
    return [actor_for_user(make_learner(username=f"p{i}").user) for i in range(5)]


def statuses(session):
    return list(session.enrolments.order_by("id").values_list("status", flat=True))


def test_places_then_the_waiting_list_in_order(session, people):
    results = [enrol(a, session.pk).status for a in people[:4]]
    assert results == ["enrolled", "enrolled", "waiting", "waiting"]
    session.refresh_from_db()
    assert session.seats_taken == 2
    assert AuditEntry.objects.filter(action="catalogue.enrol").count() == 4


def test_cancelling_a_place_gives_it_to_the_first_in_line(session, people):
    first, _second, third, fourth = (enrol(a, session.pk) for a in people[:4])
    cancel(people[0], first.pk, "生病")
    assert statuses(session) == ["cancelled", "enrolled", "enrolled", "waiting"]
    third.refresh_from_db()
    assert third.promoted_at is not None
    cancel(people[3], fourth.pk)  # leaving the queue frees no place
    session.refresh_from_db()
    assert session.seats_taken == 2


def test_cancelling_with_nobody_waiting_frees_the_place(session, people):
    e = enrol(people[0], session.pk)
    cancel(people[0], e.pk)
    session.refresh_from_db()
    assert session.seats_taken == 0
    assert enrol(people[0], session.pk).status == "enrolled"  # may enrol again


def test_one_live_enrolment_per_learner_and_session(session, people):
    enrol(people[0], session.pk)
    with pytest.raises(Conflict):
        enrol(people[0], session.pk)


def test_only_the_learner_or_the_provider_cancels(session, people, officer_actor):
    e = enrol(people[0], session.pk)
    with pytest.raises(PermissionDenied):
        cancel(people[1], e.pk)
    cancel(officer_actor, e.pk, "课程调整")
    with pytest.raises(Conflict):
        cancel(people[0], e.pk)


def test_staff_cannot_enrol_and_unknown_sessions_are_not_found(session, officer_actor, people):
    with pytest.raises(PermissionDenied):
        enrol(officer_actor, session.pk)
    with pytest.raises(NotFound):
        enrol(people[0], 999_999)


def test_unpublished_and_cancelled_sessions_take_no_enrolments(
    make_course, make_site, make_session, people, officer_actor
):
    hidden = make_session(make_course(publish=False, code="DRAFT"), make_site())
    with pytest.raises(NotFound):
        enrol(people[0], hidden.pk)
    session = make_session(make_course(code="OTHER"), make_site(code="S2"))
    enrol(people[0], session.pk)
    cancel_session(officer_actor, session, "场地维修")
    assert statuses(session) == ["cancelled"]
    with pytest.raises(Conflict):
        enrol(people[1], session.pk)


def test_more_places_move_people_up_and_fewer_than_taken_are_refused(
    session, people, officer_actor
):
    for a in people[:4]:
        enrol(a, session.pk)
    with pytest.raises(Conflict):
        change_capacity(officer_actor, session, 1)
    session = change_capacity(officer_actor, session, 3)
    assert session.seats_taken == 3
    assert statuses(session) == ["enrolled", "enrolled", "enrolled", "waiting"]


def test_one_rating_per_enrolment_after_taking_part(make_course, make_site, make_session, people):
    from learncity.catalogue.models import Session

    session = make_session(make_course(), make_site(), capacity=2, days=(1, 30))
    e = enrol(people[0], session.pk)
    with pytest.raises(ValidationFailed):
        rate(people[0], e.pk, 5)  # not started yet
    Session.objects.filter(pk=session.pk).update(starts_on=session.starts_on.replace(year=2020))
    with pytest.raises(NotFound):
        rate(people[1], e.pk, 5)  # not theirs
    with pytest.raises(ValidationFailed):
        rate(people[0], e.pk, 6)
    r = rate(people[0], e.pk, 4, 5, "老师很耐心")
    assert (r.stars, r.site_stars, r.provider_id) == (4, 5, session.course.provider_id)
    with pytest.raises(Conflict):
        rate(people[0], e.pk, 5)


def test_nothing_is_ever_overbooked_in_the_table(session):
    from django.db import IntegrityError, transaction

    from learncity.catalogue.models import Session

    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(seats_taken=session.capacity + 1)
    assert Enrolment.objects.count() == 0
