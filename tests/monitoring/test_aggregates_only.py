"""Analysts see aggregates only: no page or download of theirs exposes a person."""

import re

import pyarrow.parquet as pq
import pytest
from django.test import Client

from learncity.monitoring import jobs
from learncity.monitoring.commands import make_reports
from learncity.monitoring.models import Questionnaire
from learncity.monitoring.services import (
    create_survey,
    issue_links,
    load_question_bank,
    publish_run,
    submit_response,
)
from learncity.monitoring.snapshot import export
from learncity.monitoring.snapshot_files import files
from learncity.records.services import deposit_outcomes

from ..conftest import outcome_values, valid_id
from .test_question_bank import GOOD, UNIT

NAMES = ["龙傲天", "上官婉儿", "慕容复", "东方不败", "令狐冲", "任盈盈", "岳灵珊", "林平之",
         "田伯光", "风清扬", "曲非烟", "蓝凤凰"]
SECRET_COMMENT = "请联系我13912345678张三丰"


@pytest.fixture
def world(db, system, institution, make_learner, zones, tmp_path):
    learners, items = [], []
    for i, name in enumerate(NAMES):
        number = valid_id(seq=500 + 2 * i)
        learners.append(make_learner(name=name, id_number=number,
                                     district="310101" if i < 9 else "310151"))
        items.append(outcome_values(number, name, title=f"独一无二课程{i}",
                                    completed_on="2024-04-01", started_on="2024-01-01"))
    deposit_outcomes(system, institution, items, source="api")
    load_question_bank(system)
    survey = create_survey(system, "LLL-2024", 2024, Questionnaire.objects.get(code="LLL"))
    for key, token in issue_links(system, survey, [{"unit_key": k, **UNIT} for k in (1, 2)]):
        submit_response(system, token, {**GOOD, "Q_COMMENT": SECRET_COMMENT if key == 1 else ""})
    snapshot = tmp_path / "snapshot"
    export(snapshot)
    publish_run(system, jobs.run(snapshot, 2024, zones))
    make_reports(system, 2024, ["zh-hans", "en"], pdf=False)
    keys = set()
    for path in files(snapshot, "persons"):
        keys |= {str(k) for k in pq.read_table(path).column("person_key").to_pylist()}
    return learners, keys


def _pages(client) -> dict[str, str]:
    urls = ["/monitoring/", "/monitoring/dashboard/", "/monitoring/dashboard/?year=2024",
            "/monitoring/open-data/", "/monitoring/open-data/catalogue.json",
            "/monitoring/open-data/2024/indicators.csv",
            "/monitoring/open-data/2024/indicators.json",
            "/monitoring/reports/2024/en.html", "/monitoring/reports/2024/zh-hans.html"]
    dashboard = client.get("/monitoring/dashboard/").content.decode()
    urls += sorted(set(re.findall(r'href="(/monitoring/dashboard/[A-Z_]+/[^"]*)"', dashboard)))
    out = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        out[url] = body.decode("utf-8")
    return out


def test_no_analyst_page_or_download_exposes_a_person(world, analyst):
    learners, pseudonyms = world
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(analyst)
    pages = _pages(client)
    assert len(pages) > 25  # every indicator page was visited
    for url, text in pages.items():
        for learner in learners:
            for personal in (learner.name, learner.learner_no, learner.id_masked):
                assert personal not in text, (url, personal)
        assert "独一无二课程" not in text, url
        assert SECRET_COMMENT not in text and "13912345678" not in text, url
        tokens = set(re.findall(r"-?\d{12,}", text))
        assert not tokens & pseudonyms, url


def test_every_published_cell_rests_on_enough_people(world, analyst):
    client = Client()
    client.force_login(analyst)
    import json

    body = json.loads(client.get("/monitoring/open-data/2024/indicators.json").content)
    threshold = body["run"]["min_cell"]
    for cell in body["cells"]:
        if cell["flag"] == "suppressed":
            assert cell["value"] is None
        elif cell["numerator"] is not None and cell["indicator"].startswith("PART_"):
            assert cell["numerator"] >= threshold or cell["numerator"] == 0, cell
        if cell["n"] is not None and cell["flag"] != "suppressed":
            assert cell["n"] >= threshold, cell


def test_an_analyst_cannot_open_a_learner_archive(world, analyst):
    learners, _keys = world
    client = Client()
    client.force_login(analyst)
    assert client.get(f"/learners/{learners[0].learner_no}/").status_code == 403
