"""The credit-transfer pages (issue 4) on a 390-pixel phone, in both languages: one h1, the
language declared, every field labelled, no sideways scrolling, and no serious or critical
WCAG 2.1 AA violation found by axe-core."""

from __future__ import annotations

import pytest
from tests.transfer.conftest import (  # noqa: F401  (fixtures)
    archive,
    college,
    deposit,
    learner_actor,
    programme,
    standard,
)

from learncity.access import actor_for_user
from learncity.transfer.models import Application
from learncity.transfer.services.applications import start_application, submit
from learncity.transfer.services.review import start_review

pytestmark = pytest.mark.browser
axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LANGUAGES = {"zh-CN": "zh-Hans", "en-US": "en"}
UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => !['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type))
  .filter(el => !((el.labels && [...el.labels].some(l => l.innerText.trim()))
                  || (el.getAttribute('aria-label') || '').trim()))
  .map(el => el.outerHTML)"""
PAGES = {
    "home": ("learner", "/transfer/"),
    "explore": ("learner", "/transfer/explore/SOU-PA-AD/"),
    "application": ("learner", "/transfer/applications/{app}/"),
    "notifications": ("learner", "/transfer/notifications/"),
    "transcript": ("learner", "/transfer/transcript/"),
    "institution": ("officer", "/transfer/institution/"),
    "review": ("officer", "/transfer/applications/{app}/"),
}


@pytest.fixture
def usernames(archive, learner_actor, officer):  # noqa: F811
    app = start_application(learner_actor, "SOU-PA-AD")
    submit(learner_actor, app.pk, consent=True)
    start_review(actor_for_user(officer), app.pk)
    return {"learner": learner_actor.user.username, "officer": officer.username}


@pytest.mark.parametrize("locale", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_transfer_page_is_accessible_on_a_phone(name, locale, new_page, sign_in, usernames):
    who, path = PAGES[name]
    page = new_page(locale=locale)
    sign_in(page, usernames[who])
    page.goto(path.format(app=Application.objects.get().pk))
    assert page.locator("h1").count() == 1
    assert page.locator("html").get_attribute("lang") == LANGUAGES[locale]
    assert page.evaluate(UNLABELLED) == []
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    ), "the page scrolls sideways at 390 px"
    results = axe_sync.Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]},
    )
    blocking = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not blocking, results.generate_report()
