"""Issuing OB 3.0 credentials per recognised outcome and CLR 2.0 records of the archive."""

from __future__ import annotations

import json

import pytest

from learncity.audit.models import AuditEntry
from learncity.credentials import services, vcjwt
from learncity.credentials.checking import verify_submission
from learncity.credentials.models import IssuedCredential
from learncity.errors import PermissionDenied, ValidationFailed

from ..conftest import valid_id

pytestmark = pytest.mark.django_db


def test_a_recognised_outcome_gets_an_open_badge_with_its_achievement_and_credits(
    recognition, learner_actor
):
    issued = services.issue_for_recognition(learner_actor, recognition.pk)
    vc = issued.document
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert vc["issuer"]["id"].startswith("did:web:") and vc["issuer"]["type"] == ["Profile"]
    achievement = vc["credentialSubject"]["achievement"]
    assert achievement["name"] == "公共管理导论" and achievement["achievementType"] == "Course"
    assert achievement["creditsAvailable"] == 3 and vc["credentialSubject"]["creditsEarned"] == 3
    assert "学历教育" in achievement["fieldOfStudy"]
    assert achievement["criteria"]["narrative"].count("SOU-PA@1") == 2
    frameworks = {a["targetFramework"]: a["targetCode"] for a in achievement["alignment"]}
    assert frameworks["European Qualifications Framework"] == "5" and "5" in frameworks.values()
    assert vc["credentialSubject"]["result"][0]["value"] == "86"
    assert vc["evidence"][0]["id"] == "https://sou.example/e/1.pdf"
    assert vc["validFrom"] < vc["validUntil"]
    assert [s["statusPurpose"] for s in vc["credentialStatus"]] == ["revocation", "suspension"]


def test_no_identity_number_ever_appears_in_a_credential(recognition, learner_actor, learner):
    issued = services.issue_for_recognition(learner_actor, recognition.pk)
    clear_number = valid_id(seq=21)
    assert clear_number not in json.dumps(issued.document, ensure_ascii=False)
    assert clear_number not in json.dumps(vcjwt.read_unverified(issued.jwt), ensure_ascii=False)
    subject = issued.document["credentialSubject"]
    assert subject["id"].startswith("urn:uuid:") and learner.learner_no not in subject["id"]
    assert {"identityHash": learner.learner_no, "identityType": "accountId"}.items() <= \
        subject["identifier"][0].items()


def test_both_formats_verify_check_by_check(recognition, learner_actor):
    issued = services.issue_for_recognition(learner_actor, recognition.pk)
    for submitted in (issued.document, issued.jwt):
        report = verify_submission(submitted)
        assert report.verified, report.as_dict()
        assert [i.name for i in report.items] == [
            "format", "contexts", "signature", "issuer_key", "validity", "status", "status",
            "schema"]
    assert verify_submission(issued.jwt).format == "vc-jwt"


def test_issuing_twice_returns_the_same_credential_and_is_audited(recognition, learner_actor):
    first = services.issue_for_recognition(learner_actor, recognition.pk)
    assert services.issue_for_recognition(learner_actor, recognition.pk).pk == first.pk
    assert AuditEntry.objects.filter(action="credential.issue.achievement").count() == 1


def test_only_the_learner_or_the_credit_bank_may_issue(recognition, make_learner):
    from learncity.access import actor_for_user

    stranger = actor_for_user(make_learner(name="李四").user)
    with pytest.raises(PermissionDenied):
        services.issue_for_recognition(stranger, recognition.pk)


def test_a_clr_bundles_the_signed_credentials_with_associations_and_verifies_each(
    recognition, learner_actor, learner, system, institution
):
    from .helpers import recognised

    recognised(system, institution, code="SOU-PA-102", title="行政法")
    issued = services.issue_missing(learner_actor, learner)
    assert len(issued) == 2
    clr = services.issue_clr(learner_actor, learner)
    subject = clr.document["credentialSubject"]
    assert clr.document["type"] == ["VerifiableCredential", "ClrCredential"]
    assert len(subject["verifiableCredential"]) == 2 and len(subject["achievement"]) == 2
    assert subject["association"][0]["associationType"] == "isPeerOf"
    report = verify_submission(clr.document)
    assert report.verified and len(report.embedded) == 2
    assert all(e.verified for e in report.embedded)
    assert services.issue_clr(learner_actor, learner).pk == clr.pk  # unchanged archive: reused


def test_a_clr_of_a_selection_holds_only_the_chosen(recognition, learner_actor, learner, system,
                                                    institution):
    from .helpers import recognised

    recognised(system, institution, code="SOU-PA-102", title="行政法")
    first, _second = services.issue_missing(learner_actor, learner)
    clr = services.issue_clr(learner_actor, learner, [first.uuid])
    [only] = clr.document["credentialSubject"]["verifiableCredential"]
    assert only["id"] == f"urn:uuid:{first.uuid}"


def test_a_clr_of_nothing_is_refused_with_a_reason(learner_actor, learner):
    with pytest.raises(ValidationFailed):
        services.issue_clr(learner_actor, learner)
    assert not IssuedCredential.objects.exists()


def test_a_clr_fails_when_an_embedded_credential_is_revoked(recognition, learner_actor, learner,
                                                            officer_actor):
    from learncity.creditbank.services import revoke_outcome

    services.issue_missing(learner_actor, learner)
    clr = services.issue_clr(learner_actor, learner)
    revoke_outcome(officer_actor, recognition.outcome_id, reason="withdrawn")
    report = verify_submission(clr.document)
    assert not report.verified and report.outcome_of("signature") == "passed"
    assert report.outcome_of("embedded") == "failed"
    assert report.embedded[0].outcome_of("status") == "failed"
