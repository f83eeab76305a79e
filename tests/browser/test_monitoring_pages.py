"""The monitoring pages on a 390-pixel phone, in both languages: one h1, charts with accessible
names, no sideways scrolling, and no serious or critical WCAG 2.1 AA violation found by axe."""

from __future__ import annotations

import pytest

from learncity.access import system_actor
from learncity.identity.districts import all_districts

pytestmark = pytest.mark.browser

axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def published(tmp_path):
    from learncity.monitoring import jobs
    from learncity.monitoring.models import Questionnaire
    from learncity.monitoring.services import (
        create_survey,
        issue_links,
        load_question_bank,
        publish_run,
    )
    from learncity.monitoring.survey_synth import SurveyPlan
    from learncity.monitoring.synth import SynthSpec, synthesize

    districts = all_districts()
    folder = tmp_path / "synthetic"
    synthesize(folder, [(d.code, d.zone, d.residents) for d in districts],
               SynthSpec(residents=8_000, seed=3, survey=SurveyPlan(psus=4, take=12,
                                                                    psu_size=150)))
    system = system_actor("test")
    publish_run(system, jobs.run(folder, 2024, {d.code: d.zone for d in districts}))
    load_question_bank(system)
    survey = create_survey(system, "A11Y", 2024, Questionnaire.objects.get(code="LLL"))
    (_key, token), = issue_links(system, survey, [{
        "unit_key": 1, "stratum": "310104", "psu": "310104-1", "base_weight": 100.0,
        "district_code": "310104", "sex": "F", "age_band": "65+", "hukou": "local"}])
    return token


def _check(page, path: str, lang: str) -> None:
    page.goto(path)
    assert page.locator("h1").count() == 1
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    ), f"{path} scrolls sideways at 390 px"
    for svg in page.locator("svg[role=img]").all():
        labelled = svg.get_attribute("aria-labelledby").split()
        assert all(page.locator(f"#{i}").count() == 1 for i in labelled)
    results = axe_sync.Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]},
    )
    blocking = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not blocking, results.generate_report()


@pytest.mark.parametrize("locale,lang", [("zh-CN", "zh-Hans"), ("en-US", "en")])
def test_the_monitoring_pages_are_accessible(published, new_page, sign_in, staff, locale, lang):
    staff("analyst", "analyst")
    page = new_page(locale=locale)
    _check(page, "/monitoring/", lang)
    _check(page, "/monitoring/open-data/", lang)
    _check(page, f"/monitoring/survey/{published}/", lang)
    sign_in(page, "analyst")
    _check(page, "/monitoring/dashboard/", lang)
    _check(page, "/monitoring/dashboard/PART_ANY/", lang)
    _check(page, "/monitoring/dashboard/SV_BARRIERS/", lang)
