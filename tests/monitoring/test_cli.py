"""The monitoring commands of `learncity`."""

import json

import pytest
from typer.testing import CliRunner

from learncity.cli import app

runner = CliRunner()


def test_synth_then_indicators_on_the_snapshot(tmp_path):
    folder = tmp_path / "synthetic"
    made = runner.invoke(app, ["synth", "--residents", "4000", "--out", str(folder),
                               "--years", "2023-2024", "--seed", "5"])
    assert made.exit_code == 0, made.output
    assert "persons 4,000" in made.output
    again = runner.invoke(app, ["synth", "--residents", "4000", "--out", str(folder)],
                          env={"COLUMNS": "300"})
    assert again.exit_code == 1 and "not empty" in again.output
    out = tmp_path / "results.json"
    computed = runner.invoke(app, ["indicators", "--year", "2024", "--snapshot", str(folder),
                                   "--back", "1", "--out", str(out)],
                             env={"COLUMNS": "200"})
    assert computed.exit_code == 0, computed.output
    assert "PART_ANY" in computed.output
    body = json.loads(out.read_text())
    assert body["meta"]["snapshot_kind"] == "synthetic" and body["meta"]["years"] == [2023, 2024]
    assert any(c["indicator"] == "EQ_THEIL" for c in body["cells"])


@pytest.mark.django_db(transaction=True)
def test_snapshot_publish_and_report(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    assert runner.invoke(app, ["snapshot", "--out", str(tmp_path / "snap")]).exit_code == 0
    folder = tmp_path / "synthetic"
    runner.invoke(app, ["synth", "--residents", "3000", "--out", str(folder), "--no-survey"])
    published = runner.invoke(app, ["indicators", "--year", "2024", "--snapshot", str(folder),
                                    "--publish"])
    assert published.exit_code == 0, published.output
    reported = runner.invoke(app, ["report", "--year", "2024", "--no-pdf", "--languages", "en"])
    assert reported.exit_code == 0, reported.output
    assert list((tmp_path / "media").rglob("*.html"))
    missing = runner.invoke(app, ["report", "--year", "1999", "--no-pdf"])
    assert missing.exit_code == 1


@pytest.mark.django_db(transaction=True)
def test_question_bank_and_survey_commands(tmp_path):
    assert runner.invoke(app, ["question-bank"]).exit_code == 0
    assert runner.invoke(app, ["survey-create", "S-2024", "--year", "2024"]).exit_code == 0
    sample = tmp_path / "sample.csv"
    sample.write_text("unit_key,stratum,psu,base_weight,district_code,sex,age_band,hukou,"
                      "responded\n1,310104,310104-1,200,310104,M,30-44,local,0\n")
    links = tmp_path / "links.csv"
    issued = runner.invoke(app, ["survey-links", "S-2024", str(sample), "--out", str(links)])
    assert issued.exit_code == 0, issued.output
    assert "/monitoring/survey/" in links.read_text()
    bad = tmp_path / "bad.csv"
    bad.write_text("unit_key,stratum\n1,x\n")
    refused = runner.invoke(app, ["survey-import", "S-2024", str(bad)])
    assert refused.exit_code == 1 and "psu" in refused.output


def test_synth_and_indicators_run_without_a_database(tmp_path):
    """Analytics read only the snapshot: neither command needs Django set up."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "LEARNCITY_HOME": str(tmp_path / "home"), "COLUMNS": "200"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    run = [sys.executable, "-c", "import sys; from learncity.cli import main; main()"]
    folder = str(tmp_path / "synthetic")
    subprocess.run([*run, "synth", "--residents", "2000", "--out", folder, "--no-survey"],
                   env=env, check=True, capture_output=True)
    done = subprocess.run([*run, "indicators", "--year", "2024", "--snapshot", folder],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "PART_ANY" in done.stdout and not (tmp_path / "home" / "learncity.sqlite3").exists()
