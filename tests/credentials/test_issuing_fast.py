"""What the faster issuing and verifying paths keep: the key read at once after a rotation or
withdrawal, a revocation seen by the next verification, unique status positions, one audit
entry per credential, and the batch API giving what one-by-one issuing gives."""

from __future__ import annotations

import pytest
from django.utils import timezone

from learncity.audit.models import AuditEntry
from learncity.credentials import keys, services, statuslists
from learncity.credentials.checking import verify_submission
from learncity.credentials.models import IssuedCredential, IssuerKey
from learncity.errors import NotFound, PermissionDenied

from .helpers import recognised

pytestmark = pytest.mark.django_db


def _status(report):
    return [i.message for i in report.items if i.name == "status"]


def _more(system, institution, n):
    return [recognised(system, institution, code=f"SOU-PA-{10 + i}") for i in range(n)]


def test_a_rotation_made_elsewhere_signs_the_next_credential(
    recognition, learner_actor, system, institution
):
    first = services.issue_for_recognition(learner_actor, recognition.pk)
    assert keys.active_key().pk == first.issuer_key_id  # now kept by this process
    # another process rotates: only the database changes, nothing this process holds
    IssuerKey.objects.update(retired_at=timezone.now())
    new = keys._create(keys.issuer_did())
    second = services.issue_for_recognition(
        learner_actor, recognised(system, institution, code="SOU-PA-7").pk)
    assert second.issuer_key_id == new.pk
    assert second.document["proof"]["verificationMethod"] == new.verification_method
    assert verify_submission(first.document).verified and verify_submission(second.jwt).verified


def test_a_withdrawal_made_elsewhere_counts_for_signing_and_verifying_at_once(
    recognition, learner_actor, system, institution
):
    issued = services.issue_for_recognition(learner_actor, recognition.pk)
    assert verify_submission(issued.document).verified
    IssuerKey.objects.filter(pk=issued.issuer_key_id).update(
        withdrawn_at=timezone.now(), retired_at=timezone.now())
    assert not verify_submission(issued.document).verified
    from learncity.errors import Conflict

    with pytest.raises(Conflict):  # no key left that may sign: none is made silently
        services.issue_for_recognition(
            learner_actor, recognised(system, institution, code="SOU-PA-7").pk)


def test_a_revocation_is_reported_by_the_very_next_verification(recognition, learner_actor,
                                                                reviewer):
    from learncity.access import actor_for_user

    issued = services.issue_for_recognition(learner_actor, recognition.pk)
    assert verify_submission(issued.document).verified
    assert verify_submission(issued.jwt).verified
    services.revoke(actor_for_user(reviewer), issued.uuid, reason="fraud")
    assert _status(verify_submission(issued.document)) == ["revoked", "not suspended"]
    assert _status(verify_submission(issued.jwt)) == ["revoked", "not suspended"]


def test_a_suspension_made_elsewhere_is_reported_at_once(recognition, learner_actor):
    issued = services.issue_for_recognition(learner_actor, recognition.pk)
    assert verify_submission(issued.document).verified
    IssuedCredential.objects.filter(pk=issued.pk).update(suspended=True)
    assert _status(verify_submission(issued.document)) == ["not revoked", "suspended"]
    IssuedCredential.objects.filter(pk=issued.pk).update(suspended=False)
    assert verify_submission(issued.document).verified


def test_a_credential_is_issued_in_few_queries(recognition, learner_actor,
                                               django_assert_max_num_queries, system,
                                               institution):
    services.issue_for_recognition(learner_actor, recognition.pk)  # makes the key
    keys.issuer_did(), keys.active_key()  # read once per process
    other = recognised(system, institution, code="SOU-PA-7")
    # recognition, transaction, position, key, savepoint, insert, release, audit, commit
    with django_assert_max_num_queries(9):
        issued = services.issue_for_recognition(learner_actor, other.pk)
    with django_assert_max_num_queries(3):  # DID document, status row (+ issuer DID if new)
        assert verify_submission(issued.document).verified


