"""Attachments in multipart/mixed, and signed statements (JWS with RS256)."""

from __future__ import annotations

import base64
import copy
import hashlib
import json

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from learncity.lrs import multipart
from learncity.lrs.models import AttachmentPayload
from tests.lrs.conftest import statement

pytestmark = pytest.mark.django_db
SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"


def attachment(
    data: bytes,
    usage: str = "http://example.com/usage/certificate",
    content_type: str = "text/plain",
) -> dict:
    return {
        "usageType": usage,
        "display": {"en-US": "certificate"},
        "contentType": content_type,
        "length": len(data),
        "sha2": hashlib.sha256(data).hexdigest(),
    }


def body_of(first: dict | list, parts: list[tuple[bytes, str]], boundary: str = "b0undary"):
    out = [
        f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(),
        json.dumps(first).encode(),
    ]
    for data, content_type in parts:
        sha2 = hashlib.sha256(data).hexdigest()
        out += [
            f"\r\n--{boundary}\r\nContent-Type: {content_type}\r\n"
            f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {sha2}\r\n\r\n".encode(),
            data,
        ]
    out.append(f"\r\n--{boundary}--".encode())
    return b"".join(out), f'multipart/mixed; boundary="{boundary}"'


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def jws(payload: dict, key, alg: str = "RS256") -> bytes:
    signing_input = f"{b64(json.dumps({'alg': alg}).encode())}.{b64(json.dumps(payload).encode())}"
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{b64(signature)}".encode()


def test_attachment_data_is_stored_once_and_returned_with_attachments_true(xapi):
    data = "一张证书".encode()
    body = statement(attachments=[attachment(data)])
    request, content_type = body_of(body, [(data, "text/plain")])
    assert xapi.post("statements", request, content_type=content_type).status_code == 200
    again = statement(attachments=[attachment(data)])
    request, content_type = body_of(again, [(data, "text/plain")])
    xapi.post("statements", request, content_type=content_type)
    assert AttachmentPayload.objects.count() == 1
    response = xapi.get("statements", {"statementId": body["id"], "attachments": "true"})
    assert response["Content-Type"].startswith("multipart/mixed")
    parts = multipart.parse(response.content, response["Content-Type"])
    assert json.loads(parts[0].body)["id"] == body["id"]
    assert parts[1].body == data
    plain = xapi.get("statements", {"statementId": body["id"]})
    assert plain["Content-Type"] == "application/json"


def test_attachments_without_data_or_file_url_are_refused(xapi):
    data = b"essay"
    body = statement(attachments=[attachment(data)])
    assert xapi.post("statements", body).status_code == 400  # JSON: the data cannot come along
    with_url = statement(attachments=[{**attachment(data), "fileUrl": "http://example.com/e"}])
    assert xapi.post("statements", with_url).status_code == 200
    request, content_type = body_of(body, [(b"other data", "text/plain")])
    assert xapi.post("statements", request, content_type=content_type).status_code == 400


def test_a_part_without_binary_transfer_encoding_is_refused(xapi):
    data = b"essay"
    request, content_type = body_of(statement(attachments=[attachment(data)]), [(data, "x/y")])
    request = request.replace(
        b"Content-Transfer-Encoding: binary", b"Content-Transfer-Encoding: 7bit"
    )
    assert xapi.post("statements", request, content_type=content_type).status_code == 400


def test_signed_statements_must_match_their_signature(xapi):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    body = statement()
    token = jws(body, key)
    signed = {
        **copy.deepcopy(body),
        "attachments": [attachment(token, SIGNATURE, "application/octet-stream")],
    }
    request, content_type = body_of(signed, [(token, "application/octet-stream")])
    assert xapi.post("statements", request, content_type=content_type).status_code == 200
    tampered = statement()
    token = jws({**tampered, "verb": {"id": "http://example.com/verbs/other"}}, key)
    signed = {**tampered, "attachments": [attachment(token, SIGNATURE, "application/octet-stream")]}
    request, content_type = body_of(signed, [(token, "application/octet-stream")])
    response = xapi.post("statements", request, content_type=content_type)
    assert response.status_code == 400
    assert "signed statement" in json.loads(response.content)["error"]["message"]
    not_jws = b"this is not a JWS"
    signed = {
        **statement(),
        "attachments": [attachment(not_jws, SIGNATURE, "application/octet-stream")],
    }
    request, content_type = body_of(signed, [(not_jws, "application/octet-stream")])
    assert xapi.post("statements", request, content_type=content_type).status_code == 400
