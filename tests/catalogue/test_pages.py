"""The catalogue pages: both languages, phone-first markup, and the main journeys."""

from __future__ import annotations

from datetime import date

import pytest

from learncity.catalogue.models import Course, Enrolment
from tests.conftest import valid_id


@pytest.fixture
def listed(make_course, make_site, make_session):
    site = make_site()
    course = make_course()
    return course, site, make_session(course, site, capacity=1)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_public_pages_render_in_both_languages(client, listed, language):
    course, site, _session = listed
    for url in [
        "/catalogue/",
        "/catalogue/?q=书法&sort=distance&near=310104",
        f"/catalogue/courses/{course.pk}/",
        f"/catalogue/sites/{site.pk}/",
        "/catalogue/near/?near=310104",
        "/catalogue/events/",
        "/catalogue/teams/",
        "/catalogue/awards/",
        "/catalogue/quality/SOU/",
    ]:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert page.count("<h1") == 1, url
        assert 'name="viewport"' in page


def test_search_page_shows_results_and_explains_empty_and_bad_input(client, listed):
    page = client.get("/catalogue/", {"q": "书法"}).content.decode()
    assert "书法入门" in page and 'role="search"' in page and '<label for="q">' in page
    page = client.get("/catalogue/", {"q": "！！！"}).content.decode()
    assert 'role="status"' in page
    page = client.get("/catalogue/", {"near": "火星区"}).content.decode()
    assert 'role="alert"' in page


def test_near_me_refuses_swapped_coordinates_with_a_hint(client, listed):
    page = client.get(
        "/catalogue/near/", {"latitude": "121.47", "longitude": "31.23"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "swapped" in page and 'role="alert"' in page


def test_a_learner_enrols_from_the_course_page_and_sees_the_status_in_words(
    client, listed, make_learner
):
    course, _site, session = listed
    born = valid_id(born=date(1957, 3, 1), seq=51)
    first, second = make_learner(username="x1", id_number=born), make_learner(username="x2")
    client.force_login(first.user)
    page = client.get(f"/catalogue/courses/{course.pk}/").content.decode()
    assert f'action="/catalogue/sessions/{session.pk}/enrol/"' in page
    client.post(f"/catalogue/sessions/{session.pk}/enrol/")
    client.force_login(second.user)
    client.post(f"/catalogue/sessions/{session.pk}/enrol/")
    page = client.get("/catalogue/mine/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "⏳" in page and "number 1 in line" in page  # not by colour alone
    client.force_login(first.user)
    e = Enrolment.objects.get(learner=first)
    client.post(f"/catalogue/enrolments/{e.pk}/cancel/")
    assert Enrolment.objects.get(learner=second).status == "enrolled"


def test_an_officer_adds_a_course_and_an_administrator_publishes_it(client, officer, staff):
    client.force_login(officer)
    form = {
        "code": "NEW-1",
        "title_zh": "太极拳",
        "mode": "offline",
        "kind": "community",
        "audiences": ["elderly"],
        "districts": ["310104"],
        "fee_yuan": "0",
        "public_benefit": "on",
    }
    response = client.post("/catalogue/provider/courses/new/", form)
    assert response.status_code == 302
    course = Course.objects.get(code="NEW-1")
    assert course.status == "pending" and course.public_benefit
    bad = client.post("/catalogue/provider/courses/new/", {**form, "code": "NEW-1"})
    assert "has-error" in bad.content.decode()
    assert client.get("/catalogue/moderation/").status_code == 403
    client.force_login(staff("boss", "admin"))
    assert "太极拳" in client.get("/catalogue/moderation/").content.decode()
    client.post("/catalogue/moderation/", {"type": "course", "id": course.pk, "action": "publish"})
    course.refresh_from_db()
    assert course.status == "published"
    page = client.get("/catalogue/distribution/").content.decode()
    assert "<caption>" in page and "徐汇区" in page


def test_the_import_page_lists_problems_row_by_row(client, officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(officer)
    upload = SimpleUploadedFile(
        "c.csv", "code,title_zh,mode,kind\nA,书法,teleport,mooc\nB,,online,mooc\n".encode()
    )
    page = client.post("/catalogue/provider/import/", {"kind": "courses", "file": upload})
    text = page.content.decode()
    assert page.status_code == 200 and "<td>2</td>" in text and "<td>3</td>" in text
    assert Course.objects.count() == 0
    template = client.get("/catalogue/provider/template-courses.csv")
    assert template["Content-Type"].startswith("text/csv")


def test_attendance_is_recorded_on_the_roster(client, officer, listed, make_learner):
    from learncity.access import actor_for_user
    from learncity.catalogue.models import Session
    from learncity.catalogue.services.enrolment import enrol

    _course, _site, session = listed
    learner = make_learner(username="r1")
    e = enrol(actor_for_user(learner.user), session.pk)
    Session.objects.filter(pk=session.pk).update(starts_on=date(2020, 1, 1))
    client.force_login(officer)
    page = client.get(f"/catalogue/provider/sessions/{session.pk}/").content.decode()
    assert learner.name in page
    client.post(
        f"/catalogue/provider/sessions/{session.pk}/", {"enrolment": [e.pk], "came": [e.pk]}
    )
    e.refresh_from_db()
    assert e.status == "attended"
    client.force_login(learner.user)
    assert client.get(f"/catalogue/provider/sessions/{session.pk}/").status_code == 403


def test_the_navigation_links_to_the_catalogue(client, db):
    assert 'href="/catalogue/"' in client.get("/").content.decode()


def test_an_officer_cannot_open_another_institutions_catalogue(client, officer, other_institution):
    client.force_login(officer)
    assert client.get("/catalogue/provider/").status_code == 200
    assert client.get("/catalogue/provider/", {"institution": "XHEU"}).status_code == 403
