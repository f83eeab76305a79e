"""The Statement resource through HTTP: storing, immutability, voiding, queries, pagination."""

from __future__ import annotations

import json
import uuid

import pytest

from learncity.audit.models import AuditEntry
from learncity.lrs.models import Statement
from tests.lrs.conftest import statement

pytestmark = pytest.mark.django_db

WANG = {"mbox": "mailto:wang@example.com"}


def stored_ids(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [s["id"] for s in json.loads(response.content)["statements"]]


def test_put_stores_a_statement_and_get_returns_it_with_lrs_properties(xapi):
    body = statement()
    response = xapi.put("statements", body, {"statementId": body["id"]})
    assert response.status_code == 204
    assert response["X-Experience-API-Version"] == "1.0.3"
    got = xapi.get("statements", {"statementId": body["id"]})
    data = json.loads(got.content)
    assert data["verb"] == body["verb"]
    assert data["version"] == "1.0.0"
    assert data["authority"]["account"]["name"] == xapi.key
    assert "stored" in data and data["timestamp"] == data["stored"]
    assert got["Last-Modified"] and got["X-Experience-API-Consistent-Through"]


def test_post_returns_ids_in_order_and_assigns_missing_ones(xapi):
    first, second = statement(), statement()
    del second["id"]
    ids = json.loads(xapi.post("statements", [first, second]).content)
    assert ids[0] == first["id"] and uuid.UUID(ids[1])
    assert AuditEntry.objects.filter(action="lrs.statements.store").count() == 1


def test_a_batch_with_one_bad_statement_stores_nothing(xapi):
    good, bad = statement(), statement(verb={"id": "not an IRI"})
    response = xapi.post("statements", [good, bad])
    assert response.status_code == 400
    assert "statement 2" in json.loads(response.content)["error"]["message"]
    assert not Statement.objects.exists()


def test_the_same_id_twice_in_one_batch_is_refused(xapi):
    body = statement()
    assert xapi.post("statements", [body, body]).status_code == 400


def test_statements_are_immutable_a_different_one_with_the_same_id_is_a_conflict(xapi):
    body = statement()
    xapi.post("statements", body)
    assert xapi.post("statements", body).status_code == 200  # the same again: nothing changes
    changed = {**body, "verb": {"id": "http://example.com/verbs/other"}}
    assert xapi.put("statements", changed, {"statementId": body["id"]}).status_code == 409
    data = json.loads(xapi.get("statements", {"statementId": body["id"]}).content)
    assert data["verb"]["id"] == body["verb"]["id"]


def test_duplicate_properties_in_json_are_refused(xapi):
    text = json.dumps(statement())[:-1] + ', "verb": {"id": "http://example.com/v"}}'
    assert xapi.post("statements", text).status_code == 400


def test_voiding_hides_the_statement_except_by_voided_statement_id(xapi):
    target = statement()
    xapi.post("statements", target)
    voiding = statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": target["id"]},
    )
    xapi.post("statements", voiding)
    assert xapi.get("statements", {"statementId": target["id"]}).status_code == 404
    assert xapi.get("statements", {"voidedStatementId": target["id"]}).status_code == 200
    # The voiding statement still matches a filter its target matches (StatementRef rule).
    ids = stored_ids(xapi.get("statements", {"agent": json.dumps(WANG)}))
    assert ids == [voiding["id"]]


def test_a_voiding_statement_that_arrives_first_voids_its_target_on_arrival(xapi):
    target = statement()
    voiding = statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": target["id"]},
    )
    xapi.post("statements", voiding)
    xapi.post("statements", target)
    assert xapi.get("statements", {"statementId": target["id"]}).status_code == 404


def test_filters_agent_verb_activity_registration_and_related(xapi):
    registration = str(uuid.uuid4())
    parent = {"id": "http://example.com/programmes/it"}
    a = statement(context={"registration": registration, "contextActivities": {"parent": parent}})
    b = statement(
        actor={"mbox": "mailto:li@example.com"},
        verb={"id": "http://adlnet.gov/expapi/verbs/attempted"},
        context={"instructor": WANG},
    )
    xapi.post("statements", [a, b])
    assert stored_ids(xapi.get("statements", {"agent": json.dumps(WANG)})) == [a["id"]]
    related = {"agent": json.dumps(WANG), "related_agents": "true"}
    assert set(stored_ids(xapi.get("statements", related))) == {a["id"], b["id"]}
    verb = {"verb": "http://adlnet.gov/expapi/verbs/attempted"}
    assert stored_ids(xapi.get("statements", verb)) == [b["id"]]
    assert stored_ids(xapi.get("statements", {"registration": registration})) == [a["id"]]
    assert stored_ids(xapi.get("statements", {"activity": parent["id"]})) == []
    broad = {"activity": parent["id"], "related_activities": "true"}
    assert stored_ids(xapi.get("statements", broad)) == [a["id"]]


