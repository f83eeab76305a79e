"""did:web with key rotation, sealed keys, and revocation/suspension through status lists."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.exceptions import InvalidTag
from django.test import Client

from learncity.credentials import bitstring, keys, services
from learncity.credentials.checking import verify_submission
from learncity.credentials.models import IssuerKey
from learncity.creditbank.services import revoke_outcome
from learncity.errors import PermissionDenied

pytestmark = pytest.mark.django_db


def _check(report, name):
    return [i for i in report.items if i.name == name]


def test_the_did_document_is_served_at_well_known_with_the_signing_key(recognition, learner_actor):
    issued = services.issue_for_recognition(learner_actor, recognition.pk)
    response = Client().get("/.well-known/did.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/did+json"
    document = response.json()
    method = issued.document["proof"]["verificationMethod"]
    assert document["id"] == issued.document["issuer"]["id"] == method.partition("#")[0]
    assert method in document["assertionMethod"]


def test_after_rotation_old_credentials_still_verify_and_new_ones_use_the_new_key(
    recognition, learner_actor, system, institution, learner
):
    from .helpers import recognised

    old = services.issue_for_recognition(learner_actor, recognition.pk)
    new_key = keys.rotate(system, reason="yearly rotation")
    second = services.issue_for_recognition(
        learner_actor, recognised(system, institution, code="SOU-PA-7").pk)
    assert second.document["proof"]["verificationMethod"] == new_key.verification_method
    assert old.document["proof"]["verificationMethod"] != new_key.verification_method
    document = Client().get("/.well-known/did.json").json()
    assert len(document["verificationMethod"]) == 2
    assert verify_submission(old.document).verified and verify_submission(old.jwt).verified
    assert verify_submission(second.document).verified


def test_a_withdrawn_key_verifies_nothing_any_more(recognition, learner_actor, system):
    issued = services.issue_for_recognition(learner_actor, recognition.pk)
    keys.withdraw(system, issued.issuer_key.fragment, reason="key leaked")
    report = verify_submission(issued.document)
    assert not report.verified and _check(report, "issuer_key")[0].outcome == "failed"


def test_only_an_administrator_rotates_keys(learner_actor):
    with pytest.raises(PermissionDenied):
        keys.rotate(learner_actor)


def test_private_keys_are_sealed_and_open_only_with_the_data_key(recognition, learner_actor,
                                                                 monkeypatch):
    issued = services.issue_for_recognition(learner_actor, recognition.pk)
    key = IssuerKey.objects.get(pk=issued.issuer_key_id)
    seed = keys.private_key(key).private_bytes_raw()
    assert base64.b64encode(seed).decode() not in key.sealed_private_key
    assert seed.hex() not in key.sealed_private_key
    monkeypatch.setenv("LEARNCITY_DATA_KEY", base64.b64encode(b"\x01" * 32).decode())
    keys.reset_cache()
    try:
        with pytest.raises(InvalidTag):
            keys.open_sealed(key.sealed_private_key, key.public_key_multibase)
    finally:
        monkeypatch.undo()
        keys.reset_cache()


def _bit(list_url: str, index: int, client: Client) -> bool:
    path = "/" + list_url.split("/", 3)[3]
    status_list = client.get(path).json()
    assert verify_submission(status_list).verified
    return bitstring.is_set(bitstring.decode(status_list["credentialSubject"]["encodedList"]),
                            index)


def test_revoking_the_outcome_revokes_its_credential_in_the_served_status_list(
    recognition, learner_actor, officer_actor
):
    issued = services.issue_for_recognition(learner_actor, recognition.pk)
    revocation = issued.document["credentialStatus"][0]
    client = Client()
    assert not _bit(revocation["statusListCredential"], int(revocation["statusListIndex"]), client)
    revoke_outcome(officer_actor, recognition.outcome_id, reason="certificate withdrawn")
    issued.refresh_from_db()
    assert issued.state == "revoked"
    assert _bit(revocation["statusListCredential"], int(revocation["statusListIndex"]), client)
    report = verify_submission(issued.document)
    assert not report.verified
    assert [i.message for i in _check(report, "status")] == ["revoked", "not suspended"]


def test_suspension_can_be_lifted_but_revocation_is_final(recognition, learner_actor, reviewer):
    from learncity.access import actor_for_user

    staff = actor_for_user(reviewer)
    issued = services.issue_for_recognition(learner_actor, recognition.pk)
    services.set_suspended(staff, issued.uuid, True, reason="under investigation")
    assert "suspended" in [i.message for i in verify_submission(issued.jwt).items]
    services.set_suspended(staff, issued.uuid, False, reason="cleared")
    assert verify_submission(issued.jwt).verified
    services.revoke(staff, issued.uuid, reason="fraud")
    from learncity.errors import Conflict

    with pytest.raises(Conflict):
        services.set_suspended(staff, issued.uuid, False, reason="undo?")


def test_status_lists_are_large_enough_to_hide_who_is_checked(recognition, learner_actor):
    issued = services.issue_for_recognition(learner_actor, recognition.pk)
    url = issued.document["credentialStatus"][1]["statusListCredential"]
    body = Client().get("/" + url.split("/", 3)[3]).json()
    bits = bitstring.decode(body["credentialSubject"]["encodedList"])
    assert len(bits) * 8 >= 131_072 and body["credentialSubject"]["statusPurpose"] == "suspension"
    assert json.loads(json.dumps(body))["type"][-1] == "BitstringStatusListCredential"


def test_an_unknown_status_list_is_not_found(db):
    assert Client().get("/credentials/status/99/revocation").status_code == 404


def test_a_decision_replaced_on_appeal_has_its_credential_revoked(
    recognition, learner_actor, reviewer
):
    from learncity.access import actor_for_user
    from learncity.creditbank.services import appeal, decide_recognition

    issued = services.issue_for_recognition(learner_actor, recognition.pk)
    new = appeal(learner_actor, recognition.pk, reason="my hours were 96, not 48",
                 evidence_url="https://sou.example/e/2.pdf")
    assert verify_submission(issued.document).verified  # still in force while appealed
    decide_recognition(actor_for_user(reviewer), new.pk, approve=True, reason="96 hours",
                       level=5, category="academic", credits=6)
    issued.refresh_from_db()
    assert issued.state == "revoked" and "appeal" in issued.status_reason
    replacement = services.issue_for_recognition(learner_actor, new.pk)
    assert replacement.document["credentialSubject"]["creditsEarned"] == 6
    assert verify_submission(replacement.document).verified


def test_the_management_commands_issue_and_rotate(recognition, capsys):
    from django.core.management import call_command

    call_command("credentials_issue")
    assert "Issued 1 credential" in capsys.readouterr().out
    call_command("credentials_keys", "rotate", "--reason", "yearly")
    out = capsys.readouterr().out
    assert out.count("did:web:") == 3 and "retired" in out and "signs" in out
