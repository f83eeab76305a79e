"""The public page, open data, reports and the analysts' dashboard."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from learncity.monitoring.commands import make_reports
from learncity.monitoring.report import chromium_path
from learncity.monitoring.services import publish_run


@pytest.fixture
def published(db, system, small_run):
    return publish_run(system, small_run)


def _client(user=None, language="zh-hans"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user:
        client.force_login(user)
    return client


def test_the_public_page_says_when_nothing_is_published(db):
    page = _client().get("/monitoring/")
    assert page.status_code == 200 and "监测" in page.content.decode()


@pytest.mark.parametrize("language,words", [("zh-hans", "年度学习参与率"),
                                            ("en", "Annual learning participation rate")])
def test_the_public_page_shows_headlines_and_accessible_charts(published, language, words):
    page = _client(language=language).get("/monitoring/")
    html = page.content.decode()
    assert page.status_code == 200 and words in html
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
    assert "synthetic" in html.lower() or "合成" in html  # the demo-data banner


def test_the_dashboard_is_for_analysts(published, learner, analyst):
    assert _client().get("/monitoring/dashboard/").status_code == 302
    assert _client(learner.user).get("/monitoring/dashboard/").status_code == 403
    page = _client(analyst, "en").get("/monitoring/dashboard/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Unmet learning needs (survey)" in html and "Gini" in html
    assert 'href="/monitoring/dashboard/"' in html  # the analyst's link in the navigation


def test_an_indicator_page_has_a_chart_and_a_table_per_breakdown(published, analyst):
    html = _client(analyst, "en").get("/monitoring/dashboard/PART_ANY/").content.decode()
    assert html.count("<svg") >= 6 and "Huangpu" in html and "Suburbs" in html
    survey = _client(analyst, "en").get("/monitoring/dashboard/SV_UNMET_NEED/")
    assert "95% confidence interval" in survey.content.decode()
    assert _client(analyst).get("/monitoring/dashboard/NOPE/").status_code == 404


def test_open_data_in_csv_and_json_with_the_metadata(published):
    csv_text = _client().get("/monitoring/open-data/2024/indicators.csv").content.decode("utf-8")
    header = csv_text.lstrip("\ufeff").splitlines()[0].split(",")
    assert {"indicator", "value", "lci", "uci", "flag", "name_zh", "name_en", "unit",
            "catalogue_version"} <= set(header)
    body = json.loads(_client().get("/monitoring/open-data/2024/indicators.json").content)
    assert body["catalogue"]["version"] == body["run"]["catalogue_version"]
    assert {i["code"] for i in body["catalogue"]["indicators"]} >= {"PART_ANY", "SV_BARRIERS"}
    suppressed = [c for c in body["cells"] if c["flag"] == "suppressed"]
    assert suppressed and all(c["value"] is None and c["numerator"] is None for c in suppressed)
    assert _client().get("/monitoring/open-data/1999/indicators.csv").status_code == 404
    catalogue = json.loads(_client().get("/monitoring/open-data/catalogue.json").content)
    assert catalogue["small_cell_threshold"] == 10


def test_the_report_in_both_languages(published, system):
    paths = make_reports(system, 2024, ["zh-hans", "en"], pdf=False)
    english = Path(paths[1]).read_text(encoding="utf-8")
    chinese = Path(paths[0]).read_text(encoding="utf-8")
    assert "Methodology" in english and "Taylor linearisation" in english
    assert "监测报告" in chinese and 'lang="zh-Hans"' in chinese
    served = _client().get("/monitoring/reports/2024/en.html")
    assert served.status_code == 200
    assert all(Path(settings.MEDIA_ROOT) in Path(p).parents for p in paths)


@pytest.mark.skipif(chromium_path() is None, reason="no Chromium to print the PDF")
def test_the_report_prints_to_pdf(published, system):
    paths = make_reports(system, 2024, ["en"], pdf=True)
    pdf = [p for p in paths if p.suffix == ".pdf"][0]
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert _client().get("/monitoring/reports/2024/en.pdf").status_code == 200