def test_since_until_ascending_and_unknown_parameters(xapi):
    first, second = statement(), statement()
    xapi.post("statements", first)
    xapi.post("statements", second)
    stored = json.loads(xapi.get("statements", {"statementId": first["id"]}).content)["stored"]
    assert stored_ids(xapi.get("statements", {"since": stored})) == [second["id"]]
    assert stored_ids(xapi.get("statements", {"until": stored})) == [first["id"]]
    ascending = stored_ids(xapi.get("statements", {"ascending": "true"}))
    assert ascending == [first["id"], second["id"]]
    assert xapi.get("statements", {"Agent": json.dumps(WANG)}).status_code == 400
    assert xapi.get("statements", {"statementId": first["id"], "limit": "1"}).status_code == 400


def test_more_links_page_through_and_ignore_statements_stored_meanwhile(xapi):
    batch = [statement() for _ in range(5)]
    xapi.post("statements", batch)
    seen, page = [], json.loads(xapi.get("statements", {"limit": 2}).content)
    xapi.post("statements", [statement() for _ in range(3)])  # stored while paging
    while True:
        seen += [s["id"] for s in page["statements"]]
        if not page["more"]:
            break
        path = page["more"].removeprefix("/xapi/")
        page = json.loads(xapi.client.get("/xapi/" + path, **xapi._headers(None)).content)
    assert seen == [s["id"] for s in reversed(batch)]


def test_format_ids_keeps_identifiers_and_canonical_one_language(xapi):
    body = statement(
        object={
            "id": "http://example.com/a",
            "definition": {"name": {"en-US": "Python", "zh-CN": "Python 编程"}},
        }
    )
    xapi.post("statements", body)
    ids = json.loads(xapi.get("statements", {"statementId": body["id"], "format": "ids"}).content)
    assert ids["object"] == {"id": "http://example.com/a"}
    assert ids["actor"] == {"objectType": "Agent", "mbox": "mailto:wang@example.com"}
    canonical = xapi.get(
        "statements",
        {"statementId": body["id"], "format": "canonical"},
        headers={"Accept-Language": "zh-CN"},
    )
    assert json.loads(canonical.content)["object"]["definition"]["name"] == {"zh-CN": "Python 编程"}


def test_head_answers_like_get_without_a_body(xapi):
    response = xapi.request("HEAD", "statements")
    assert response.status_code == 200 and response.content == b""


def test_version_header_is_required_and_checked(xapi):
    xapi.version = None
    assert xapi.get("statements").status_code == 400
    xapi.version = "1.1.0"
    assert xapi.get("statements").status_code == 400
    assert xapi.client.get("/xapi/about").status_code == 200


def test_bad_credentials_are_401_and_missing_scope_403(xapi, reader):
    xapi.auth = "Basic " + "eDp5"  # x:y
    assert xapi.get("statements").status_code == 401
    assert reader.get("statements").status_code == 200
    assert reader.post("statements", statement()).status_code == 403


def test_alternate_request_syntax_is_for_1_0_3_only(xapi, xapi2):
    body = statement()
    form = {
        "content": json.dumps(body),
        "statementId": body["id"],
        "X-Experience-API-Version": "1.0.3",
        "Authorization": xapi.auth,
    }
    client = xapi.client
    from urllib.parse import urlencode

    response = client.post(
        "/xapi/statements?method=PUT",
        urlencode(form),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 204
    form["X-Experience-API-Version"] = "2.0.0"
    response = client.post(
        "/xapi/statements?method=PUT",
        urlencode(form),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400


def test_2_0_timestamps_come_back_in_utc_and_keep_their_version(xapi2):
    body = statement(timestamp="2023-05-04T12:00:00-05:00", version="2.0.0")
    xapi2.post("statements", body)
    data = json.loads(xapi2.get("statements", {"statementId": body["id"]}).content)
    assert data["timestamp"] == "2023-05-04T17:00:00.000Z" and data["version"] == "2.0.0"


def test_requests_larger_than_allowed_are_413(xapi, settings):
    settings.LRS_MAX_BODY_BYTES = 100
    assert xapi.post("statements", [statement(), statement()]).status_code == 413


def test_courses_on_other_origins_may_call_the_lrs(xapi, client):
    preflight = client.options("/xapi/statements")
    assert preflight.status_code == 204
    assert "X-Experience-API-Version" in preflight["Access-Control-Allow-Headers"]
    refused = client.get("/xapi/statements", HTTP_X_EXPERIENCE_API_VERSION="1.0.3")
    assert refused.status_code == 401 and refused["WWW-Authenticate"].startswith("Basic")
    assert "ETag" in xapi.get("statements")["Access-Control-Expose-Headers"]
