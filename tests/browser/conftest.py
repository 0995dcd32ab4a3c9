"""One real headless Chromium per test session (Debian's chromium + chromedriver)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from tests.browser.flows import Portal, grants_for, portal_for

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture(scope="session")
def browser() -> Iterator[webdriver.Chrome]:
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        f"--user-data-dir={profile}",
        "--lang=zh-CN",
        "--window-size=1280,900",
    ):
        options.add_argument(flag)
    # Like a browser in China: it asks for Chinese (the portal follows Accept-Language).
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def portal(browser, live_server, catalog_home, settings) -> Iterator[Portal]:
    """The session browser as a ``Portal`` on the reference catalog (flows.py); modules that
    need more (bindings, keys, a frozen clock) define their own ``portal``."""
    with portal_for(browser, live_server, settings) as portal:
        yield portal


@pytest.fixture
def transcript_portal(browser, live_server, catalog_home, settings) -> Iterator[Portal]:
    """A ``Portal`` for the transcript stories with a frozen clock (tests of deadlines).

    The session cookie is dated by the server's (frozen) clock but expired by Chromium's real
    one: it is given a life that outlasts the gap between the two.
    """
    settings.SESSION_COOKIE_AGE = 400 * 24 * 3600
    with portal_for(browser, live_server, settings) as portal:
        grants_for("jwc.transcript")
        yield portal
