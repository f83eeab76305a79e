"""The learncity command: import with an exit status, demo data, settings."""

import pytest
from typer.testing import CliRunner

from learncity.cli import app

from .test_import import good_rows, write_csv

runner = CliRunner()


@pytest.mark.django_db(transaction=True)
def test_import_outcomes_reports_and_exits_1_when_refused(tmp_path, institution, people):
    rows = good_rows(people)
    rows[0][7] = "-1"  # hours
    path = write_csv(tmp_path / "bad.csv", rows)
    result = runner.invoke(app, ["import-outcomes", str(path), "--institution", "SOU"])
    assert result.exit_code == 1
    assert "row 2" in result.output


@pytest.mark.django_db(transaction=True)
def test_import_outcomes_succeeds_with_a_summary(tmp_path, institution, people):
    path = write_csv(tmp_path / "good.csv", good_rows(people))
    result = runner.invoke(app, ["import-outcomes", str(path), "--institution", "SOU"])
    assert result.exit_code == 0, result.output
    assert "accepted: 5" in result.output
    # then decided, as `learncity recognise` would (no standard here: all to the reviewers)
    assert "5 outcomes: 0 recognised by a standard, 5 sent to the reviewers' queue" in (
        result.output
    )
    from learncity.creditbank.models import Recognition

    assert Recognition.objects.filter(is_current=True, status="pending").count() == 5


@pytest.mark.django_db(transaction=True)
def test_an_unknown_institution_code_is_refused(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("x")
    result = runner.invoke(app, ["import-outcomes", str(path), "--institution", "NOPE"])
    assert result.exit_code == 1 and "NOPE" in result.output


@pytest.mark.django_db(transaction=True)
def test_demo_data_loads_twice_without_change_and_prints_logins():
    first = runner.invoke(app, ["demo"])
    second = runner.invoke(app, ["demo"])
    assert first.exit_code == second.exit_code == 0, first.output
    for name in ("learner", "officer", "reviewer", "admin"):
        assert name in first.output
    from learncity.records.models import Outcome

    assert Outcome.objects.count() == 4


def test_settings_lists_every_setting():
    from learncity.config import SETTINGS

    result = runner.invoke(app, ["settings"], env={"COLUMNS": "200"})
    assert all(s.name in result.output for s in SETTINGS)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_with_workers_answers_from_several_gunicorn_processes(tmp_path):
    import json
    import os
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    port = _free_port()
    env = os.environ | {"LEARNCITY_HOME": str(tmp_path)}
    env.pop("DATABASE_URL", None)  # a fresh SQLite home: /xapi/about needs no data
    command = "from learncity.cli import main; main()"
    server = subprocess.Popen(
        [sys.executable, "-c", command, "serve", "--workers", "2", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/xapi/about",
            headers={"X-Experience-API-Version": "1.0.3"},
        )
        deadline, about = time.monotonic() + 60, None
        while about is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    about = json.loads(response.read())
            except OSError:
                assert server.poll() is None, "the server stopped"
                time.sleep(0.3)
        assert about and "2.0.0" in about["version"]
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        assert len(children) == 2  # gunicorn's two worker processes under its master
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.django_db(transaction=True)
def test_import_outcomes_reads_a_big_file_in_a_second_process(
    tmp_path, institution, people, monkeypatch
):
    """The command starts no thread of its own (rich's progress bar would), since the import
    forks its reading process only when there is none; threads other tests left are allowed."""
    import threading

    from learncity.records import importer, reader_process

    monkeypatch.setattr(importer, "READ_APART_BYTES", 0)  # every file counts as big here
    before, threads_then, forks = threading.active_count(), [], []
    monkeypatch.setattr(
        importer, "can_fork", lambda: threads_then.append(threading.active_count()) or True
    )
    real = reader_process.items_from_child
    monkeypatch.setattr(importer, "items_from_child", lambda make: forks.append(1) or real(make))
    path = write_csv(tmp_path / "good.csv", good_rows(people))
    result = runner.invoke(app, ["import-outcomes", str(path), "--institution", "SOU"])
    assert result.exit_code == 0, result.output
    assert "accepted: 5" in result.output and forks == [1]
    assert threads_then == [before]
