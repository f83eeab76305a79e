"""Every main page, in both languages, on a 390-pixel phone: one h1, a language, a label for every
input, a working skip link, a visible focus ring on everything reachable by keyboard, no sideways
scrolling, and no serious or critical WCAG 2.1 AA violation found by axe-core.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from learncity.access import actor_for_user
from learncity.demo import demo_id_number
from learncity.records.services import deposit_outcomes, report_own_outcome

pytestmark = pytest.mark.browser

axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
NUMBER = demo_id_number("310104", date(1958, 5, 17), 21)
LANGUAGES = {"zh-CN": "zh-Hans", "en-US": "en"}


@pytest.fixture
def wang(make_learner, officer, institution):
    learner = make_learner(name="王建国", id_number=NUMBER, username="wang")
    deposit_outcomes(
        actor_for_user(officer),
        institution,
        [
            {
                "id_number": NUMBER,
                "name": "王建国",
                "kind": "course",
                "title": "公共管理导论",
                "hours": "48",
                "result": "86",
                "completed_on": "2023-06-30",
            },
            {
                "id_number": NUMBER,
                "name": "王建国",
                "kind": "training",
                "title": "急救员培训",
                "hours": "16",
                "result": "通过",
                "completed_on": "2024-05-10",
            },
        ],
        source="form",
    )
    report_own_outcome(
        actor_for_user(learner.user),
        {
            "kind": "social_practice",
            "title": "社区图书馆志愿服务",
            "hours": "40",
            "completed_on": "2024-12-31",
            "evidence_url": "https://example.org/volunteer/1",
        },
        issuer_name="徐汇区图书馆",
    )
    return learner


def _register_with_errors(page, get):
    page.goto("/register/")
    page.fill("#id_id_number", "31010419580517021")  # one character short
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator(".field.has-error").count() >= 3


def _upload_report(page, get, tmp_path):
    sheet = tmp_path / "bad.csv"
    sheet.write_text(
        "id_number,name,kind,title,completed_on\n"
        f"{NUMBER[:-1]}0,王建国,course,公共管理导论,2023-06-30\n"
        f"{NUMBER},王建国,lecture,讲座,2099-01-01\n",
        encoding="utf-8",
    )
    page.goto("/institution/upload/")
    page.set_input_files("#id_file", str(sheet))
    with page.expect_navigation():
        page.click("main form.form button[type=submit]")
    assert page.locator("main table tbody tr").count() >= 3


# name -> (who signs in, path or a function that brings the page into the state to check)
PAGES = {
    "home": (None, "/"),
    "login": (None, "/login/"),
    "register": (None, "/register/"),
    "register-errors": (None, _register_with_errors),
    "archive": ("wang", "/archive/"),
    "upload": ("officer", "/institution/upload/"),
    "upload-report": ("officer", _upload_report),
    "review-queue": ("reviewer", "/review/"),
    "not-allowed": ("wang", "/review/"),
}

UNLABELLED_FIELDS = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => !['hidden', 'submit', 'button', 'reset', 'image'].includes(el.type))
  .filter(el => !(
      (el.labels && [...el.labels].some(l => l.innerText.trim()))
      || (el.getAttribute('aria-label') || '').trim()
      || el.getAttribute('aria-labelledby')))
  .map(el => el.outerHTML)"""

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  window.__seen = window.__seen || new Set();
  const again = window.__seen.has(el);
  window.__seen.add(el);
  const style = getComputedStyle(el);
  let behind = 'rgb(255, 255, 255)';
  for (let n = el.parentElement; n; n = n.parentElement) {
    const c = getComputedStyle(n).backgroundColor;
    if (c && c !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(c)) { behind = c; break; }
  }
  const box = el.getBoundingClientRect();
  return {again, html: el.outerHTML.slice(0, 100), style: style.outlineStyle,
          width: parseFloat(style.outlineWidth), color: style.outlineColor, behind,
          inView: box.width > 0 && box.height > 0 && box.top >= 0 && box.left >= 0
                  && box.right <= window.innerWidth && box.bottom <= window.innerHeight};
}"""


def _luminance(css_colour: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", css_colour)[:3])
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def keyboard_walk(page, limit: int = 120) -> list[dict]:
    """Tab from the top of the page through every focusable element; return what had focus."""
    # The sign-in form puts focus in the user name field (autofocus); start from the top.
    page.wait_for_function(
        "!document.querySelector('[autofocus]')"
        " || document.activeElement === document.querySelector('[autofocus]')"
    )
    page.evaluate(
        "document.body.tabIndex = -1; document.body.focus();"
        " document.body.removeAttribute('tabindex')"
    )
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUSED)
        if info is None or info["again"]:
            break
        seen.append(info)
    return seen


@pytest.fixture
def open_state(new_page, sign_in, request, tmp_path):
    def open_(name: str, locale: str):
        who, target = PAGES[name]
        if who == "wang":
            request.getfixturevalue("wang")
        elif who:
            request.getfixturevalue(who)
            request.getfixturevalue("wang")  # something to show in the queue and report
        page = new_page(locale=locale)
        if who:
            sign_in(page, who)
        if callable(target):
            args = (page, request.getfixturevalue, tmp_path)
            target(*args[: target.__code__.co_argcount])
        else:
            page.goto(target)
        return page

    return open_


@pytest.mark.parametrize("locale", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_page_is_accessible_on_a_phone(name, locale, open_state):
    page = open_state(name, locale)
    assert page.viewport_size["width"] == 390

    # One h1, saying what the page is.
    assert page.locator("h1").count() == 1
    assert page.locator("h1").inner_text().strip()
    # The language of the page is declared, and is the one the reader asked for.
    assert page.locator("html").get_attribute("lang") == LANGUAGES[locale]
    # Every input, select and text area has a label with text.
    assert page.evaluate(UNLABELLED_FIELDS) == []
    # No sideways scrolling on a 390-pixel-wide phone.
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    ), "the page scrolls sideways at 390 px"

    # Keyboard: the first Tab shows the skip link; every stop has a visible focus ring.
    reached = keyboard_walk(page)
    assert reached, "nothing can be reached with the keyboard"
    assert 'class="skip"' in reached[0]["html"] and 'href="#main"' in reached[0]["html"]
    assert reached[0]["inView"], "the skip link stays hidden when it has focus"
    for stop in reached:
        assert stop["style"] != "none" and stop["width"] >= 2, f"no focus ring: {stop['html']}"
        ratio = contrast(stop["color"], stop["behind"])
        assert ratio >= 3, f"focus ring contrast {ratio:.1f}:1 on {stop['html']}"
    # The skip link moves focus to the main content.
    page.focus("a.skip")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # axe-core: no serious or critical WCAG 2.1 A/AA violation.
    results = axe_sync.Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]},
    )
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING]
    assert not blocking, results.generate_report()

    # WCAG 1.4.10 Reflow: still no sideways scrolling at 320 CSS pixels (data tables scroll
    # inside their own box, which the criterion allows).
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    ), "the page scrolls sideways at 320 px"
