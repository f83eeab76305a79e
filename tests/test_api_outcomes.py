"""Institutions deposit outcomes through the API; retries never duplicate; errors are JSON."""

import json

import pytest

from learncity.institutions.services import issue_api_key, revoke_api_key
from learncity.records.models import Outcome

from .conftest import outcome_values, valid_id


@pytest.fixture
def client_with_key(client, api_token):
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {api_token}"
    return client


def post(client, path, body, **headers):
    return client.post(path, data=json.dumps(body), content_type="application/json", **headers)


def test_an_institution_deposits_one_outcome_into_the_learners_archive(client_with_key, learner):
    response = post(client_with_key, "/api/v1/outcomes", outcome_values(valid_id(seq=21)))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["learner_no"] == learner.learner_no
    assert body["learner_id_masked"] == learner.id_masked
    assert valid_id(seq=21) not in response.content.decode()
    assert body["institution"] == "SOU" and body["result_type"] == "score"


def test_a_retry_with_the_same_idempotency_key_does_not_duplicate(client_with_key, learner):
    values = outcome_values(valid_id(seq=21))
    first = post(client_with_key, "/api/v1/outcomes", values, HTTP_IDEMPOTENCY_KEY="abc-1")
    again = post(client_with_key, "/api/v1/outcomes", values, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert Outcome.objects.count() == 1


def test_reusing_an_idempotency_key_for_other_data_is_a_conflict(client_with_key, learner):
    post(
        client_with_key,
        "/api/v1/outcomes",
        outcome_values(valid_id(seq=21)),
        HTTP_IDEMPOTENCY_KEY="abc-2",
    )
    other = post(
        client_with_key,
        "/api/v1/outcomes",
        outcome_values(valid_id(seq=21), title="另一门课"),
        HTTP_IDEMPOTENCY_KEY="abc-2",
    )
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_conflict"
    assert Outcome.objects.count() == 1


def test_a_batch_is_all_or_nothing_with_each_problem_listed(client_with_key, learner):
    good = outcome_values(valid_id(seq=21))
    bad = outcome_values(valid_id(seq=21), hours="-3", completed_on="2099-01-01")
    response = post(client_with_key, "/api/v1/outcomes/batch", {"outcomes": [good, bad]})
    assert response.status_code == 400
    problems = response.json()["details"]
    assert {(p["row"], p["column"]) for p in problems} == {(2, "hours"), (2, "completed_on")}
    assert Outcome.objects.count() == 0
    ok = post(
        client_with_key,
        "/api/v1/outcomes/batch",
        {"outcomes": [good, good]},
        HTTP_IDEMPOTENCY_KEY="batch-1",
    )
    assert ok.status_code == 201 and ok.json()["count"] == 2


def test_an_unknown_learner_is_an_error_never_a_new_account(client_with_key, learner):
    response = post(client_with_key, "/api/v1/outcomes", outcome_values(valid_id(seq=99)))
    assert response.status_code == 400
    assert response.json()["code"] == "outcome.learner_not_found"


def test_a_name_that_does_not_match_the_account_is_refused(client_with_key, learner):
    response = post(
        client_with_key, "/api/v1/outcomes", outcome_values(valid_id(seq=21), name="王建")
    )
    assert response.status_code == 400
    assert response.json()["field"] == "name"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("hours", "-1"),
        ("hours", "99999"),
        ("completed_on", "2099-12-31"),
        ("completed_on", "2023-02-30"),
        ("result", "excellent-ish"),
        ("kind", "nap"),
        ("id_number", "110105194912310021"),
        ("evidence_url", "ftp://x"),
    ],
)
def test_bad_values_are_refused_naming_the_field(client_with_key, learner, field, value):
    response = post(
        client_with_key, "/api/v1/outcomes", outcome_values(valid_id(seq=21), **{field: value})
    )
    assert response.status_code == 400
    assert response.json()["field"] == field
    assert response.json()["message"]


def test_end_before_start_is_refused(client_with_key, learner):
    response = post(
        client_with_key,
        "/api/v1/outcomes",
        outcome_values(valid_id(seq=21), started_on="2023-07-01", completed_on="2023-06-30"),
    )
    assert response.status_code == 400 and response.json()["code"] == "outcome.end_before_start"


def test_unknown_properties_are_refused(client_with_key, learner):
    values = {**outcome_values(valid_id(seq=21)), "grade_point": "4"}
    response = post(client_with_key, "/api/v1/outcomes", values)
    assert response.status_code == 400
    assert response.json()["field"] == "outcome.grade_point"


def test_a_bad_or_revoked_key_gets_401(client, api_token, officer_actor, institution, learner):
    client.defaults["HTTP_AUTHORIZATION"] = "Bearer lc_deadbeef_wrong"
    assert post(client, "/api/v1/outcomes", {}).status_code == 401
    key, token = issue_api_key(officer_actor, institution, "old", ["outcomes:write"])
    revoke_api_key(officer_actor, key, reason="leaked")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    response = post(client, "/api/v1/outcomes", outcome_values(valid_id(seq=21)))
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_a_read_only_key_cannot_deposit(client, officer_actor, institution, learner):
    _key, token = issue_api_key(officer_actor, institution, "reader", ["outcomes:read"])
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    response = post(client, "/api/v1/outcomes", outcome_values(valid_id(seq=21)))
    assert response.status_code == 403


def test_an_institution_cannot_deposit_for_another_institution(
    client_with_key, learner, other_institution
):
    response = post(
        client_with_key, "/api/v1/outcomes?institution=XHEU", outcome_values(valid_id(seq=21))
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert Outcome.objects.count() == 0


def test_api_keys_are_stored_only_as_hashes(api_token):
    from learncity.institutions.models import ApiKey

    key = ApiKey.objects.get()
    assert api_token.split("_", 2)[2] not in (key.secret_hash + key.prefix)


def test_openapi_schema_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/outcomes" in response.json()["paths"]
