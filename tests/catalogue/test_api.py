"""The catalogue API: search, near me, providers' writes with a key, enrolment, errors as JSON."""

from __future__ import annotations

import json

import pytest

from learncity.catalogue.models import Course, Site

API = "/api/v1/catalogue"


def post(client, path, body=None, **headers):
    return client.post(
        path, data=json.dumps(body or {}), content_type="application/json", **headers
    )


@pytest.fixture
def keyed(client, api_token):
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {api_token}"
    return client


@pytest.fixture
def listed(make_course, make_site, make_session):
    site = make_site()
    course = make_course()
    session = make_session(course, site, capacity=1)
    return course, site, session


def test_anyone_searches_in_chinese_without_spaces(client, listed):
    body = client.get(f"{API}/courses", {"q": "书法入"}).json()
    assert body["total"] == 1 and body["items"][0]["code"] == "XH-CAL-01"
    assert body["terms"] == ["书法入"] and body["sort"] == "relevance"
    body = client.get(
        f"{API}/courses",
        {
            "q": "法",
            "district": "徐汇区",
            "free": "1",
            "audience": "elderly",
            "sort": "distance",
            "near": "310104",
        },
    ).json()
    assert body["items"][0]["distance_km"] == 0.0


def test_bad_search_input_is_a_400_that_names_the_field(client, listed):
    for query, field in [
        ({"mode": "teleport"}, "mode"),
        ({"district": "火星区"}, "district"),
        ({"latitude": "121.4", "longitude": "31.2"}, "latitude"),
        ({"latitude": "31.2"}, "latitude"),
        ({"weekday": "9"}, "weekday"),
        ({"starts_from": "next week"}, "starts_from"),
        ({"page": "x"}, "page"),
    ]:
        response = client.get(f"{API}/courses", query)
        assert response.status_code == 400, query
        assert response.json()["field"] == field


def test_punctuation_and_very_long_queries_are_answered(client, listed):
    body = client.get(f"{API}/courses", {"q": "？？？……"}).json()
    assert body["notes"] == ["no_terms"] and body["total"] == 1
    response = client.get(f"{API}/courses", {"q": "书法" * 3000})
    assert response.status_code == 200 and response.json()["notes"] == ["shortened"]


def test_near_me_lists_sites_and_sessions_by_distance(client, listed):
    sites = client.get(f"{API}/sites", {"near": "310104", "radius_km": "3"}).json()
    assert [s["code"] for s in sites["items"]] == ["XH-01"]
    far = client.get(
        f"{API}/sites", {"latitude": "31.62", "longitude": "121.40", "radius_km": "2"}
    ).json()
    assert far["total"] == 0
    sessions = client.get(f"{API}/sessions/near", {"near": "310104"}).json()
    assert sessions[0]["distance_km"] < 1 and sessions[0]["places_left"] == 1
    assert client.get(f"{API}/sessions/near").status_code == 400
    assert (
        client.get(f"{API}/sessions/near", {"near": "310104", "radius_km": "500"}).status_code
        == 400
    )


def test_a_provider_puts_a_course_and_a_site_with_its_key(keyed):
    course = {
        "code": "API-1",
        "title_zh": "茶艺入门",
        "mode": "offline",
        "kind": "community",
        "audiences": ["adults", "elderly"],
        "hours": 12,
        "public_benefit": True,
        "districts": ["310104", "长宁区"],
    }
    first = post(keyed, f"{API}/courses", course)
    assert first.status_code == 201, first.content
    assert first.json()["audiences"] == ["adults", "elderly"]
    assert first.json()["districts"] == ["310104", "310105"] and first.json()["status"] == "pending"
    again = post(keyed, f"{API}/courses", {**course, "title_zh": "茶艺"})
    assert again.status_code == 200 and Course.objects.get().title_zh == "茶艺"
    site = {
        "code": "API-S",
        "name_zh": "长宁学习点",
        "kind": "learning_point",
        "address": "长宁路 1 号",
        "district": "310105",
        "latitude": 31.22,
        "longitude": 121.42,
    }
    assert post(keyed, f"{API}/sites", site).status_code == 201
    assert Site.objects.get().latitude == 31.22


