"""A resident opens an account on a phone; a wrong identity number is refused with a clear error."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from learncity.demo import demo_id_number
from learncity.identity.messages import problem_message
from learncity.identity.models import Learner

pytestmark = pytest.mark.browser

CJK = re.compile(r"[\u4e00-\u9fff]")


def fill_registration(page, id_number: str, username: str = "liming") -> None:
    page.goto("/register/")
    page.fill("#id_name", "李明")
    page.select_option("#id_doc_type", "cn_resident")
    page.fill("#id_id_number", id_number)
    page.select_option("#id_district_code", "310104")
    page.select_option("#id_hukou", "local")
    page.fill("#id_phone", "13900000000")
    page.fill("#id_username", username)
    page.fill("#id_password", "correct-horse-9")


def submit(page) -> None:
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def test_new_resident_opens_an_account_on_a_phone_and_sees_own_full_number(page, shot):
    number = demo_id_number("310104", date(1975, 8, 9), 33)
    fill_registration(page, number)
    # On a phone the keyboard covers half the screen: the button must still be reachable.
    page.locator("main form button[type=submit]").scroll_into_view_if_needed()
    submit(page)

    assert page.url.endswith("/archive/")
    learner = Learner.objects.get()
    assert learner.name == "李明"
    assert learner.user.username == "liming"
    # Welcomed with the new learner number, in a status message a screen reader announces.
    assert learner.learner_no in page.locator("main [role=status]").inner_text()
    # The archive is theirs and shows their own identity number in full, not masked.
    assert page.locator("h1").count() == 1
    shown = page.get_by_test_id("id-number")
    assert shown.inner_text().strip() == number
    assert "*" not in shown.inner_text()
    assert page.locator("dl.profile").inner_text().count(learner.learner_no) == 1
    # They are signed in: the navigation offers "sign out", not "sign in".
    assert page.locator("header form[action='/logout/']").is_visible()
    assert page.locator("header a[href='/login/']").count() == 0
    # Nothing sticks out sideways on a 390-pixel-wide phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "register-archive-phone")


def expected_message(language: str) -> str:
    with translation.override(language):
        return problem_message("bad_check_char")


def assert_error_next_to_id_number(page, text: str) -> None:
    field = page.locator("#id_id_number")
    assert field.get_attribute("aria-invalid") == "true"
    # The message sits in the same field block as the input and the input points at it.
    error_id = field.get_attribute("aria-describedby")
    assert error_id, "the identity-number input is not linked to its error"
    error = page.locator(f"#{error_id}")
    assert error.is_visible()
    assert error.inner_text().strip().lstrip("⚠").strip() == text
    block = page.locator(".field.has-error", has=page.locator("#id_id_number"))
    assert block.count() == 1
    assert text in block.inner_text()
    # Directly below the input, on a phone, without scrolling sideways.
    field_box, error_box = field.bounding_box(), error.bounding_box()
    assert 0 <= error_box["y"] - (field_box["y"] + field_box["height"]) < 60
    assert error_box["x"] + error_box["width"] <= 390
    # No other field is blamed.
    assert page.locator(".field.has-error").count() == 1
    # The form is long on a phone: a summary at its top says what is wrong and links to it.
    summary = page.locator("#form-errors[role=alert]")
    assert summary.is_visible() and text in summary.inner_text()
    links = summary.locator("a")
    assert links.count() == 1 and links.get_attribute("href") == "#id_id_number"
    links.click()
    assert page.evaluate("document.activeElement.id") == "id_id_number"
    # What the resident typed is kept, so they can correct one character.
    assert field.input_value() == WRONG


GOOD = demo_id_number("310104", date(1962, 1, 28), 35)
WRONG = GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1")


def test_wrong_check_character_is_refused_in_chinese_then_english(page, shot):
    fill_registration(page, WRONG)
    submit(page)

    assert page.url.endswith("/register/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    chinese = expected_message("zh-hans")
    assert_error_next_to_id_number(page, chinese)
    if chinese != expected_message("en"):  # once the Chinese catalogue has this message
        assert CJK.search(page.locator("#id_id_number_error").inner_text())
    page.locator("#id_id_number").scroll_into_view_if_needed()
    shot(page, "register-error-zh")

    # Switch the interface to English with the language button and try again.
    with page.expect_navigation():
        page.click("header form.lang button[value=en]")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith("/register/")
    fill_registration(page, WRONG)
    submit(page)
    english = expected_message("en")
    assert "check character" in english
    assert_error_next_to_id_number(page, english)
    shot(page, "register-error-en")
    assert page.locator("header form.lang button[value=zh-hans]").is_visible()

    assert Learner.objects.count() == 0
    assert get_user_model().objects.count() == 0
