"""Deposits are decided: small imports before the upload answers, large ones in the
background after their rows are stored, and nothing is lost if the background stops."""

import pytest

from learncity.creditbank import receivers
from learncity.creditbank.models import Recognition
from learncity.records.importer import import_outcomes
from learncity.records.models import Outcome

from .test_import import good_rows, write_csv

pytestmark = pytest.mark.django_db(transaction=True)  # the background thread's connection


def decided():
    return Recognition.objects.filter(is_current=True).count()


def test_a_small_import_is_decided_before_it_answers(tmp_path, system, institution, people):
    import_outcomes(system, institution, write_csv(tmp_path / "a.csv", good_rows(people)), "a.csv")
    assert decided() == 5


def test_a_large_import_is_decided_in_the_background(
    tmp_path, system, institution, people, settings, background_recognitions
):
    settings.RECOGNISE_INLINE_ROWS = 4
    threads = background_recognitions
    result = import_outcomes(
        system, institution, write_csv(tmp_path / "a.csv", good_rows(people)), "a.csv"
    )
    assert result.batch.rows_accepted == 5 and len(threads) == 1
    threads[0].join(timeout=60)
    assert not threads[0].is_alive()
    assert decided() == 5
    assert set(Recognition.objects.values_list("outcome__batch", flat=True)) == {result.batch.pk}


def test_a_background_recognition_that_fails_leaves_the_outcomes_for_the_next_run(
    tmp_path, system, institution, people, settings, monkeypatch, caplog, background_recognitions
):
    from learncity.creditbank import engine

    settings.RECOGNISE_INLINE_ROWS = 4
    threads = background_recognitions

    def broken(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(receivers, "recognise_undecided", broken)
    import_outcomes(system, institution, write_csv(tmp_path / "a.csv", good_rows(people)), "a.csv")
    threads[0].join(timeout=60)
    assert Outcome.objects.count() == 5 and decided() == 0  # stored, not yet decided
    assert "background recognition stopped" in caplog.text
    report = engine.recognise_undecided()  # what `learncity recognise` runs
    assert report.examined == 5 and decided() == 5