def test_a_full_list_is_left_for_the_next_and_positions_stay_unique(
    recognition, learner_actor, system, institution, monkeypatch
):
    monkeypatch.setattr(statuslists, "FILL", 2)
    monkeypatch.setattr(statuslists, "RECOUNT_EVERY", 1)
    issued = services.issue_for_recognitions(
        learner_actor, [recognition.pk, *(r.pk for r in _more(system, institution, 4))])
    lists = [i.status_list for i in issued]
    assert lists == sorted(lists) and lists[0] == 1 and lists[-1] == 3
    assert all(lists.count(n) <= 2 for n in set(lists))
    positions = {(i.status_list, i.status_index) for i in issued}
    assert len(positions) == 5
    for credential in issued:
        entries = credential.document["credentialStatus"]
        assert {e["statusListIndex"] for e in entries} == {str(credential.status_index)}
        assert all(e["statusListCredential"].endswith(
            f"/credentials/status/{credential.status_list}/{e['statusPurpose']}") for e in entries)


def test_a_taken_index_is_never_given_twice(recognition, learner_actor, monkeypatch):
    first = services.issue_for_recognition(learner_actor, recognition.pk)
    free = (first.status_index + 1) % statuslists.LIST_SIZE
    n = statuslists.CANDIDATES
    draws = iter([first.status_index] * n + [first.status_index, free] * n)
    monkeypatch.setattr(statuslists.secrets, "randbelow", lambda n: next(draws))
    assert statuslists.allocate() == (first.status_list, free)


def test_the_batch_gives_what_one_by_one_issuing_gives(
    recognition, learner_actor, system, institution, django_assert_max_num_queries
):
    recognitions = [recognition, *_more(system, institution, 3)]
    single = services.issue_for_recognition(learner_actor, recognitions[1].pk)
    ids = [r.pk for r in reversed(recognitions)]
    batch = services.issue_for_recognitions(learner_actor, ids)
    assert [c.recognition_id for c in batch] == ids
    assert batch[2].pk == single.pk  # the one already issued is returned, not issued again
    assert IssuedCredential.objects.filter(kind="achievement").count() == 4
    assert AuditEntry.objects.filter(action="credential.issue.achievement").count() == 4
    for credential in batch:
        assert credential.pk and credential.document["credentialSubject"]["achievement"]
        assert verify_submission(credential.document).verified
        assert verify_submission(credential.jwt).verified
    assert len({c.document["id"] for c in batch}) == 4
    with django_assert_max_num_queries(3):  # all issued already: read, not issued again
        again = services.issue_for_recognitions(learner_actor, ids)
    assert [c.pk for c in again] == [c.pk for c in batch]


def test_the_batch_checks_every_recognition_before_issuing(
    recognition, learner_actor, make_learner, system, institution
):
    from learncity.access import actor_for_user

    stranger = actor_for_user(make_learner(name="李四").user)
    with pytest.raises(PermissionDenied):
        services.issue_for_recognitions(stranger, [recognition.pk])
    with pytest.raises(NotFound):
        services.issue_for_recognitions(learner_actor, [recognition.pk, 987654])
    assert not IssuedCredential.objects.exists()


def test_the_batch_signs_with_the_key_active_after_a_rotation(
    recognition, learner_actor, system, institution, monkeypatch
):
    monkeypatch.setattr(services, "BATCH", 2)
    recognitions = [recognition, *_more(system, institution, 3)]
    services.issue_for_recognition(learner_actor, recognitions[0].pk)
    new_key = keys.rotate(system, reason="yearly")
    batch = services.issue_for_recognitions(learner_actor, [r.pk for r in recognitions])
    assert [c.issuer_key_id == new_key.pk for c in batch] == [False, True, True, True]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_clash_rolls_back_whole_and_issues_once_more(
    recognition, learner_actor, system, institution, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.issue_for_recognition(learner_actor, recognition.pk)  # makes the key
    second = recognised(system, institution, code="SOU-PA-8")
    with CaptureQueriesContext(connection) as queries:
        first = services.issue_for_recognition(learner_actor, second.pk)
    assert not [q for q in queries.captured_queries if "SAVEPOINT" in q["sql"].upper()]
    other = recognised(system, institution, code="SOU-PA-7")
    real, calls = statuslists.allocate, []

    def clashing():  # another process took this position between the check and the insert
        calls.append(1)
        return (first.status_list, first.status_index) if len(calls) == 1 else real()

    monkeypatch.setattr(statuslists, "allocate", clashing)
    issued = services.issue_for_recognition(learner_actor, other.pk)
    assert len(calls) == 2
    assert (issued.status_list, issued.status_index) != (first.status_list, first.status_index)
    assert IssuedCredential.objects.count() == 3
    assert AuditEntry.objects.filter(action="credential.issue.achievement").count() == 3
    assert verify_submission(issued.document).verified
