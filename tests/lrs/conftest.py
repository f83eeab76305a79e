"""LRS fixtures: credentials and an xAPI client that sends Basic auth and the version header."""

from __future__ import annotations

import base64
import json
import uuid
from urllib.parse import urlencode

import pytest
from django.test import Client

from learncity.lrs.credentials import create_credential


def statement(**overrides) -> dict:
    """A small valid statement; keyword arguments replace top-level properties."""
    body = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "mbox": "mailto:wang@example.com", "name": "王建国"},
        "verb": {
            "id": "http://adlnet.gov/expapi/verbs/completed",
            "display": {"en-US": "completed"},
        },
        "object": {
            "id": "http://example.com/courses/python",
            "objectType": "Activity",
            "definition": {"name": {"en-US": "Python basics"}},
        },
    }
    body.update(overrides)
    return body


class XapiClient:
    """A Django test client speaking xAPI: JSON bodies, query dicts, one version per client."""

    def __init__(self, key: str, secret: str, version: str = "1.0.3"):
        self.client = Client()
        self.key = key
        self.version = version
        self.auth = "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()

    def _headers(self, headers: dict | None) -> dict:
        out = {"HTTP_AUTHORIZATION": self.auth}
        if self.version:
            out["HTTP_X_EXPERIENCE_API_VERSION"] = self.version
        for name, value in (headers or {}).items():
            if value is None:
                out.pop("HTTP_" + name.upper().replace("-", "_"), None)
            else:
                out["HTTP_" + name.upper().replace("-", "_")] = value
        return out

    def request(
        self,
        method: str,
        path: str,
        params: dict | None = None,
        body=None,
        content_type: str = "application/json",
        headers: dict | None = None,
    ):
        url = "/xapi/" + path + ("?" + urlencode(params) if params else "")
        if body is not None and not isinstance(body, bytes | str):
            body = json.dumps(body)
        call = getattr(self.client, method.lower())
        if method.upper() in ("GET", "HEAD", "DELETE") and body is None:
            return call(url, **self._headers(headers))
        return call(url, body or b"", content_type=content_type, **self._headers(headers))

    def get(self, path, params=None, **kw):
        return self.request("GET", path, params, **kw)

    def post(self, path, body=None, params=None, **kw):
        return self.request("POST", path, params, body, **kw)

    def put(self, path, body=None, params=None, **kw):
        return self.request("PUT", path, params, body, **kw)

    def delete(self, path, params=None, **kw):
        return self.request("DELETE", path, params, **kw)


@pytest.fixture
def credential_pair(system, institution):
    return create_credential(system, institution, "test platform", ["read", "write"])


@pytest.fixture
def xapi(credential_pair):
    credential, secret = credential_pair
    return XapiClient(credential.key, secret, "1.0.3")


@pytest.fixture
def xapi2(credential_pair):
    credential, secret = credential_pair
    return XapiClient(credential.key, secret, "2.0.0")


@pytest.fixture
def reader(system, institution):
    credential, secret = create_credential(system, institution, "dashboard", ["read"])
    return XapiClient(credential.key, secret)
