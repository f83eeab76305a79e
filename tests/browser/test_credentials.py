"""The credential pages on a phone, in both languages: the learner's credentials, a share link
with its QR code, and the public verification page with a result. Same bar as
test_accessibility: one h1, the page's language, labelled fields, no sideways scrolling, visible
focus, no serious or critical axe-core WCAG 2.1 AA violation."""

from __future__ import annotations

import json

import pytest
from test_accessibility import BLOCKING, LANGUAGES, UNLABELLED_FIELDS, WCAG_21_AA, axe_sync

from learncity.access import actor_for_user

STANDARD = """
standards:
  - {code: SOU-PA, version: "1", name_zh: 公共管理课程, effective_from: 2020-01-01,
     kinds: [course], institution_codes: [SOU], min_result: "60", level: 5,
     category: academic, hours_per_credit: 16, rounding_step: 0.5, credits_cap: 6}
"""

pytestmark = pytest.mark.browser


@pytest.fixture
def wang_with_credential(make_learner, system, institution, staff):
    from datetime import date

    from learncity.credentials import services
    from learncity.creditbank.models import Recognition
    from learncity.creditbank.services import publish_standard
    from learncity.creditbank.standards_file import import_standards
    from learncity.demo import demo_id_number
    from learncity.records.services import deposit_outcomes

    number = demo_id_number("310104", date(1958, 5, 17), 21)
    learner = make_learner(name="王建国", id_number=number, username="wang")
    admin = actor_for_user(staff("framework", "framework_admin"))
    for standard in import_standards(admin, STANDARD):
        publish_standard(admin, standard.pk)
    [outcome] = deposit_outcomes(system, institution, [{
        "id_number": number, "name": "王建国", "kind": "course", "title": "公共管理导论",
        "hours": "48", "result": "86", "completed_on": "2023-06-30"}], source="api")
    rec = Recognition.objects.get(outcome=outcome, status="recognised")
    return services.issue_for_recognition(actor_for_user(learner.user), rec.pk)


def check_accessible(page, locale: str) -> None:
    assert page.locator("h1").count() == 1
    assert page.locator("html").get_attribute("lang") == LANGUAGES[locale]
    assert page.evaluate(UNLABELLED_FIELDS) == []
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    ), "the page scrolls sideways at 390 px"
    results = axe_sync.Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]},
    )
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    assert not blocking, results.generate_report()


@pytest.mark.parametrize("locale", LANGUAGES)
def test_the_learner_shares_a_credential_from_a_phone(locale, new_page, sign_in,
                                                      wang_with_credential, shot):
    page = new_page(locale=locale)
    sign_in(page, "wang")
    page.goto("/credentials/")
    check_accessible(page, locale)
    assert page.locator("text=公共管理导论").count() >= 1
    with page.expect_navigation():
        page.locator("main form.form button[type=submit]").first.click()
    check_accessible(page, locale)
    assert page.locator(".qr svg title").count() == 1
    shot(page, f"credential-share-{locale}")


@pytest.mark.parametrize("locale", LANGUAGES)
def test_anyone_verifies_a_pasted_credential_on_a_phone(locale, new_page, wang_with_credential,
                                                        shot):
    page = new_page(locale=locale)
    page.goto("/verify/")
    check_accessible(page, locale)
    page.fill("#id_credential", json.dumps(wang_with_credential.document, ensure_ascii=False))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator('[data-testid="verdict"]').inner_text().startswith("✔")
    assert page.locator('tr[data-result="passed"]').count() >= 7
    check_accessible(page, locale)
    shot(page, f"credential-verified-{locale}")
