"""A planner in headless Chromium: downloads the template from /validate, fills in a broken plan with
openpyxl, uploads it, reads the findings by plan element with their rows, fixes and legal links; fixes the
plan and sees a clean report. The same through the form, without JavaScript.

``HELSEGRAF_SCREENSHOTS=docs/img`` keeps the pictures that docs/planlegger.md shows."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_pages import _make_driver, _require_browser, screenshots, shoot, wait_for  # noqa: F401 -- fixture

pytestmark = [pytest.mark.browser, pytest.mark.integration]

PBL_ELI = "https://lovdata.no/eli/lov/2008/06/27/71/nor"


@pytest.fixture(scope="module")
def downloads():
    folder = Path(tempfile.mkdtemp(prefix="hg-downloads-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def planner_browser(downloads):
    _require_browser()
    profile = Path(tempfile.mkdtemp(prefix="hg-chromium-planner-"))
    driver = _make_driver(profile, javascript=False)  # the planner's pages work without JavaScript
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.set_window_size(1400, 1100)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def _downloaded(folder: Path, name: str, timeout: float = 30) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        path = folder / name
        if path.exists() and path.stat().st_size > 0 and not (folder / (name + ".crdownload")).exists():
            return path
        time.sleep(0.2)
    raise AssertionError(f"{name} was not downloaded: {list(folder.iterdir())}")


def _upload(driver, server, path: Path):
    from selenium.webdriver.common.by import By

    driver.get(server.url + "/validate")
    driver.find_element(By.ID, "data-file").send_keys(str(path))
    driver.find_element(By.ID, "upload-submit").click()
    return wait_for(driver, "#verdict")[0]


def test_template_download_broken_upload_findings_then_clean(planner_browser, live_server, downloads, screenshots,
                                                             tmp_path):
    from selenium.webdriver.common.by import By

    driver = planner_browser
    driver.get(live_server.url + "/validate")
    shoot(driver, screenshots, "planlegger-1-validate")
    assert driver.find_element(By.ID, "guide-link").get_attribute("href").endswith("/validate/veiledning")
    driver.find_element(By.ID, "template-xlsx").click()
    workbook = _downloaded(downloads, "helsegraf-planmal.xlsx")

    book = load_workbook(workbook)
    plan, measures = book["plan"], book["tiltak"]
    plan["B3"], plan["G3"], plan["H3"], plan["J3"] = "Kommunedelpaln", 2026, 2022, "nei"
    # The example leaves the legal basis empty (that the plan rests on the act is the graph's inference, not a
    # statement of seed 004); naming the act beside «not under the act» gives a finding with its legal link.
    plan["I3"] = "plan- og bygningsloven"
    measures["E5"] = None  # the third measure serves no strategy (and so no goal)
    broken = tmp_path / "plan.xlsx"
    book.save(broken)

    verdict = _upload(driver, live_server, broken)
    assert "Planen bryter reglene" in verdict.text
    shoot(driver, screenshots, "planlegger-2-rapport")
    sections = driver.find_elements(By.CSS_SELECTOR, "section.element")
    kinds = [s.get_attribute("data-kind") for s in sections]
    assert kinds == ["plan", "measure"]  # grouped by element, the plan first
    plan_section, measure_section = sections
    plan_text = plan_section.text
    assert "ark «plan», rad 3, kolonne B («Plantype»)" in plan_text and "Mente du «Kommunedelplan»?" in plan_text
    assert "Planperioden slutter (2022) før den starter (2026)." in plan_text and "kolonne G, H" in plan_text
    assert "Hva du gjør" in plan_text
    legal = plan_section.find_elements(By.CSS_SELECTOR, "a.legal-link")
    assert legal and legal[0].get_attribute("href") == PBL_ELI
    assert "ark «tiltak», rad 5, kolonne E" in measure_section.text and "Tiltaket tjener ingen strategi." in measure_section.text
    # each severity is said in words for screen readers, not by colour alone
    assert all(f.find_element(By.CSS_SELECTOR, ".sev").text for f in driver.find_elements(By.CSS_SELECTOR, ".finding"))
    assert "_:" not in driver.find_element(By.CSS_SELECTOR, ".findings").text
    rdf = driver.find_element(By.ID, "converted-rdf").text
    assert "levanger-khpo-s1-t3" in rdf and "hg:periodStart" in rdf
    driver.find_element(By.ID, "dl-converted").click()
    assert "hg:Measure" in _downloaded(downloads, "plan.ttl").read_text(encoding="utf-8")

    book = load_workbook(broken)
    book["plan"]["B3"], book["plan"]["G3"], book["plan"]["H3"], book["plan"]["J3"] = "Kommunedelplan", 2022, 2026, "ja"
    book["tiltak"]["E5"] = "levanger-khpo-s1"
    fixed = tmp_path / "fixed.xlsx"
    book.save(fixed)
    verdict = _upload(driver, live_server, fixed)
    assert "Planen følger reglene." in verdict.text and "Advarsel: 0" in verdict.text
    assert driver.find_element(By.ID, "no-findings").text == "Ingen funn."
    shoot(driver, screenshots, "planlegger-3-ren-rapport")


def test_the_form_without_javascript_broken_then_clean(planner_browser, live_server, screenshots):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver = planner_browser

    def fill(start: str, end: str, measure_two_strategy: str):
        driver.get(live_server.url + "/validate")
        values = {"plan.1.navn": "Temaplan for prøving", "plan.1.periode_fra": start, "plan.1.periode_til": end,
                  "mål.1.navn": "Et mål", "strategier.1.navn": "En strategi", "strategier.1.tjener_mal": "1",
                  "tiltak.1.navn": "Første tiltak", "tiltak.1.tjener_strategi": "1", "tiltak.2.navn": "Andre tiltak",
                  "tiltak.2.tjener_strategi": measure_two_strategy}
        for name, value in values.items():
            field = driver.find_element(By.ID, name)
            field.clear()
            field.send_keys(value)
        for name, choice in {"plan.1.plantype": "Temaplan", "plan.1.kommune": "Levanger",
                             "plan.1.vedtatt_av": "Kommunestyret i Levanger",
                             "plan.1.lovgrunnlag": "helse- og omsorgstjenesteloven", "plan.1.etter_pbl": "nei"}.items():
            Select(driver.find_element(By.ID, name)).select_by_visible_text(choice)
        shoot(driver, screenshots, "planlegger-4-skjema")
        driver.find_element(By.ID, "form-submit").click()
        return wait_for(driver, "#verdict")[0]

    verdict = fill("2026", "2022", "")
    assert "Planen bryter reglene" in verdict.text
    text = driver.find_element(By.CSS_SELECTOR, ".findings").text
    assert "tiltak nr. 2, feltet «Tjener strategi (ID)»" in text and "plan nr. 1, feltet «Periode fra (år), Periode til (år)»" in text
    assert "Planperioden slutter (2022) før den starter (2026)." in text
    verdict = fill("2022", "2026", "1")
    assert "Planen følger reglene." in verdict.text
