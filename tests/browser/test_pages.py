"""Real-browser tests: what a researcher, a planner and an agency do first, in headless Chromium."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from harness import require

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,1000", "--lang=nb"]


def _make_driver(user_data_dir: Path, javascript: bool = True):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS + [f"--user-data-dir={user_data_dir}"]:
        options.add_argument(flag)
    prefs = {"intl.accept_languages": "nb,no,en"}  # a Norwegian reader
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    options.add_experimental_option("prefs", prefs)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    return driver


def _require_browser() -> None:
    require(Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists(),
            "Chromium and chromedriver are not installed (.ci/setup.d/30-chromium.sh installs them)")
    try:
        import selenium  # noqa: F401
    except ImportError:
        require(False, "selenium is not installed (pip install -e '.[test]')")


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory):
    chosen = os.environ.get("HELSEGRAF_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    yield folder
    print(f"\nscreenshots: {folder}")


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    profile = Path(tempfile.mkdtemp(prefix="hg-chromium-"))  # a fresh profile every run
    driver = _make_driver(profile)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def browser_without_js():
    _require_browser()
    profile = Path(tempfile.mkdtemp(prefix="hg-chromium-nojs-"))
    driver = _make_driver(profile, javascript=False)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)

from urllib.parse import quote  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.integration]

WAIT = 30


def wait_for(driver, css: str, timeout: float = WAIT, count: int = 1):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, timeout).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, css)) >= count)
    return driver.find_elements(By.CSS_SELECTOR, css)


def shoot(driver, folder, name: str) -> None:
    driver.save_screenshot(str(folder / f"{name}.png"))


def browser_errors(driver) -> list[str]:
    """Severe console messages (script errors, CSP violations, failed loads) of the page."""
    try:
        return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    except Exception:  # noqa: BLE001 - not every driver keeps a log
        return []


def editor_text(driver) -> str:
    return driver.execute_script("return window.helsegrafYasgui.getTab().getQuery();")


def test_query_ui_runs_the_default_query_and_shows_a_table(browser, live_server, screenshots):
    from selenium.webdriver.common.by import By

    browser.get(live_server.url + "/")
    wait_for(browser, ".yasqe .CodeMirror")
    assert "hg:Service" in editor_text(browser)
    browser.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()
    rows = wait_for(browser, ".yasr table tbody tr")
    assert len(rows) >= 1 and "providedBy" not in rows[0].text
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nb"
    assert not [e for e in browser_errors(browser) if "Content Security Policy" in e]
    shoot(browser, screenshots, "01-query-table")
    # the raw response is one click away
    browser.find_element(By.CSS_SELECTOR, ".yasr .select_response").click()
    wait_for(browser, ".yasr .CodeMirror")
    shoot(browser, screenshots, "02-query-response")


def test_an_example_opens_in_the_editor_with_one_click(browser, live_server, screenshots):
    from selenium.webdriver.common.by import By

    browser.get(live_server.url + "/")
    wait_for(browser, ".yasqe .CodeMirror")
    examples = browser.find_elements(By.CSS_SELECTOR, "a.open-example")
    assert examples, "the gallery shows no example (queries/cq/*.rq)"
    first = examples[0]
    expected = first.get_attribute("data-query")
    first.click()
    wait_for(browser, ".yasqe .CodeMirror")
    body = [line for line in expected.splitlines() if line.strip() and not line.startswith("#")][-1]
    assert body.strip() in editor_text(browser)
    browser.find_element(By.CSS_SELECTOR, ".tabPanel.active .yasqe_queryButton").click()
    wait_for(browser, ".tabPanel.active .yasr .yasr_results *")
    shoot(browser, screenshots, "03-example")
    assert not browser.find_elements(By.CSS_SELECTOR, ".tabPanel.active .yasr .errorResult")


def test_counting_query_offers_a_chart(browser, live_server, screenshots):
    from selenium.webdriver.common.by import By

    query = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
             "SELECT ?class (COUNT(?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) LIMIT 12")
    browser.get(live_server.url + "/?query=" + quote(query) + "&title=chart")
    wait_for(browser, ".tabPanel.active .yasqe .CodeMirror")
    browser.find_element(By.CSS_SELECTOR, ".tabPanel.active .yasqe_queryButton").click()
    wait_for(browser, ".tabPanel.active .yasr table tbody tr")
    browser.find_element(By.CSS_SELECTOR, ".tabPanel.active .yasr .select_chart").click()
    bars = wait_for(browser, ".tabPanel.active svg.hg-chart rect")
    assert len(bars) >= 2
    shoot(browser, screenshots, "04-chart")


def test_resource_page_without_javascript_and_a_followed_link(browser_without_js, live_server, screenshots):
    from selenium.webdriver.common.by import By

    driver = browser_without_js
    driver.get(live_server.url + "/id/unit/levanger-helse-og-velferd")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Helse og velferd"
    assert driver.find_elements(By.CSS_SELECTOR, "#properties + table tbody tr")
    shoot(driver, screenshots, "05-resource")
    driver.find_element(By.CSS_SELECTOR, 'a[href="/id/municipality/5037"]').click()
    assert driver.current_url.endswith("/id/municipality/5037")
    assert "Levanger" in driver.find_element(By.TAG_NAME, "h1").text
    shoot(driver, screenshots, "06-resource-followed")
    driver.find_element(By.CSS_SELECTOR, "header nav .lang a").click()
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"


def test_planner_uploads_a_plan_and_sees_the_report(browser_without_js, live_server, screenshots, tmp_path):
    from selenium.webdriver.common.by import By

    plan = tmp_path / "plan.ttl"
    plan.write_text(
        "@prefix hg: <https://w3id.org/helsegraf/ontology#> .\n"
        '<https://w3id.org/helsegraf/id/municipality/5037> hg:municipalityNumber "537" .\n', encoding="utf-8")
    driver = browser_without_js
    driver.get(live_server.url + "/validate")
    shoot(driver, screenshots, "07-validate-form")
    driver.find_element(By.CSS_SELECTOR, "#data-file").send_keys(str(plan))
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(driver, "p.summary", timeout=120)
    assert driver.find_elements(By.CSS_SELECTOR, ".severity-violation")
    assert driver.find_element(By.CSS_SELECTOR, "header.site nav")  # it sits in the shared frame
    shoot(driver, screenshots, "08-validate-report")


@pytest.mark.parametrize("path, name", [("/pictures", "09-pictures"), ("/ontology", "10-ontology"),
                                        ("/dataset", "11-dataset")])
def test_pictures_and_documents_load(browser, live_server, screenshots, path, name):
    browser.get(live_server.url + path)
    wait_for(browser, "main h1")
    if path == "/pictures":
        images = wait_for(browser, "img.picture", count=4)
        browser.execute_script("window.scrollTo(0, 0)")
        loaded = browser.execute_script(
            "return Array.from(document.querySelectorAll('img.picture')).map(i => i.complete && i.naturalWidth > 0);")
        assert all(loaded) and len(loaded) == len(images)
        for i, image in enumerate(images):
            image.screenshot(str(screenshots / f"{name}-{i + 1}.png"))
    shoot(browser, screenshots, name)
    assert not [e for e in browser_errors(browser) if "Content Security Policy" in e]


# --- the query UI keeps its promises (issue 14): one test per defect -----------------------------------------

CQ06 = next((Path(__file__).resolve().parents[2] / "queries" / "cq").glob("cq-06-*.rq"))


def run_active_query(driver):
    from selenium.webdriver.common.by import By

    driver.find_element(By.CSS_SELECTOR, ".tabPanel.active .yasqe_queryButton").click()
    return wait_for(driver, ".tabPanel.active .yasr table tbody tr")


def test_yasguis_share_link_restores_the_shared_query(browser, live_server):
    query = "SELECT ?m WHERE { ?m a hg:Municipality } LIMIT 7 # shared-query-marker"
    browser.get(live_server.url + "/?query=" + quote(query))
    wait_for(browser, ".tabPanel.active .yasqe .CodeMirror")
    link = browser.execute_script("return window.helsegrafYasgui.getTab().getShareableLink();")
    assert "query=" in link
    browser.get("about:blank")
    browser.get(link)
    wait_for(browser, ".tabPanel.active .yasqe .CodeMirror")
    assert "shared-query-marker" in editor_text(browser)
    browser.get(live_server.url + "/#query=" + quote("ASK { } # hash-marker"))
    wait_for(browser, ".tabPanel.active .yasqe .CodeMirror")
    assert "hash-marker" in editor_text(browser)


def test_raw_result_links_give_the_format_they_name(browser, live_server):
    import requests
    from selenium.webdriver.common.by import By

    browser.get(live_server.url + "/")
    raw = wait_for(browser, "a.raw")[0]
    assert "JSON" in raw.text
    response = requests.get(raw.get_attribute("href"), headers={"Accept": "text/html,*/*;q=0.8"}, timeout=30)
    assert response.headers["Content-Type"].startswith("application/sparql-results+json")
    assert "results" in response.json() or "boolean" in response.json()
    footer = browser.find_element(By.CSS_SELECTOR, "footer.site a[title='/sparql']")
    footer.click()
    wait_for(browser, ".yasqe .CodeMirror")
    assert browser.execute_script("return document.contentType;") == "text/html"


def test_editor_completes_the_projects_classes_from_this_server(browser, live_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(live_server.url + "/?query=" + quote("PREFIX hg: <https://w3id.org/helsegraf/ontology#>\n"
                                                     "SELECT * WHERE { ?x a hg:Municip"))
    wait_for(browser, ".tabPanel.active .yasqe .CodeMirror")
    browser.execute_script(
        "var cm = window.helsegrafYasgui.getTab().getYasqe(); cm.focus();"
        "cm.setCursor(cm.lastLine(), cm.getLine(cm.lastLine()).length);")
    browser.find_element(By.CSS_SELECTOR, ".tabPanel.active .CodeMirror textarea").send_keys(Keys.CONTROL, Keys.SPACE)
    hints = wait_for(browser, ".CodeMirror-hints li")
    texts = [h.text for h in hints]
    assert any("Municipality" in t for t in texts), texts
    assert not [e for e in browser_errors(browser) if "lov.linkeddata.es" in e or "Content Security Policy" in e]


def test_result_tables_show_labels_beside_iris(browser, live_server):
    query = ("PREFIX hg: <https://w3id.org/helsegraf/ontology#>\n"
             "SELECT ?m WHERE { ?m hg:municipalityNumber \"5037\" }")
    browser.get(live_server.url + "/?query=" + quote(query))
    wait_for(browser, ".tabPanel.active .yasqe .CodeMirror")
    run_active_query(browser)
    labels = wait_for(browser, ".tabPanel.active .yasr table tbody .hg-label")
    assert "Levanger" in labels[0].text


def test_a_truncated_result_says_so_above_the_table(browser, server_factory):
    server = server_factory(env={"HELSEGRAF_MAX_RESULT_ROWS": "5"})
    browser.get(server.url + "/?query=" + quote("SELECT ?s WHERE { ?s ?p ?o } LIMIT 50"))
    wait_for(browser, ".tabPanel.active .yasqe .CodeMirror")
    run_active_query(browser)
    notice = wait_for(browser, ".tabPanel.active .hg-truncated")[0]
    assert "5" in notice.text and "kuttet" in notice.text and notice.is_displayed()


def test_yasguis_controls_are_norwegian_on_the_norwegian_page(browser, live_server):
    from selenium.webdriver.common.by import By

    browser.get(live_server.url + "/")
    wait_for(browser, ".yasqe .CodeMirror")
    from selenium.webdriver.support.ui import WebDriverWait

    run_active_query(browser)
    WebDriverWait(browser, WAIT).until(  # translated on the next animation frame after YASGUI draws
        lambda d: "rader på" in d.find_element(By.CSS_SELECTOR, ".tabPanel.active .yasr_header").text)
    header = browser.find_element(By.CSS_SELECTOR, ".tabPanel.active .yasr_header").text
    assert "Tabell" in header and "Svar" in header
    assert "Table" not in header and "Response" not in header
    titles = browser.execute_script(
        "return Array.from(document.querySelectorAll('#yasgui [title]')).map(e => e.getAttribute('title'));")
    assert not {"Run query", "Share query", "Download result"} & set(titles), titles


def test_chart_labels_bars_by_a_column_that_tells_them_apart(browser, live_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(live_server.url + "/?query=" + quote(CQ06.read_text(encoding="utf-8")))
    wait_for(browser, ".tabPanel.active .yasqe .CodeMirror")
    run_active_query(browser)
    browser.find_element(By.CSS_SELECTOR, ".tabPanel.active .yasr .select_chart").click()
    wait_for(browser, ".tabPanel.active svg.hg-chart rect", count=2)
    bar_labels = browser.execute_script(
        "return Array.from(document.querySelectorAll('.tabPanel.active svg.hg-chart text[text-anchor=end]'))"
        ".map(t => t.textContent);")
    assert len(bar_labels) >= 2 and len(set(bar_labels)) == len(bar_labels), bar_labels
    Select(browser.find_element(By.CSS_SELECTOR, ".tabPanel.active #hg-chart-label")).select_by_value("rhfLabel")
    relabelled = browser.execute_script(
        "return Array.from(document.querySelectorAll('.tabPanel.active svg.hg-chart text[text-anchor=end]'))"
        ".map(t => t.textContent);")
    assert len(set(relabelled)) < len(relabelled)  # the user's choice wins, repeats and all


def test_permalink_reopens_the_query_and_confirms_its_result(browser, live_server):
    from selenium.webdriver.common.by import By

    query = "PREFIX hg: <https://w3id.org/helsegraf/ontology#>\nSELECT ?m WHERE { ?m a hg:County } # cite-me"
    browser.get(live_server.url + "/?query=" + quote(query))
    wait_for(browser, ".tabPanel.active .yasqe .CodeMirror")
    browser.find_element(By.CSS_SELECTOR, "#make-permalink").click()
    link = wait_for(browser, "#permalink")[0]
    assert link.get_attribute("data-hash").startswith("sha256:")
    link.click()
    verdict = wait_for(browser, "#cited")[0]
    assert verdict.get_attribute("data-same-result") == "true"
    assert "cite-me" in editor_text(browser)
