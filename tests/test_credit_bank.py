"""Recognition on deposit, reviewers' decisions, appeals, revocation and the ledger."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from learncity.access import actor_for_user
from learncity.creditbank import engine, ledger
from learncity.creditbank.models import LedgerEntry, Recognition, RecognitionStandard
from learncity.creditbank.selectors import balance
from learncity.creditbank.services import (
    appeal,
    decide_recognition,
    publish_standard,
    revoke_outcome,
)
from learncity.creditbank.standards_file import export_standards, import_standards
from learncity.errors import Conflict, PermissionDenied, ValidationFailed
from learncity.framework.loader import load_framework
from learncity.records.services import deposit_outcomes

from .conftest import outcome_values, valid_id

SOU_COURSES = """
standards:
  - code: SOU-PA
    version: "1"
    name_zh: 公共管理课程
    effective_from: 2020-01-01
    kinds: [course]
    institution_codes: [SOU]
    code_pattern: SOU-PA-*
    min_result: "60"
    level: 5
    category: academic
    hours_per_credit: 16
    rounding_step: 0.5
    credits_cap: 6
"""


@pytest.fixture
def admin_actor(staff):
    return actor_for_user(staff("framework", "framework_admin"))


@pytest.fixture
def reviewers(staff):
    return actor_for_user(staff("rev1", "reviewer")), actor_for_user(staff("rev2", "reviewer"))


def publish(admin_actor, text=SOU_COURSES):
    load_framework()  # transactional tests flush the framework the migration loaded
    standards = import_standards(admin_actor, text)
    for s in standards:
        publish_standard(admin_actor, s.pk)
    return standards


def deposit(system, institution, **overrides):
    [outcome] = deposit_outcomes(
        system, institution, [outcome_values(valid_id(seq=21), **overrides)], source="api"
    )
    return outcome


def current(outcome):
    return Recognition.objects.get(outcome=outcome, is_current=True)


def test_a_deposit_matching_a_standard_earns_credits_at_once(
    admin_actor, system, institution, learner
):
    publish(admin_actor)
    outcome = deposit(system, institution)  # 48 hours / 16 = 3 credits
    rec = current(outcome)
    assert (rec.status, rec.level, rec.credits) == ("recognised", 5, Decimal(3))
    assert rec.explanation["standard"] == "SOU-PA@1"
    assert balance(actor_for_user(learner.user), learner).total == Decimal(3)


def test_an_outcome_no_standard_matches_waits_for_a_reviewer(
    admin_actor, system, institution, learner
):
    publish(admin_actor)
    outcome = deposit(system, institution, result="45")
    rec = current(outcome)
    assert rec.status == "pending" and "no standard" in rec.explanation["why"]
    assert LedgerEntry.objects.count() == 0


def test_publishing_a_standard_recognises_the_waiting_and_dry_run_counts_first(
    admin_actor, system, institution, learner
):
    outcome = deposit(system, institution)
    assert current(outcome).status == "pending"
    [standard] = import_standards(admin_actor, SOU_COURSES)
    report = publish_standard(admin_actor, standard.pk, dry_run=True)
    assert report.reevaluated == 1
    assert current(outcome).status == "pending"  # a dry run changes nothing
    standard.refresh_from_db()
    assert standard.status == "draft"
    publish_standard(admin_actor, standard.pk)
    assert current(outcome).status == "recognised"


def test_a_new_standard_never_changes_a_decision_already_made(
    admin_actor, reviewers, system, institution, learner
):
    outcome = deposit(system, institution)
    rec = decide_recognition(
        reviewers[0],
        current(outcome).pk,
        approve=True,
        reason="ok",
        level=4,
        category="academic",
        credits=2,
    )
    publish(admin_actor)
    assert current(outcome).pk == rec.pk and current(outcome).credits == Decimal(2)


def test_equally_specific_overlapping_standards_are_refused_naming_both(admin_actor):
    publish(admin_actor)
    [twin] = import_standards(admin_actor, SOU_COURSES.replace("code: SOU-PA\n", "code: TWIN\n"))
    with pytest.raises(ValidationFailed) as caught:
        publish_standard(admin_actor, twin.pk)
    assert "TWIN@1" in str(caught.value.message) and "SOU-PA@1" in str(caught.value.message)


def test_a_formula_that_yields_impossible_credits_is_refused(admin_actor):
    bad = SOU_COURSES.replace("hours_per_credit: 16", "hours_per_credit: 0")
    [standard] = import_standards(admin_actor, bad)
    with pytest.raises(ValidationFailed) as caught:
        publish_standard(admin_actor, standard.pk)
    assert caught.value.code == "standard.bad_formula"


def test_only_framework_administrators_publish(officer_actor, admin_actor):
    [standard] = import_standards(admin_actor, SOU_COURSES)
    with pytest.raises(PermissionDenied):
        publish_standard(officer_actor, standard.pk)


def test_standards_export_and_import_round_trip(admin_actor):
    publish(admin_actor)
    text = export_standards(fmt="json").replace('"version": "1"', '"version": "2"')
    [copy] = import_standards(admin_actor, text)
    assert (copy.code, copy.version, copy.code_pattern) == ("SOU-PA", "2", "SOU-PA-*")


def test_a_decision_on_an_outcome_already_decided_is_refused(
    reviewers, system, institution, learner
):
    rec = current(deposit(system, institution))
    decide_recognition(reviewers[0], rec.pk, approve=False, reason="no evidence")
    with pytest.raises(Conflict):
        decide_recognition(
            reviewers[1],
            rec.pk,
            approve=True,
            reason="fine",
            level=5,
            category="academic",
            credits=3,
        )


def test_large_awards_need_a_second_different_reviewer(reviewers, system, institution, learner):
    first, second = reviewers
    rec = current(deposit(system, institution))
    rec = decide_recognition(
        first, rec.pk, approve=True, reason="big", level=6, category="academic", credits=20
    )
    assert rec.status == "second_review" and LedgerEntry.objects.count() == 0
    with pytest.raises(PermissionDenied):
        decide_recognition(first, rec.pk, approve=True, reason="again")
    rec = decide_recognition(second, rec.pk, approve=True, reason="confirmed")
    assert rec.status == "recognised"
    assert LedgerEntry.objects.get().credits == Decimal(20)


def test_a_learner_appeals_once_with_new_evidence(reviewers, system, institution, learner):
    me = actor_for_user(learner.user)
    rec = current(deposit(system, institution))
    decide_recognition(
        reviewers[0], rec.pk, approve=True, reason="ok", level=5, category="academic", credits=2
    )
    with pytest.raises(ValidationFailed):
        appeal(me, rec.pk, reason="more hours")  # no new evidence
    again = appeal(me, rec.pk, reason="I studied 96 hours", evidence_url="https://x.org/c.pdf")
    decide_recognition(
        reviewers[1],
        again.pk,
        approve=True,
        reason="evidence shows 96 hours",
        level=5,
        category="academic",
        credits=6,
    )
    assert balance(me, learner).total == Decimal(6)
    assert list(LedgerEntry.objects.order_by("seq").values_list("credits", flat=True)) == [
        Decimal(2),
        Decimal(-2),
        Decimal(6),
    ]
    with pytest.raises(Conflict):
        appeal(me, current(rec.outcome).pk, reason="more", evidence_url="https://x.org/d.pdf")


def test_an_appeal_after_the_deadline_is_refused(reviewers, system, institution, learner):
    rec = current(deposit(system, institution))
    decide_recognition(reviewers[0], rec.pk, approve=False, reason="no")
    Recognition.objects.filter(pk=rec.pk).update(decided_at=timezone.now() - timedelta(days=61))
    with pytest.raises(ValidationFailed) as caught:
        appeal(
            actor_for_user(learner.user), rec.pk, reason="late", evidence_url="https://x.org/e.pdf"
        )
    assert caught.value.code == "appeal.too_late"


def test_another_learner_cannot_appeal_my_decision(
    reviewers, system, institution, learner, make_learner
):
    from learncity.errors import NotFound

    rec = current(deposit(system, institution))
    decide_recognition(reviewers[0], rec.pk, approve=False, reason="no")
    other = make_learner(name="别人", id_number=valid_id(seq=77))
    with pytest.raises(NotFound):
        appeal(actor_for_user(other.user), rec.pk, reason="x", evidence_url="https://x.org")


def test_revoking_an_outcome_writes_a_reversing_entry(
    admin_actor, officer_actor, system, institution, learner
):
    publish(admin_actor)
    outcome = deposit(system, institution)
    revoke_outcome(officer_actor, outcome.pk, reason="certificate withdrawn")
    assert [e.credits for e in LedgerEntry.objects.order_by("seq")] == [Decimal(3), Decimal(-3)]
    assert balance(actor_for_user(learner.user), learner).total == 0
    assert current(outcome).status == "revoked"
    with pytest.raises(Conflict):
        revoke_outcome(officer_actor, outcome.pk, reason="again")


def test_balances_always_equal_the_sum_of_the_ledger(admin_actor, system, institution, learner):
    publish(admin_actor)
    for i, hours in enumerate(["16", "32", "200"]):
        deposit(
            system,
            institution,
            hours=hours,
            code=f"SOU-PA-{i}",
            completed_on=f"202{i + 1}-06-30",
            started_on="",
        )
    b = balance(actor_for_user(learner.user), learner)
    entries = list(LedgerEntry.objects.all())
    assert b.total == sum(e.credits for e in entries) == Decimal(9)
    assert sum(b.by_year.values()) == sum(b.by_category.values()) == b.total
    assert b.by_year == {2021: Decimal(1), 2022: Decimal(2), 2023: Decimal(6)}


def test_a_learner_cannot_read_another_learners_credits(
    client, admin_actor, system, institution, learner, make_learner
):
    publish(admin_actor)
    deposit(system, institution)
    other = make_learner(name="别人", id_number=valid_id(seq=77))
    client.force_login(other.user)
    assert client.get(f"/api/v1/learners/{learner.learner_no}/credits").status_code == 403
    assert client.get("/api/v1/me/credits").json()["total"] == "0"


def _sql_update(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_verify_names_an_entry_edited_directly_in_the_database(
    admin_actor, system, institution, learner
):
    publish(admin_actor)
    deposit(system, institution)
    deposit(system, institution, code="SOU-PA-2")
    assert ledger.verify()[1] == []
    entry = LedgerEntry.objects.get(seq=1)
    _sql_update("UPDATE creditbank_ledgerentry SET credits = 30 WHERE id = %s", [entry.pk])
    count, problems = ledger.verify()
    assert count == 2
    assert [(p.entry_id, p.problem) for _l, p in problems] == [(entry.pk, "content_changed")]


def test_verify_names_entries_whose_order_was_changed(admin_actor, system, institution, learner):
    publish(admin_actor)
    deposit(system, institution)
    deposit(system, institution, code="SOU-PA-2")
    first, second = LedgerEntry.objects.order_by("seq")
    _sql_update("UPDATE creditbank_ledgerentry SET seq = 3 WHERE id = %s", [first.pk])
    _sql_update("UPDATE creditbank_ledgerentry SET seq = 1 WHERE id = %s", [second.pk])
    _sql_update("UPDATE creditbank_ledgerentry SET seq = 2 WHERE id = %s", [first.pk])
    problems = {(p.entry_id, p.problem) for _l, p in ledger.verify()[1]}
    assert (second.pk, "broken_link") in problems and (first.pk, "broken_link") in problems


def test_a_crash_in_a_batch_recognition_is_finished_by_a_rerun_without_double_entries(
    admin_actor, system, institution, make_learner, monkeypatch
):
    people = [make_learner(name=f"学员{i}", id_number=valid_id(seq=400 + 2 * i)) for i in range(6)]
    monkeypatch.setattr("learncity.creditbank.receivers.recognise_undecided", lambda **k: None)
    for i, p in enumerate(people):
        deposit_outcomes(
            system,
            institution,
            [outcome_values(valid_id(seq=400 + 2 * i), name=p.name)],
            source="api",
        )
    publish(admin_actor)
    monkeypatch.setattr(engine, "CHUNK", 2)
    calls = {"n": 0}
    real_write = engine._write

    def crash_on_second_chunk(*args):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("power cut")
        return real_write(*args)

    monkeypatch.setattr(engine, "_write", crash_on_second_chunk)
    with pytest.raises(RuntimeError):
        engine.recognise_undecided()
    assert LedgerEntry.objects.count() == 2
    monkeypatch.setattr(engine, "_write", real_write)
    report = engine.recognise_undecided()
    assert report.examined == 4
    assert LedgerEntry.objects.count() == 6
    assert Recognition.objects.filter(is_current=True).count() == 6
    assert ledger.verify()[1] == []


def test_standards_are_listed_publicly_through_the_api(client, admin_actor):
    publish(admin_actor)
    body = client.get("/api/v1/standards").json()
    assert [s["code"] for s in body["standards"]] == ["SOU-PA"]
    assert RecognitionStandard.objects.get().status == "published"


def _deposit_for_batch(system, institution, make_learner, count):
    """`count` learners with one outcome each, left undecided; every third fails the
    standard's minimum result and so waits for a reviewer."""
    for i in range(count):
        id_number = valid_id(seq=600 + 2 * i)
        person = make_learner(name=f"学员{i}", id_number=id_number)
        result = "40" if i % 3 == 0 else "86"
        deposit_outcomes(
            system,
            institution,
            [outcome_values(id_number, name=person.name, result=result)],
            source="api",
        )


