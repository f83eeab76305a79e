"""Verification through `POST /api/v1/verify` and VC-API `POST /credentials/verify`: LearnCity's
credentials, other issuers' (did:key, did:web with a supplied document, the 1EdTech examples),
and every bad input and fault the issue lists."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.test import Client

from learncity.credentials import build, didweb, multikey, services, vcjwt
from learncity.credentials.proofs import create_proof
from learncity.creditbank.services import revoke_outcome

from .published import read_json, signed

pytestmark = pytest.mark.django_db
NOW = datetime.now(UTC)


def post(path: str, body, content_type="application/json"):
    data = body if isinstance(body, str | bytes) else json.dumps(body, ensure_ascii=False)
    return Client().post(path, data=data, content_type=content_type)


def checks(body) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in body["checks"]:
        if found.get(item["check"]) != "failed":
            found[item["check"]] = item["result"]
    return found


def message(body, name: str) -> str:
    return " ".join(i["message"] for i in body["checks"] if i["check"] == name)


def foreign_credential(did: str, method: str, secret, **dates) -> dict:
    """An OB 3.0 credential of another issuer, signed by it."""
    issuer = build.Issuer(did, "Example College", "https://college.example/")
    subject = build.Subject("urn:uuid:0b6a1e7e-2a35-4c1e-9d8e-2f5f0b7e8c11", "X1", "Ada")
    level = build.Level("EQF", "https://college.example/eqf", 4, "4", 4)
    facts = build.Achievement(
        "urn:uuid:8f0e6a52-9b8e-4c7b-8b8a-3f1c1d2e3f40", "https://college.example/a/1", "Welding",
        "course", "W-1", "Example College", "https://college.example/", "vocational", "Vocational",
        level, __import__("decimal").Decimal(2), "pass", "pass", None, None,
        NOW.date(), "Passed the practical test.")
    unsigned = build.achievement_credential(
        issuer, subject, facts, dates.get("valid_from", NOW - timedelta(days=1)),
        dates.get("valid_until"))
    return create_proof(unsigned, secret, method, NOW - timedelta(days=1))


@pytest.fixture
def issued(recognition, learner_actor):
    return services.issue_for_recognition(learner_actor, recognition.pk)


def test_the_api_reports_a_learncity_credential_verified_check_by_check(issued):
    response = post("/api/v1/verify", issued.document)
    assert response.status_code == 200
    body = response.json()
    assert body["verified"] is True and body["type"] == "OpenBadgeCredential"
    assert set(checks(body)) == {"format", "contexts", "signature", "issuer_key", "validity",
                                 "status", "schema"}
    assert set(checks(body).values()) == {"passed"}


def test_the_vc_api_shape_verifies_both_formats(issued):
    for credential in (issued.document, issued.jwt):
        response = post("/credentials/verify", {"verifiableCredential": credential, "options": {}})
        assert response.status_code == 200, response.json()
        assert response.json()["verified"] and "signature" in response.json()["checks"]


def test_a_did_key_issuers_credential_verifies_without_any_document(db):
    secret = Ed25519PrivateKey.generate()
    did = multikey.did_key(secret.public_key())
    credential = foreign_credential(did, multikey.did_key_verification_method(
        secret.public_key()), secret)
    body = post("/api/v1/verify", credential).json()
    assert body["verified"], body


def test_a_did_web_issuer_needs_its_document_supplied_and_then_verifies(db):
    secret, did = Ed25519PrivateKey.generate(), "did:web:college.example"
    fragment = multikey.encode_public_key(secret.public_key())
    credential = foreign_credential(did, f"{did}#{fragment}", secret)
    alone = post("/api/v1/verify", credential).json()
    assert not alone["verified"] and checks(alone)["issuer_key"] == "failed"
    assert "https://college.example/.well-known/did.json" in message(alone, "issuer_key")
    document = didweb.did_document(did, [didweb.PublishedKey(fragment, fragment)])
    supplied = post("/api/v1/verify", {"verifiableCredential": credential,
                                       "didDocuments": [document]}).json()
    assert supplied["verified"], supplied


def test_a_supplied_document_cannot_speak_for_learncitys_did(issued):
    attacker = Ed25519PrivateKey.generate()
    did = issued.document["issuer"]["id"]
    fragment = multikey.encode_public_key(attacker.public_key())
    forged = create_proof({k: v for k, v in issued.document.items() if k != "proof"}, attacker,
                          f"{did}#{fragment}", NOW)
    fake = didweb.did_document(did, [didweb.PublishedKey(fragment, fragment)])
    body = post("/api/v1/verify", {"verifiableCredential": forged, "didDocuments": [fake]}).json()
    assert not body["verified"] and checks(body)["issuer_key"] == "failed"


@pytest.mark.parametrize("name", ["obv3p0", "clrv2p0"])
def test_the_published_1edtech_examples_verify_with_their_key_document(db, name):
    documents = list(read_json("keys-1edtech.json").values())
    body = post("/api/v1/verify", {"verifiableCredential": signed(name),
                                   "didDocuments": documents}).json()
    assert body["verified"], body
    if name == "clrv2p0":
        assert [e["verified"] for e in body["embedded"]] == [True]


# Bad input and faults -------------------------------------------------------------------------

def test_a_tampered_field_breaks_the_signature(issued):
    tampered = copy.deepcopy(issued.document)
    tampered["credentialSubject"]["creditsEarned"] = 30
    body = post("/api/v1/verify", tampered).json()
    assert not body["verified"] and checks(body)["signature"] == "failed"
    header, payload, signature = issued.jwt.split(".")
    claims = vcjwt.read_unverified(issued.jwt)[1]
    claims["credentialSubject"]["creditsEarned"] = 30
    forged = ".".join([header, __import__("base64").urlsafe_b64encode(
        json.dumps(claims).encode()).decode().rstrip("="), signature])
    body = post("/api/v1/verify", forged, "application/vc+jwt").json()
    assert not body["verified"] and checks(body)["signature"] == "failed"


def test_a_signature_by_the_wrong_key_fails(issued):
    unsigned = {k: v for k, v in issued.document.items() if k != "proof"}
    wrong = create_proof(unsigned, Ed25519PrivateKey.generate(),
                         issued.document["proof"]["verificationMethod"], NOW)
    body = post("/api/v1/verify", wrong).json()
    assert not body["verified"] and checks(body)["signature"] == "failed"
    assert "does not match" in message(body, "signature")


def test_an_unknown_context_is_refused_by_name_and_never_fetched(issued):
    changed = copy.deepcopy(issued.document)
    changed["@context"].append("https://evil.example/ob-redefined.json")
    body = post("/api/v1/verify", changed).json()
    assert not body["verified"] and checks(body)["contexts"] == "failed"
    assert "https://evil.example/ob-redefined.json" in message(body, "contexts")


def test_an_expired_credential_fails_its_validity_check(db):
    secret = Ed25519PrivateKey.generate()
    did = multikey.did_key(secret.public_key())
    expired = foreign_credential(did, multikey.did_key_verification_method(secret.public_key()),
                                 secret, valid_from=NOW - timedelta(days=400),
                                 valid_until=NOW - timedelta(days=1))
    body = post("/api/v1/verify", expired).json()
    assert not body["verified"] and checks(body)["validity"] == "failed"
    assert checks(body)["signature"] == "passed" and "expired on" in message(body, "validity")


def test_a_revoked_credential_fails_its_status_check(issued, recognition, officer_actor):
    revoke_outcome(officer_actor, recognition.outcome_id, reason="withdrawn by the university")
    body = post("/credentials/verify", {"verifiableCredential": issued.jwt})
    assert body.status_code == 400
    assert {"check": "status", "result": "failed", "message": "revoked"} in body.json()["errors"]


def test_malformed_json_is_a_clear_400(db):
    response = post("/api/v1/verify", '{"@context": ["https://www.w3.org/ns/credentials/v2",')
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["message"] and "line 1" in response.json()["message"]
    response = post("/credentials/verify", "[1, 2")
    assert response.status_code == 400 and not response.json()["verified"]


def test_oversized_input_is_refused_with_413(db):
    huge = json.dumps({"@context": [], "padding": "x" * (3 * 1024 * 1024)})
    assert post("/api/v1/verify", huge).status_code == 413
    assert post("/credentials/verify", huge).status_code == 413


@pytest.mark.parametrize("proof_type, suite", [
    ("Ed25519Signature2020", None), ("DataIntegrityProof", "ecdsa-rdfc-2019"),
    ("DataIntegrityProof", "bbs-2023"),
])
def test_an_unsupported_proof_suite_is_named_in_the_message(issued, proof_type, suite):
    changed = copy.deepcopy(issued.document)
    changed["proof"]["type"] = proof_type
    if suite:
        changed["proof"]["cryptosuite"] = suite
    else:
        changed["proof"].pop("cryptosuite")
    body = post("/api/v1/verify", changed).json()
    assert not body["verified"] and checks(body)["signature"] == "failed"
    assert (suite or proof_type) in message(body, "signature")
    assert "eddsa-rdfc-2022" in message(body, "signature")


def test_an_unsupported_jose_algorithm_is_named(issued):
    import base64

    header = base64.urlsafe_b64encode(json.dumps(
        {"alg": "ES256", "typ": "vc+jwt", "kid": "x"}).encode()).decode().rstrip("=")
    token = ".".join([header] + issued.jwt.split(".")[1:])
    body = post("/api/v1/verify", token, "text/plain").json()
    assert "ES256" in message(body, "signature") and not body["verified"]


def test_a_credential_without_a_proof_or_not_a_credential_at_all(issued):
    bare = {k: v for k, v in issued.document.items() if k != "proof"}
    assert "no proof" in message(post("/api/v1/verify", bare).json(), "signature")
    body = post("/api/v1/verify", {"@context": [], "type": ["Thing"]}).json()
    assert not body["verified"] and checks(body) == {"format": "failed"}


def test_another_issuers_status_list_is_used_when_supplied_and_never_fetched(db):
    from learncity.credentials import bitstring

    secret = Ed25519PrivateKey.generate()
    did = multikey.did_key(secret.public_key())
    method = multikey.did_key_verification_method(secret.public_key())
    list_url = "https://college.example/status/1"
    credential = foreign_credential(did, method, secret)
    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    unsigned["credentialStatus"] = bitstring.entry(list_url, "revocation", 42)
    credential = create_proof(unsigned, secret, method, NOW)
    alone = post("/api/v1/verify", credential).json()
    assert alone["verified"] and checks(alone)["status"] == "warning"
    assert "supply it" in message(alone, "status")
    status_list = create_proof(bitstring.list_credential(
        list_url, did, "revocation", bitstring.encode([42]), build.timestamp(NOW)),
        secret, method, NOW)
    supplied = post("/api/v1/verify", {"verifiableCredential": credential,
                                       "statusLists": [status_list]}).json()
    assert not supplied["verified"] and message(supplied, "status") == "revoked"


def test_programs_post_without_a_csrf_token(issued):
    client = Client(enforce_csrf_checks=True)
    for path in ("/api/v1/verify", "/credentials/verify"):
        response = client.post(path, json.dumps(issued.document), content_type="application/json")
        assert response.status_code == 200 and response.json()["verified"]