def test_a_provider_error_is_json_with_every_problem(keyed):
    response = post(
        keyed, f"{API}/courses", {"code": "X", "title_zh": "", "mode": "x", "kind": "mooc"}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"].startswith("catalogue.") and len(body["details"]) == 2
    assert post(keyed, f"{API}/courses", {"code": "X"}).status_code == 400  # schema


def test_writing_needs_a_key_or_a_session(client):
    response = post(
        client, f"{API}/courses", {"code": "X", "title_zh": "x", "mode": "online", "kind": "mooc"}
    )
    assert response.status_code == 401


def test_a_learner_enrols_then_waits_then_cancels_through_the_api(client, listed, make_learner):
    _course, _site, session = listed
    first, second = make_learner(username="a1"), make_learner(username="a2")
    client.force_login(first.user)
    e1 = post(client, f"{API}/sessions/{session.pk}/enrol")
    assert e1.status_code == 201 and e1.json()["status"] == "enrolled"
    assert post(client, f"{API}/sessions/{session.pk}/enrol").status_code == 409
    client.force_login(second.user)
    e2 = post(client, f"{API}/sessions/{session.pk}/enrol").json()
    assert e2["status"] == "waiting" and e2["waiting_position"] == 1
    assert post(client, f"{API}/enrolments/{e1.json()['id']}/cancel").status_code == 403
    client.force_login(first.user)
    assert (
        post(client, f"{API}/enrolments/{e1.json()['id']}/cancel").json()["status"] == "cancelled"
    )
    client.force_login(second.user)
    assert client.get(f"{API}/me/enrolments").json()[0]["status"] == "enrolled"


def test_recommendations_come_with_reasons(client, listed, make_learner):
    from datetime import date

    from tests.conftest import valid_id

    born = valid_id(born=date(1955, 1, 1), seq=41)
    learner = make_learner(username="old", id_number=born, district="310104")
    client.force_login(learner.user)
    body = client.get(f"{API}/me/recommendations").json()
    assert body[0]["course"]["code"] == "XH-CAL-01" and body[0]["reasons"]


def test_moderation_and_distribution_are_for_administrators(client, keyed, listed, staff):
    course, _site, _session = listed
    assert (
        post(
            keyed, f"{API}/moderation/courses/{course.pk}", {"action": "suspend", "note": "x"}
        ).status_code
        == 403
    )
    assert keyed.get(f"{API}/distribution").status_code == 403
    client.defaults.pop("HTTP_AUTHORIZATION")
    client.force_login(staff("boss", "admin"))
    r = post(client, f"{API}/moderation/courses/{course.pk}", {"action": "suspend", "note": "暂停"})
    assert r.json() == {"id": course.pk, "status": "suspended"}
    body = client.get(f"{API}/distribution").json()
    assert len(body["districts"]) == 16 and {g["measure"] for g in body["gaps"]} == {
        "courses",
        "seats",
        "sites",
    }


def test_the_openapi_document_lists_the_catalogue(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert (
        "/api/v1/catalogue/courses" in paths
        and "/api/v1/catalogue/awards/{scheme_id}/rank" in paths
    )


def test_quality_through_the_api_practitioners_inspection_and_public_view(client, keyed, reviewer):
    person = post(
        keyed,
        f"{API}/practitioners?institution=SOU",
        {"name": "李老师", "role": "teacher", "competence": "expert"},
    )
    assert person.status_code == 201
    started = post(keyed, f"{API}/inspections?institution=SOU")
    assert started.status_code == 201
    inspection = started.json()
    for check in inspection["checks"]:
        r = post(
            keyed,
            f"{API}/inspections/{inspection['id']}/checks/{check['id']}",
            {"answer": "met", "evidence": "证明材料.pdf"},
        )
        assert r.json()["answer"] == "met"
    client.defaults.pop("HTTP_AUTHORIZATION")
    client.force_login(reviewer)
    assert post(client, f"{API}/practitioners/{person.json()['id']}/verify").status_code == 200
    verdict = post(client, f"{API}/inspections/{inspection['id']}/verdict", {"verdict": "meets"})
    assert verdict.json()["verdict"] == "meets"
    view = client.get(f"{API}/providers/SOU/quality").json()
    assert view["verified_practitioners"] == 1 and view["inspection"]["verdict"] == "meets"


def test_an_award_is_configured_and_ranked_through_the_api(client, staff):
    client.force_login(staff("boss", "admin"))
    bad = post(
        client,
        f"{API}/awards",
        {
            "year": 2025,
            "kind": "learning_star",
            "title_zh": "学习明星",
            "issuer_name": "市学习办",
            "weights": {"luck": 1},
        },
    )
    assert bad.status_code == 400 and "hours" in bad.json()["message"]
    made = post(
        client,
        f"{API}/awards",
        {
            "year": 2025,
            "kind": "learning_star",
            "title_zh": "学习明星",
            "issuer_name": "市学习办",
            "weights": {"hours": 1, "categories": 1},
        },
    )
    assert made.status_code == 201
    assert post(client, f"{API}/awards/{made.json()['id']}/rank").json() == []
    assert client.get(f"{API}/awards/{made.json()['id']}").status_code == 404  # not published
