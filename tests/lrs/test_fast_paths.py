"""The fast write and read paths: raw inserts (COPY / executemany), index pages, spliced JSON."""

from __future__ import annotations

import json
import threading
import uuid

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from learncity.lrs import bulk, indexing
from learncity.lrs.models import Activity, Statement, StatementIndex
from learncity.lrs.services import store_statements
from tests.lrs.conftest import statement

pytestmark = pytest.mark.django_db

WANG = {"mbox": "mailto:wang@example.com"}
VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def page(response) -> dict:
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def test_raw_insert_fills_defaults_and_returns_keys_in_row_order():
    with transaction.atomic():
        pks = bulk.insert(
            Activity,
            [{"key": f"{n:040x}", "iri": f"http://example.com/a/{n}"} for n in range(5)],
            keys=True,
        )
    stored = {a.key: a for a in Activity.objects.all()}
    assert [stored[f"{n:040x}"].pk for n in range(5)] == pks
    assert all(a.definition == "{}" and a.updated is not None for a in stored.values())


def test_raw_insert_refuses_a_duplicate_key_as_the_orm_does():
    row = {"key": "a" * 40, "iri": "http://example.com/a"}
    bulk.insert(Activity, [row])
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.insert(Activity, [row])


def test_select_in_gives_python_values_on_every_database(xapi):
    body = statement()
    xapi.post("statements", body)
    rows = bulk.select_in(
        Statement, ["statement_id", "voided", "stored"], "statement_id", [uuid.UUID(body["id"])]
    )
    assert len(rows) == 1
    sid, voided, stored = rows[0]
    assert sid == uuid.UUID(body["id"]) and voided is False
    assert stored == Statement.objects.get().stored and stored.tzinfo is not None
    if connection.vendor == "postgresql":  # the list travels as one comma-separated text
        with pytest.raises(ValueError):
            bulk.select_in(Activity, ["key"], "key", ["a,b"])


def test_index_rows_carry_stored_and_main_keys_are_related_too(xapi):
    body = statement(context={"contextActivities": {"parent": [{"id": "http://example.com/p"}]}})
    xapi.post("statements", body)
    stored = Statement.objects.get()
    rows = set(StatementIndex.objects.values_list("kind", "key", "stored"))
    agent = indexing.agent_key(body["actor"])
    activity = indexing.activity_key(body["object"]["id"])
    parent = indexing.activity_key("http://example.com/p")
    kinds = {(kind, key) for kind, key, _stored in rows}
    assert {("a", agent), ("A", agent), ("o", activity), ("O", activity), ("O", parent)} <= kinds
    assert ("o", parent) not in kinds
    assert {s for _k, _key, s in rows} == {stored.stored}


def test_statements_of_one_batch_get_ascending_keys_in_batch_order(xapi):
    batch = [statement() for _ in range(30)]
    xapi.post("statements", batch)
    pks = dict(Statement.objects.values_list("statement_id", "pk"))
    assert [pks[uuid.UUID(s["id"])] for s in batch] == sorted(pks.values())


def test_a_page_is_the_stored_texts_byte_for_byte(xapi):
    xapi.post("statements", [statement(), statement(actor={**WANG, "name": "王建国 ☃"})])
    response = xapi.get("statements", {"limit": 1})
    data = json.loads(response.content)
    assert response.content == json.dumps(
        data, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")
    assert data["more"].startswith("/xapi/statements?more=")
    assert response["Content-Type"] == "application/json"


def test_voiding_in_the_same_batch_and_refs_inherit_filters_in_both_orders(xapi):
    target = statement(actor={"mbox": "mailto:li@example.com"})
    voiding = statement(
        actor=WANG, verb={"id": VOIDED}, object={"objectType": "StatementRef", "id": target["id"]}
    )
    xapi.post("statements", [target, voiding])
    assert xapi.get("statements", {"statementId": target["id"]}).status_code == 404
    assert xapi.get("statements", {"voidedStatementId": target["id"]}).status_code == 200
    # A reference that arrives before its target inherits the target's keys when it comes.
    later = statement(actor={"mbox": "mailto:zhao@example.com"})
    ref = statement(
        verb={"id": "http://example.com/verbs/commented"},
        object={"objectType": "StatementRef", "id": later["id"]},
    )
    xapi.post("statements", ref)
    xapi.post("statements", later)
    agent = {"agent": json.dumps({"mbox": "mailto:zhao@example.com"})}
    ids = [s["id"] for s in page(xapi.get("statements", agent))["statements"]]
    assert ids == [later["id"], ref["id"]]


def test_filters_combine_and_page_by_the_first_with_the_others_checked(xapi):
    verb = {"id": "http://adlnet.gov/expapi/verbs/attempted"}
    mine = [statement(verb=verb) for _ in range(3)]
    others = [statement(), statement(actor={"mbox": "mailto:li@example.com"}, verb=verb)]
    xapi.post("statements", mine + others)
    query = {"agent": json.dumps(WANG), "verb": verb["id"], "limit": 2, "ascending": "true"}
    first = page(xapi.get("statements", query))
    assert [s["id"] for s in first["statements"]] == [s["id"] for s in mine[:2]]
    path = first["more"].removeprefix("/xapi/")
    second = page(xapi.client.get("/xapi/" + path, **xapi._headers(None)))
    assert [s["id"] for s in second["statements"]] == [mine[2]["id"]] and not second["more"]


def test_activities_without_a_definition_need_no_row(xapi):
    body = statement(object={"objectType": "Activity", "id": "http://example.com/bare"})
    xapi.post("statements", body)
    assert not Activity.objects.filter(iri="http://example.com/bare").exists()
    got = page(xapi.get("activities", {"activityId": "http://example.com/bare"}))
    assert got == {"objectType": "Activity", "id": "http://example.com/bare"}


@pytest.mark.django_db(transaction=True)
def test_concurrent_batches_sharing_activities_all_land(credential_pair):
    credential, _secret = credential_pair
    errors = []

    def send(n: int) -> None:
        try:
            for round_ in range(3):
                batch = [
                    statement(
                        object={
                            "objectType": "Activity",
                            "id": f"http://example.com/shared/{(k * (n + 1) + round_) % 7}",
                            "definition": {"name": {"en-US": f"shared {k % 7}"}},
                        }
                    )
                    for k in range(10)
                ]
                store_statements(credential, batch, version="1.0.3")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Statement.objects.count() == 120
    assert StatementIndex.objects.filter(kind="o").count() == 120


def test_stored_times_and_ceiling_bound_pages(xapi):
    xapi.post("statements", [statement() for _ in range(3)])
    before = timezone.now()
    first = page(xapi.get("statements", {"limit": 1}))
    xapi.post("statements", statement())
    rest = first
    seen = [s["id"] for s in first["statements"]]
    while rest["more"]:
        path = rest["more"].removeprefix("/xapi/")
        rest = page(xapi.client.get("/xapi/" + path, **xapi._headers(None)))
        seen += [s["id"] for s in rest["statements"]]
    assert len(seen) == 3
    assert page(xapi.get("statements", {"since": before.isoformat()}))["statements"]
