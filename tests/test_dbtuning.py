"""The database helpers large batches use: settings applied and given back, rows read alike."""

from decimal import Decimal

import pytest
from django.db import connection, transaction

from learncity.creditbank import ledger
from learncity.creditbank.models import Recognition
from learncity.dbtuning import batch_settings, values_rows
from learncity.records.models import Outcome
from learncity.records.services import deposit_outcomes

from .conftest import outcome_values, valid_id

pytestmark = pytest.mark.django_db


def _item(person: int, **values) -> dict:
    """An outcome of the `people` fixture's learner number `person`."""
    return outcome_values(valid_id(seq=200 + 2 * person), name=f"学员{person}", **values)


def _pragma(name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA {name}")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings")
def test_batch_settings_apply_to_the_batch_and_are_given_back():
    cache, checkpoint = _pragma("cache_size"), _pragma("wal_autocheckpoint")
    with batch_settings(connection, 64 << 10, 50_000):
        assert _pragma("cache_size") == -(64 << 10)
        assert _pragma("wal_autocheckpoint") == 50_000
    assert (_pragma("cache_size"), _pragma("wal_autocheckpoint")) == (cache, checkpoint)
    with pytest.raises(RuntimeError), batch_settings(connection, 64 << 10, 50_000):
        raise RuntimeError("a batch that fails")
    assert (_pragma("cache_size"), _pragma("wal_autocheckpoint")) == (cache, checkpoint)


def test_values_rows_reads_what_the_orm_reads(system, institution, people):
    deposit_outcomes(
        system,
        institution,
        [
            _item(0, hours="12.5", completed_on="2023-06-30"),
            _item(1, hours="12.5", completed_on="2023-06-30"),
            _item(2, hours="", completed_on="2024-01-02"),
        ],
        source="api",
    )
    query = Outcome.objects.order_by("pk").values_list(
        "pk", "learner_id", "hours", "completed_on", "is_current", "title"
    )
    rows = values_rows(query)
    assert rows == list(query) and len(rows) == 3
    assert rows[0][2] == Decimal("12.5") and rows[2][2] is None
    assert [type(v) for v in rows[0]] == [type(v) for v in list(query)[0]]
    assert values_rows(query.filter(pk=-1)) == []


def test_insert_rows_gives_the_new_keys_in_row_order(system, institution, people):
    outcomes = deposit_outcomes(
        system,
        institution,
        [_item(i, code=f"X-{i}") for i in range(3)],
        source="api",
    )
    Recognition.objects.all().delete()  # the deposit's own decisions: start afresh
    rows = [
        {
            "outcome_id": o.pk,
            "learner_id": o.learner_id,
            "status": "pending",
            "explanation": {"n": i},
            "credits": Decimal("1.5"),
        }
        for i, o in enumerate(outcomes)
    ]
    with transaction.atomic():
        keys = ledger.insert_rows(Recognition, rows, keys=True)
    stored = dict(Recognition.objects.values_list("pk", "outcome_id"))
    assert [stored[k] for k in keys] == [o.pk for o in outcomes]
    assert [r.explanation for r in Recognition.objects.order_by("pk")] == [
        {"n": 0},
        {"n": 1},
        {"n": 2},
    ]
