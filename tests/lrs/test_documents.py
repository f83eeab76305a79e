"""State, activity profile and agent profile documents; Activities, Agents and About."""

from __future__ import annotations

import json

import pytest

from learncity.lrs.models import Document
from tests.lrs.conftest import statement

pytestmark = pytest.mark.django_db

AGENT = json.dumps({"objectType": "Agent", "mbox": "mailto:wang@example.com"})
STATE = {"activityId": "http://example.com/courses/python", "agent": AGENT, "stateId": "bookmark"}
PROFILE = {"activityId": "http://example.com/courses/python", "profileId": "settings"}


def etag(response) -> str:
    return response["ETag"]


def test_state_put_get_and_post_merges_json(xapi):
    assert xapi.put("activities/state", {"page": 3, "font": "large"}, STATE).status_code == 204
    assert xapi.post("activities/state", {"page": 4}, STATE).status_code == 204
    got = xapi.get("activities/state", STATE)
    assert json.loads(got.content) == {"page": 4, "font": "large"}
    assert etag(got).startswith('"') and len(etag(got)) == 42 and got["Last-Modified"]


def test_post_merge_refuses_non_json_documents(xapi):
    xapi.put("activities/state", b"plain", STATE, content_type="text/plain")
    assert xapi.post("activities/state", {"page": 1}, STATE).status_code == 400
    assert xapi.get("activities/state", STATE).content == b"plain"


def test_if_match_and_if_none_match_guard_writes(xapi):
    xapi.put("activities/profile", {"v": 1}, PROFILE, headers={"If-None-Match": "*"})
    current = etag(xapi.get("activities/profile", PROFILE))
    stale = {"If-Match": '"0000000000000000000000000000000000000000"'}
    assert xapi.put("activities/profile", {"v": 2}, PROFILE, headers=stale).status_code == 412
    assert (
        xapi.put(
            "activities/profile", {"v": 2}, PROFILE, headers={"If-None-Match": "*"}
        ).status_code
        == 412
    )
    assert xapi.put("activities/profile", {"v": 2}, PROFILE).status_code == 409
    assert (
        xapi.put("activities/profile", {"v": 2}, PROFILE, headers={"If-Match": current}).status_code
        == 204
    )
    assert xapi.delete("activities/profile", PROFILE, headers=stale).status_code == 412
    assert json.loads(xapi.get("activities/profile", PROFILE).content) == {"v": 2}


def test_profile_put_without_any_precondition_is_refused_in_1_0_3(xapi, xapi2):
    assert xapi.put("activities/profile", {"v": 1}, PROFILE).status_code == 400
    assert xapi2.put("activities/profile", {"v": 1}, PROFILE).status_code == 204
    # In 2.0 the State resource also wants a precondition to replace an existing document.
    xapi2.put("activities/state", {"v": 1}, STATE)
    assert xapi2.put("activities/state", {"v": 2}, STATE).status_code == 409
    assert xapi.put("activities/state", {"v": 2}, STATE).status_code == 204


def test_listing_ids_since_and_deleting_all_state(xapi):
    for state_id in ("a", "b"):
        xapi.put("activities/state", {"x": state_id}, {**STATE, "stateId": state_id})
    scope = {k: v for k, v in STATE.items() if k != "stateId"}
    assert sorted(json.loads(xapi.get("activities/state", scope).content)) == ["a", "b"]
    future = {**scope, "since": "2999-01-01T00:00:00Z"}
    assert json.loads(xapi.get("activities/state", future).content) == []
    assert xapi.delete("activities/state", scope).status_code == 204
    assert not Document.objects.exists()


def test_registration_separates_state_documents(xapi):
    registration = "6d969975-8d7e-4506-ac19-877c57f2921a"
    xapi.put("activities/state", {"x": 1}, {**STATE, "registration": registration})
    assert xapi.get("activities/state", STATE).status_code == 404


def test_agent_profile_wants_an_agent_not_a_group(xapi):
    group = json.dumps({"objectType": "Group", "mbox": "mailto:team@example.com"})
    params = {"agent": group, "profileId": "p"}
    assert (
        xapi.put("agents/profile", {"x": 1}, params, headers={"If-None-Match": "*"}).status_code
        == 400
    )
    params = {"agent": AGENT, "profileId": "p"}
    assert (
        xapi.put(
            "agents/profile",
            b"bytes",
            params,
            content_type="application/octet-stream",
            headers={"If-None-Match": "*"},
        ).status_code
        == 204
    )
    assert xapi.get("agents/profile", params).content == b"bytes"


def test_activities_merge_definitions_and_agents_return_a_person(xapi):
    first = statement(
        object={"id": "http://example.com/a", "definition": {"name": {"en-US": "meeting"}}}
    )
    second = statement(
        object={"id": "http://example.com/a", "definition": {"name": {"zh-CN": "会议"}}}
    )
    xapi.post("statements", [first, second])
    activity = json.loads(xapi.get("activities", {"activityId": "http://example.com/a"}).content)
    assert activity["definition"]["name"] == {"en-US": "meeting", "zh-CN": "会议"}
    unknown = json.loads(xapi.get("activities", {"activityId": "http://example.com/z"}).content)
    assert unknown == {"objectType": "Activity", "id": "http://example.com/z"}
    person = json.loads(xapi.get("agents", {"agent": AGENT}).content)
    assert person == {"objectType": "Person", "mbox": ["mailto:wang@example.com"]}


def test_about_needs_no_credentials_and_lists_both_versions(client):
    about = client.get("/xapi/about")
    assert about.status_code == 200
    assert json.loads(about.content)["version"] == ["1.0.3", "2.0.0"]
