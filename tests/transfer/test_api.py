"""The transfer API through the Django test client: sessions and institution keys."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from learncity.transfer.messages import reason_text

from .conftest import STANDARD

API = "/api/v1/transfer"


def post(client, path, body=None):
    text = json.dumps(body or {}, default=str)
    response = client.post(API + path, data=text, content_type="application/json")
    response.ok = response.status_code < 400
    return response


@pytest.fixture
def learner_client(client, learner, archive):
    client.force_login(learner.user)
    return client


def test_programmes_are_public_with_their_courses_and_rules(client, programme):
    [p] = client.get(API + "/programmes").json()
    assert p["code"] == "SOU-PA-AD" and p["residency_min_credits"] == "5.0"
    assert [c["code"] for c in p["courses"]] == ["PA101", "PA102", "PA103"]
    assert client.get(API + "/programmes/NOPE").status_code == 404


def test_a_learner_sees_the_explained_proposal(learner_client, deposit):
    deposit("SH-ADM-101", result="60")  # below R1's minimum of 70, but a second one
    body = learner_client.get(API + "/programmes/SOU-PA-AD/proposal").json()
    assert body["credits"] == "9.0" and body["standards"] == ["SOU-PA-T@1"]
    [unused] = body["unused"]
    with translation.override("zh-hans"):  # the default language (Chinese once compiled)
        assert unused["text"] == reason_text(unused["reason"], unused["params"])
    english = learner_client.get(API + "/programmes/SOU-PA-AD/proposal", HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["unused"][0]["text"] == (
        "Below the minimum result 70 of rule SOU-PA-T@1/R1 (yours: 60)."
    )


def test_the_whole_workflow_through_the_api(
    learner_client, learner, officer, client_factory, api_token
):
    started = post(learner_client, "/applications", {"programme": "SOU-PA-AD"})
    assert started.status_code == 201
    app_id = started.json()["id"]
    refused = post(learner_client, f"/applications/{app_id}/submit", {"consent": False})
    assert refused.status_code == 400 and refused.json()["field"] == "consent"
    assert post(learner_client, f"/applications/{app_id}/submit", {"consent": True}).ok
    assert post(learner_client, f"/applications/{app_id}/review").status_code == 403

    staff = client_factory()
    staff.defaults["HTTP_AUTHORIZATION"] = f"Bearer {api_token}"
    [incoming] = staff.get(API + "/applications").json()
    assert incoming["id"] == app_id and incoming["consent"] is True
    assert post(staff, f"/applications/{app_id}/review").json()["state"] == "under_review"
    early = post(staff, f"/applications/{app_id}/finish")
    assert early.status_code == 400 and early.json()["code"] == "review.pending"
    for item in incoming["items"]:
        path = f"/applications/{app_id}/items/{item['id']}/decision"
        assert post(staff, path, {"approve": True, "reason": "matches"}).ok
    assert post(staff, f"/applications/{app_id}/finish").json()["state"] == "approved"
    done = post(staff, f"/applications/{app_id}/post").json()
    assert done["state"] == "posted" and done["credits_approved"] == "9.0"
    assert post(staff, f"/applications/{app_id}/post").status_code == 409

    kinds = [n["kind"] for n in learner_client.get(API + "/notifications").json()]
    assert kinds[0] == "posted" and "submitted" in kinds
    [posted] = learner_client.get(API + "/transcript").json()
    assert {i["standard"] for i in posted["items"]} == {"SOU-PA-T@1"}


def test_an_application_is_private_to_its_learner_and_the_institution(
    learner_client, make_learner, client_factory
):
    app_id = post(learner_client, "/applications", {"programme": "SOU-PA-AD"}).json()["id"]
    other = client_factory()
    other.force_login(make_learner(name="李秀英", username="li").user)
    assert other.get(f"{API}/applications/{app_id}").status_code == 404


def test_an_officer_publishes_standards_and_bad_ones_are_refused_with_the_reason(
    programme, client, officer
):
    client.force_login(officer)
    import yaml

    data = yaml.safe_load(STANDARD)
    data["standards"][0]["rules"].append(
        {"code": "R9", "sources": [{"code_exact": "X"}], "targets": ["PA777"]}
    )
    created = post(client, "/standards", data)
    assert created.status_code == 201
    standard_id = created.json()["standards"][0]["id"]
    refused = post(client, f"/standards/{standard_id}/publish")
    assert refused.status_code == 400 and refused.json()["code"] == "standard.unknown_courses"
    assert refused.json()["details"][0]["courses"] == ["PA777"]
    assert client.get(API + "/standards").json() == {"standards": []}


@pytest.fixture
def client_factory():
    from django.test import Client

    return Client