@pytest.mark.django_db(transaction=True)
def test_the_batch_in_two_processes_decides_every_outcome_once(
    admin_actor, system, institution, make_learner, monkeypatch
):
    from learncity.creditbank import parallel

    monkeypatch.setattr("learncity.creditbank.receivers.recognise_undecided", lambda **k: None)
    _deposit_for_batch(system, institution, make_learner, 9)
    publish(admin_actor)
    monkeypatch.setattr(engine, "CHUNK", 2)  # several chunks per worker (forked: inherited)
    monkeypatch.setattr(engine, "SHARE_STRIPE", 1)  # so both workers have learners here
    seen = []
    report = parallel.recognise_in_parallel(2, progress=seen.append)
    assert (report.workers, report.examined, report.recognised, report.to_review) == (2, 9, 6, 3)
    assert seen[-1] == 9
    current = Recognition.objects.filter(is_current=True)
    assert current.count() == 9 and current.values("outcome").distinct().count() == 9
    assert current.filter(status="recognised").count() == 6
    assert LedgerEntry.objects.count() == 6
    assert ledger.verify()[1] == []
    assert parallel.recognise_in_parallel(2).examined == 0  # nothing left to decide


@pytest.mark.django_db(transaction=True)
def test_a_failing_batch_worker_is_reported_and_a_rerun_finishes_the_work(
    admin_actor, system, institution, make_learner, monkeypatch
):
    from learncity.creditbank import parallel

    monkeypatch.setattr("learncity.creditbank.receivers.recognise_undecided", lambda **k: None)
    _deposit_for_batch(system, institution, make_learner, 6)
    publish(admin_actor)
    real_write = engine._write

    def power_cut(*args):
        raise RuntimeError("power cut")

    monkeypatch.setattr(engine, "_write", power_cut)
    monkeypatch.setattr(engine, "SHARE_STRIPE", 1)
    with pytest.raises(parallel.WorkerFailed, match="power cut"):
        parallel.recognise_in_parallel(2)
    assert Recognition.objects.count() == 0  # each chunk is all or nothing
    monkeypatch.setattr(engine, "_write", real_write)
    assert parallel.recognise_in_parallel(2).examined == 6
    assert LedgerEntry.objects.count() == 4 and ledger.verify()[1] == []


@pytest.mark.django_db(transaction=True)
def test_learncity_recognise_runs_the_batch_with_workers_and_says_what_it_did(
    admin_actor, system, institution, make_learner, monkeypatch
):
    from typer.testing import CliRunner

    from learncity.cli import app

    monkeypatch.setattr("learncity.creditbank.receivers.recognise_undecided", lambda **k: None)
    _deposit_for_batch(system, institution, make_learner, 6)
    publish(admin_actor)
    result = CliRunner().invoke(app, ["recognise", "--workers", "2"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "6 outcomes: 4 recognised by a standard, 2 sent to the reviewers' queue" in result.output
    assert "2 worker processes" in result.output
    assert LedgerEntry.objects.count() == 4
