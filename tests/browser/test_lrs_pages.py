"""The LRS portal pages in a real browser, on a 390-pixel phone, in both languages: the same
checks as test_accessibility.py (one h1, the language, labels, no sideways scrolling, keyboard
focus rings, the skip link, no serious or critical axe-core WCAG 2.1 AA violation)."""

from __future__ import annotations

import pytest
from tests.browser.test_accessibility import (
    BLOCKING,
    LANGUAGES,
    UNLABELLED_FIELDS,
    WCAG_21_AA,
    axe_sync,
    contrast,
    keyboard_walk,
)

from learncity.lrs.projection import confirm_learner_email

pytestmark = pytest.mark.browser


def _credential_created(page):
    page.goto("/institution/lrs-credentials/")
    page.fill("#id_name", "SOU Moodle")
    with page.expect_navigation():
        page.click("main form.form button[type=submit] >> nth=0")
    assert page.locator("[data-testid=new-secret]").inner_text().strip()


def _email_refused(page):
    page.goto("/archive/learning-platform-emails/")
    page.fill("#id_email", "wang@example.com")
    page.fill("#id_email_again", "wagn@example.com")
    with page.expect_navigation():
        page.click("main form.form button[type=submit]")
    assert page.locator(".field.has-error").count() >= 1


# name -> (who signs in, path or a function that brings the page into the state to check)
PAGES = {
    "lrs-credentials": ("officer", "/institution/lrs-credentials/"),
    "lrs-credential-created": ("officer", _credential_created),
    "platform-emails": ("wang", "/archive/learning-platform-emails/"),
    "platform-email-refused": ("wang", _email_refused),
}


@pytest.fixture
def wang(make_learner, system):
    learner = make_learner(name="王建国", username="wang")
    confirm_learner_email(system, learner, "wang.jianguo@example.com")
    return learner


@pytest.mark.parametrize("locale", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_lrs_page_is_accessible_on_a_phone(name, locale, new_page, sign_in, request):
    who, target = PAGES[name]
    request.getfixturevalue(who)
    page = new_page(locale=locale)
    sign_in(page, who)
    if callable(target):
        target(page)
    else:
        page.goto(target)
    assert page.locator("h1").count() == 1 and page.locator("h1").inner_text().strip()
    assert page.locator("html").get_attribute("lang") == LANGUAGES[locale]
    assert page.evaluate(UNLABELLED_FIELDS) == []
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    ), "the page scrolls sideways at 390 px"
    reached = keyboard_walk(page)
    assert reached and 'class="skip"' in reached[0]["html"]
    for stop in reached:
        assert stop["style"] != "none" and stop["width"] >= 2, f"no focus ring: {stop['html']}"
        assert contrast(stop["color"], stop["behind"]) >= 3, stop["html"]
    page.focus("a.skip")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    results = axe_sync.Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]},
    )
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    assert not blocking, results.generate_report()
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    ), "the page scrolls sideways at 320 px"
