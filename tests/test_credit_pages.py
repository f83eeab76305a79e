"""Credit bank pages: the learner's balance, the recognition queue, the ledger check."""

import re

import pytest
from django.db import connection

from learncity.access import actor_for_user
from learncity.creditbank.models import LedgerEntry, Recognition
from learncity.records.services import deposit_outcomes

from .conftest import outcome_values, valid_id
from .test_credit_bank import publish


@pytest.fixture
def recognised(staff, system, institution, learner):
    publish(actor_for_user(staff("framework", "framework_admin")))
    [outcome] = deposit_outcomes(system, institution, [outcome_values(valid_id(seq=21))],
                                 source="api")
    return outcome


def test_the_learner_sees_the_balance_and_where_each_credit_came_from(client, learner,
                                                                      recognised):
    client.force_login(learner.user)
    page = client.get("/credits/").content.decode()
    assert re.search(r'data-testid="total">3(\.0)?<', page)
    assert "公共管理导论" in page and "SOU-PA@1" in page


def test_a_reviewer_recognises_a_waiting_outcome_on_the_page(client, reviewer, system,
                                                              institution, learner):
    [outcome] = deposit_outcomes(system, institution, [outcome_values(valid_id(seq=21))],
                                 source="api")
    rec = Recognition.objects.get(outcome=outcome)
    client.force_login(reviewer)
    queue = client.get("/review/recognitions/").content.decode()
    assert "公共管理导论" in queue and learner.id_masked in queue
    assert valid_id(seq=21) not in queue
    client.post(f"/review/recognitions/{rec.pk}/", {
        "decision": "approve", "level": "5", "category": "academic", "credits": "2",
        "reason": "课程大纲与框架五级相符"})
    rec.refresh_from_db()
    assert rec.status == "recognised" and LedgerEntry.objects.get().credits == 2


def test_the_auditor_page_names_an_entry_changed_in_the_database(client, auditor, recognised):
    client.force_login(auditor)
    assert "✔" in client.get("/audit/ledger/?learner_no=&go=1").content.decode()
    entry = LedgerEntry.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE creditbank_ledgerentry SET credits = 99 WHERE id = %s", [entry.pk])
    page = client.get("/audit/ledger/?learner_no=&go=1").content.decode()
    assert "content_changed" in page and f"id {entry.pk}" in page


def test_credit_pages_are_closed_to_the_wrong_roles(client, learner):
    client.force_login(learner.user)
    assert client.get("/review/recognitions/").status_code == 403
    assert client.get("/audit/ledger/").status_code == 403


def test_ledger_verify_command_exits_1_on_tampering(recognised, transactional_db):
    from typer.testing import CliRunner

    from learncity.cli import app

    runner = CliRunner()
    assert runner.invoke(app, ["ledger", "verify"]).exit_code == 0
    with connection.cursor() as cursor:
        cursor.execute("UPDATE creditbank_ledgerentry SET year = 1999")
    result = runner.invoke(app, ["ledger", "verify"])
    assert result.exit_code == 1 and "content_changed" in result.output
