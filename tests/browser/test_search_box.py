"""The search box in the site's header, in headless Chromium: an agency types a name without Norwegian letters
and lands on the search page with the right municipality first (no JavaScript needed: it is a plain form)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from harness import require

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
pytestmark = [pytest.mark.browser, pytest.mark.integration]


@pytest.fixture(scope="module")
def chromium():
    require(Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists(),
            "Chromium and chromedriver are not installed (.ci/setup.d/30-chromium.sh installs them)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = Path(tempfile.mkdtemp(prefix="hg-chromium-search-"))
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--window-size=1280,900", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "nb,no,en"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def test_header_search_box_finds_hoylandet(chromium, live_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    chromium.get(live_server.url + "/dataset")
    box = chromium.find_element(By.CSS_SELECTOR, "header form[role=search] input[name=q]")
    box.send_keys("hoylandet", Keys.ENTER)
    WebDriverWait(chromium, 30).until(lambda d: "/search" in d.current_url)
    first = WebDriverWait(chromium, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".search-results li a"))[0]
    assert first.text == "Høylandet"
    assert first.get_attribute("href").endswith("/id/municipality/5046")
    assert "treff for" in chromium.find_element(By.ID, "search-summary").text
    chromium.save_screenshot(str(Path(tempfile.gettempdir()) / "helsegraf-search.png"))
