"""The learner's credentials through the API (session), and staff changing a status."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(recognition, learner):
    client = Client()
    client.force_login(learner.user)
    return client


def test_the_learner_lists_downloads_bundles_and_shares_through_the_api(api):
    [listed] = api.get("/api/v1/credentials").json()
    assert listed["kind"] == "achievement" and listed["state"] == "active"
    document = api.get(listed["json_url"]).json()
    assert document["id"] == f"urn:uuid:{listed['uuid']}"
    assert api.get(listed["jwt_url"])["Content-Type"] == "application/vc+jwt"
    clr = api.post("/api/v1/credentials/clr", {"credentials": [listed["uuid"]]},
                   content_type="application/json")
    assert clr.status_code == 201 and clr.json()["kind"] == "clr"
    shared = api.post(f"/api/v1/credentials/{listed['uuid']}/share", {"days": 1},
                      content_type="application/json").json()
    assert shared["url"].startswith("http://testserver/credentials/shared/")
    assert Client().get(shared["url"]).json()["id"] == document["id"]
    too_long = api.post(f"/api/v1/credentials/{listed['uuid']}/share", {"days": 365},
                        content_type="application/json")
    assert too_long.status_code == 400 and too_long.json()["field"] == "days"


def test_staff_suspend_with_a_reason_and_learners_may_not(api, reviewer):
    [listed] = api.get("/api/v1/credentials").json()
    path = f"/api/v1/credentials/{listed['uuid']}/status"
    body = {"action": "suspend", "reason": "checking the certificate"}
    assert api.post(path, body, content_type="application/json").status_code == 403
    staff = Client()
    staff.force_login(reviewer)
    changed = staff.post(path, body, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["state"] == "suspended"
    no_reason = staff.post(path, {"action": "revoke", "reason": " "},
                           content_type="application/json")
    assert no_reason.status_code == 400
