"""A learner reads their archive on a phone, filters it, and cannot open anybody else's."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from learncity.access import actor_for_user
from learncity.demo import demo_id_number
from learncity.records.services import deposit_outcomes

pytestmark = pytest.mark.browser

NUMBER = demo_id_number("310104", date(1958, 5, 17), 21)
OTHER = demo_id_number("310107", date(1990, 2, 3), 42)
DEPOSITS = [  # kind -> category: course academic, culture_leisure, training vocational
    ("course", "公共管理导论", "2023-06-30", "86"),
    ("culture_leisure", "书法入门", "2024-06-28", "优秀"),
    ("training", "老年人智能手机应用", "2025-05-20", "通过"),
]


@pytest.fixture
def archive_of_wang(make_learner, officer, institution):
    learner = make_learner(name="王建国", id_number=NUMBER, username="wang")
    deposit_outcomes(
        actor_for_user(officer),
        institution,
        [
            {
                "id_number": NUMBER,
                "name": "王建国",
                "kind": kind,
                "title": title,
                "hours": "32",
                "result": result,
                "started_on": "",
                "completed_on": done,
                "reference": f"ARCH-{n}",
            }
            for n, (kind, title, done, result) in enumerate(DEPOSITS)
        ],
        source="form",
    )
    return learner


def timeline_titles(page) -> list[str]:
    return page.locator("ol.timeline > li h2").all_inner_texts()


def show(page, category: str = "", year: str = "") -> None:
    page.select_option("#f-category", category)
    page.select_option("#f-year", year)
    with page.expect_navigation():
        page.click("form.filters button[type=submit]")


def test_learner_sees_deposited_outcomes_and_filters_them(page, sign_in, shot, archive_of_wang):
    sign_in(page, "wang")
    with page.expect_navigation():
        page.click("header nav a[href='/archive/']")
    number = page.get_by_test_id("id-number")
    assert number.inner_text().strip() == NUMBER
    # On a phone the 18 characters stay on one line: a number broken in two is misread.
    lines = number.evaluate(
        "el => { const r = document.createRange(); r.selectNodeContents(el);"
        " return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"
    )
    assert lines == 1

    # Newest first, each with its date, title, issuer and result.
    assert timeline_titles(page) == ["老年人智能手机应用", "书法入门", "公共管理导论"]
    first = page.locator("ol.timeline > li").last
    assert first.locator("time").get_attribute("datetime") == "2023-06-30"
    assert "上海开放大学" in first.inner_text()
    assert "86" in first.inner_text()
    # Whole hours without ".0"; a pass/fail result in the reader's language, not a code.
    latest = page.locator("ol.timeline > li").first.inner_text()
    assert "32.0" not in latest and "32" in latest
    with translation.override("zh-hans"):
        passed = translation.pgettext("result", "passed")
    assert passed in latest
    assert "pass" not in latest.replace(passed, "")
    # The title opens the outcome's own page.
    assert first.locator("h2 a").get_attribute("href").startswith("/outcomes/")
    # The year filter offers exactly the years that have outcomes.
    years = page.locator("#f-year option").evaluate_all("os => os.map(o => o.value)")
    assert years == ["", "2025", "2024", "2023"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "archive-phone")

    show(page, category="academic")
    assert timeline_titles(page) == ["公共管理导论"]
    assert "category=academic" in page.url
    assert page.locator("#f-category").input_value() == "academic"  # the choice is kept

    show(page, year="2024")
    assert timeline_titles(page) == ["书法入门"]
    assert page.locator("#f-year").input_value() == "2024"

    show(page, category="vocational", year="2025")
    assert timeline_titles(page) == ["老年人智能手机应用"]

    show(page, category="vocational", year="2023")
    assert timeline_titles(page) == []
    assert page.locator("ol.timeline > li").count() == 1  # the "no outcomes" line

    show(page)
    assert len(timeline_titles(page)) == 3


def test_learner_cannot_open_another_learners_archive(
    page, sign_in, archive_of_wang, make_learner, officer, institution
):
    other = make_learner(name="赵丽华", id_number=OTHER, username="zhao")
    [theirs] = deposit_outcomes(
        actor_for_user(officer),
        institution,
        [
            {
                "id_number": OTHER,
                "name": "赵丽华",
                "kind": "course",
                "title": "高等数学",
                "completed_on": "2024-01-10",
            }
        ],
        source="form",
    )
    sign_in(page, "wang")

    response = page.goto(f"/learners/{other.learner_no}/")
    assert response.status == 403
    assert page.locator("h1").count() == 1
    with translation.override("zh-hans"):
        assert page.locator("h1").inner_text().strip() == translation.gettext("Not allowed")
    assert page.locator("main [role=alert]").is_visible()
    body = page.locator("body").inner_text()
    assert "赵丽华" not in body and other.id_masked not in body and OTHER not in body
    # Nor can an outcome of theirs be opened by its number, while one's own can.
    assert page.goto(f"/outcomes/{theirs.pk}/").status == 403
    assert "高等数学" not in page.locator("body").inner_text()
    assert page.goto("/archive/").status == 200
    own = page.locator("ol.timeline h2 a").first.get_attribute("href")
    assert page.goto(own).status == 200
    # Reading one's own archive through the learner-number address is fine.
    assert page.goto(f"/learners/{archive_of_wang.learner_no}/").status == 200
    assert page.get_by_test_id("id-number").inner_text().strip() == NUMBER
