"""Providers keep their courses, sites and sessions; bad input is refused with a reason."""

from __future__ import annotations

from datetime import time

import pytest

from learncity.access import actor_for_user
from learncity.audit.models import AuditEntry
from learncity.catalogue.models import Course
from learncity.catalogue.services.offers import save_course, save_site, upsert_course
from learncity.errors import Conflict, PermissionDenied, ValidationFailed

from .conftest import COURSE, SITE


def test_a_new_course_waits_for_moderation_and_is_audited(officer_actor, institution):
    course = save_course(officer_actor, institution, COURSE)
    assert course.status == "pending" and course.level.number == 2
    assert course.category.code == "culture_leisure" and course.audiences == ",elderly,"
    assert " 书法 " in course.search_grams
    assert AuditEntry.objects.filter(action="catalogue.course.create", object_id=str(course.pk))


def test_an_officer_may_not_write_another_institutions_catalogue(
    staff, institution, other_institution
):
    stranger = actor_for_user(staff("stranger", "officer", other_institution))
    with pytest.raises(PermissionDenied):
        save_course(stranger, institution, COURSE)


def test_invalid_courses_are_refused_with_every_problem(officer_actor, institution):
    with pytest.raises(ValidationFailed) as error:
        save_course(
            officer_actor,
            institution,
            {**COURSE, "fee_yuan": "300", "level": "12", "xapi_activity_iri": "not an iri"},
        )
    fields = {d["column"] for d in error.value.details}
    assert fields == {"fee_yuan", "level", "xapi_activity_iri"}


def test_codes_and_activity_iris_are_unique(officer_actor, institution):
    iri = "https://example.org/xapi/activities/calligraphy"
    save_course(officer_actor, institution, {**COURSE, "xapi_activity_iri": iri})
    with pytest.raises(ValidationFailed) as error:
        save_course(officer_actor, institution, {**COURSE, "xapi_activity_iri": ""})
    assert error.value.field == "code"
    with pytest.raises(ValidationFailed) as error:
        save_course(
            officer_actor, institution, {**COURSE, "code": "OTHER", "xapi_activity_iri": iri}
        )
    assert error.value.field == "xapi_activity_iri"
    changed = upsert_course(officer_actor, institution, {**COURSE, "title_zh": "书法入门（新）"})
    assert Course.objects.count() == 1 and changed.title_zh == "书法入门（新）"


@pytest.mark.parametrize(
    "lat, lon, code",
    [
        ("121.4365", "31.1885", "coordinates.swapped"),
        ("0", "0", "coordinates.outside_city"),
        ("31.1885", "", "coordinates.half"),
        ("北纬31度", "121.4", "coordinates.unreadable"),
        ("91", "121.4", "coordinates.out_of_range"),
    ],
)
def test_invalid_coordinates_are_refused(officer_actor, institution, lat, lon, code):
    with pytest.raises(ValidationFailed) as error:
        save_site(officer_actor, institution, {**SITE, "latitude": lat, "longitude": lon})
    assert error.value.details[0]["code"] == code
    assert error.value.field in ("latitude", "longitude")


def test_a_site_without_coordinates_is_accepted(officer_actor, institution):
    site = save_site(officer_actor, institution, {**SITE, "latitude": "", "longitude": ""})
    assert site.latitude is None and site.district_code == "310104"


def test_overlapping_sessions_at_one_site_are_refused(make_course, make_site, make_session):
    site = make_site()
    first = make_session(make_course(), site, start=time(9), end=time(11), weekdays="2")
    other = make_course(code="OTHER", title_zh="国画")
    with pytest.raises(Conflict) as error:
        make_session(other, site, start=time(10), end=time(12), weekdays="24")
    assert error.value.code == "session.overlap" and error.value.details["session_id"] == first.pk
    make_session(other, site, start=time(11), end=time(12), weekdays="2")  # back to back: fine
    make_session(other, site, start=time(9), end=time(11), weekdays="2", room="201")  # other room
    make_session(other, site, start=time(9), end=time(11), weekdays="3")  # other day


def test_impossible_sessions_are_refused(make_course, make_site, make_session):
    site, course = make_site(capacity="20"), make_course()
    with pytest.raises(ValidationFailed) as error:
        make_session(course, site, start=time(11), end=time(9))
    assert error.value.field == "end_time"
    with pytest.raises(ValidationFailed) as error:
        make_session(course, site, capacity=21)
    assert error.value.field == "capacity"
    with pytest.raises(ValidationFailed):
        make_session(course, site, capacity=0)
    with pytest.raises(ValidationFailed):
        make_session(course, site, weekdays="8")


def test_sessions_set_the_courses_next_start(make_course, make_site, make_session, today):
    from datetime import timedelta

    course = make_course()
    make_session(course, make_site(), days=(30, 60))
    make_session(course, make_site(code="S2"), days=(5, 40))
    course.refresh_from_db()
    assert course.next_start == today + timedelta(5)


def test_the_daily_job_moves_next_start_past_ended_sessions(
    make_course, make_site, make_session, today
):
    from datetime import timedelta

    from django.core.management import call_command

    from learncity.catalogue.models import Session

    course = make_course()
    ended = make_session(course, make_site(), days=(1, 2))
    later = make_session(course, make_site(code="S2"), days=(20, 40))
    Session.objects.filter(pk=ended.pk).update(
        starts_on=today - timedelta(10), ends_on=today - timedelta(3)
    )
    Course.objects.filter(pk=course.pk).update(next_start=today - timedelta(10))
    call_command("catalogue_daily")
    course.refresh_from_db()
    assert course.next_start == later.starts_on
