"""Browser tests: a real Chromium, driven by Playwright's sync API, against pytest-django's
live_server (a real HTTP server in a thread of this process, sharing the test database).

Playwright's sync API runs an asyncio event loop in the test thread, so Django's guard against
ORM calls from async code must be lifted for the test thread's own database look-ups.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = os.environ.get("LEARNCITY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "correct-horse-9"  # the password tests/conftest.py gives every user it makes
SHOTS = Path(os.environ.get("LEARNCITY_SHOTS", "/tmp/shots"))


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _framework(transactional_db):
    """Transactional tests flush every table, including the framework a data migration loads."""
    from learncity.framework.loader import load_framework

    load_framework()


@pytest.fixture
def new_page(chromium, live_server):
    """new_page(viewport=PHONE, locale="zh-CN") -> a Page in a fresh context (no cookies)."""
    contexts = []

    def make(viewport=PHONE, locale="zh-CN"):
        context = chromium.new_context(
            viewport=viewport,
            locale=locale,  # sets Accept-Language, which Django's LocaleMiddleware reads
            base_url=live_server.url,
            accept_downloads=True,
            reduced_motion="reduce",
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A phone-sized page, Chinese browser."""
    return new_page()


@pytest.fixture
def sign_in():
    """sign_in(page, username) signs in through the login form, as a person would."""

    def run(page, username: str, password: str = PASSWORD) -> None:
        page.goto("/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert "/login/" not in page.url, f"{username} could not sign in"

    return run


@pytest.fixture
def shot():
    """shot(page, name) saves a full-page screenshot as $LEARNCITY_SHOTS/name.png."""

    def take(page, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
