"""The web app in real headless Chromium (Debian's chromium + chromium-driver, installed by
.ci/run): list -> story -> a citation opens its source sentence -> search -> Atom; and articles
full of script, event handlers and javascript: links that are shown without any of it running."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsbrief.ingest import ingest
from newsbrief.pipeline import refresh_briefs
from newsbrief.store import SQLiteStore

from .conftest import REPO
from .web_fixtures import RealServer, build_database

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
if os.environ.get("NEWSBRIEF_REQUIRE_BROWSER") and not (CHROMIUM and DRIVER):
    raise RuntimeError("NEWSBRIEF_REQUIRE_BROWSER is set but chromium/chromedriver are not installed")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER),
    reason="needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; .ci/run does)")

SCREENSHOTS = REPO / "bench" / "screenshots"


@pytest.fixture(scope="module")
def browser() -> Iterator:  # type: ignore[type-arg]
    os.environ["SE_OFFLINE"] = "true"  # never let Selenium Manager try to download a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", "--window-size=1100,1500"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealServer]:
    running = RealServer(build_database(tmp_path_factory.mktemp("browser")))
    try:
        yield running
    finally:
        running.stop()


def _wait(driver, condition, timeout: float = 10):  # type: ignore[no-untyped-def]
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(condition)


def test_reader_flow_list_story_citation_search_atom(browser, server: RealServer) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.get(server.base + "/")
    stories = browser.find_elements(By.CSS_SELECTOR, "li.story h2 a")
    assert len(stories) == 7
    sample = next(link for link in stories if "Selvan" in link.text)
    sample.click()
    _wait(browser, lambda d: "/stories/" in d.current_url)
    assert browser.find_element(By.TAG_NAME, "h1").text
    SCREENSHOTS.mkdir(exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / "story.png"))

    marker = browser.find_element(By.CSS_SELECTOR, "p.lede a.cite")
    popup = browser.find_element(By.ID, marker.get_attribute("data-popup"))
    assert not popup.is_displayed()
    marker.click()
    _wait(browser, lambda d: popup.is_displayed())
    assert marker.get_attribute("aria-expanded") == "true"
    assert "/stories/" in browser.current_url  # opened in place, not navigated away
    story_json = json.loads(browser.execute_script(
        "return fetch(location.pathname + '.json').then(r => r.text())"))
    ref = story_json["brief"]["lede"]["citations"][0]
    assert story_json["brief"]["evidence"][ref] in popup.text
    assert popup.find_element(By.PARTIAL_LINK_TEXT, "in context").get_attribute("href").endswith(
        f"/articles/{ref.split(':')[0][1:]}#s{ref.split(':')[1]}")
    browser.save_screenshot(str(SCREENSHOTS / "story-citation-open.png"))
    marker.click()
    _wait(browser, lambda d: not popup.is_displayed())

    box = browser.find_element(By.CSS_SELECTOR, "form.search input[name=q]")
    box.send_keys("spillway", Keys.ENTER)
    _wait(browser, lambda d: "/search?q=spillway" in d.current_url)
    assert "match" in browser.find_element(By.ID, "hit-count").text
    marks = browser.find_elements(By.CSS_SELECTOR, ".snippet mark")
    assert marks and all(m.text.lower() == "spillway" for m in marks)

    browser.find_element(By.ID, "atom-link").click()
    _wait(browser, lambda d: d.current_url.endswith("/feed.atom"))
    assert "updated briefs" in browser.page_source and "<entry" in browser.page_source.replace("&lt;", "<")


HOSTILE = [
    {"url": "https://evil.example/a1", "outlet": "<img src=x onerror=\"window.__pwned='outlet'\">Evil Outlet",
     "title": "<script>window.__pwned='title'</script>Harbour gate <b onmouseover=\"window.__pwned='b'\">fails</b> in Quillon",
     "published_at": "2026-05-04T09:00:00Z",
     "text": "The harbour gate in Quillon failed on Monday, flooding 40 warehouses, port officials said.\n"
             "\"<script>window.__pwned='quote'</script>\" is what the attacker wrote, said harbourmaster Ona Brill.\n"
             "Click <a href=\"javascript:window.__pwned='link'\">here</a> or <svg onload=\"window.__pwned='svg'\"> for repairs, "
             "the port authority said in a statement about the Quillon gate.\n"
             "Officials expect the gate to stay closed for at least three weeks, which could delay shipping in Quillon."},
    {"url": "javascript:window.__pwned='url'//https://evil.example/a2", "outlet": "Quillon Port News",
     "title": "Quillon harbour gate failure floods warehouses</title><script>window.__pwned='t2'</script>",
     "published_at": "2026-05-04T12:00:00Z",
     "html": "<html><head><title>Quillon gate</title></head><body><article><h1>Quillon harbour gate fails</h1>"
             "<p>The harbour gate in Quillon failed on Monday and flooded 40 warehouses, the port authority said.</p>"
             "<p onclick=\"window.__pwned='p'\">Harbourmaster Ona Brill said repairs to the Quillon gate would take at least three weeks.</p>"
             "<script>window.__pwned='html'</script><p>Shipping companies said delays in Quillon could last into June.</p>"
             "<iframe src=\"javascript:window.__pwned='iframe'\"></iframe></article></body></html>"},
]


def test_hostile_articles_are_shown_and_none_of_their_script_runs(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    feed = tmp_path / "hostile.jsonl"
    feed.write_text("\n".join(json.dumps(row) for row in HOSTILE) + "\n", "utf-8")
    db = tmp_path / "hostile.db"
    with SQLiteStore(db) as store:
        summary = ingest([str(feed)], store)
        assert summary.new_articles >= 1, summary.problems
        refresh_briefs(store, summary.changed_stories)
        story = max(summary.changed_stories)
        articles = [r[0] for r in store.db.execute("SELECT id FROM articles")]
        outlets = [r[0] for r in store.db.execute("SELECT id FROM outlets")]
    server = RealServer(db)
    try:
        pages = ["/", f"/stories/{story}", f"/stories/{story}/versions", "/search?q=Quillon",
                 *(f"/articles/{a}" for a in articles), *(f"/outlets/{o}" for o in outlets)]
        for path in pages:
            browser.get(server.base + path)
            for marker in browser.find_elements(By.CSS_SELECTOR, "a.cite"):
                marker.click()
            assert browser.execute_script("return window.__pwned === undefined"), (path, browser.execute_script("return window.__pwned"))
            assert not browser.find_elements(
                By.CSS_SELECTOR, "main script, main img, main svg, main iframe, main b, main [onclick], main [onmouseover]")
            hrefs = [a.get_attribute("href") or "" for a in browser.find_elements(By.CSS_SELECTOR, "a")]
            assert not any(h.lower().startswith("javascript:") for h in hrefs), path
        browser.get(server.base + "/")  # the hostile text is shown as text
        assert "<script>window.__pwned=" in browser.find_element(By.TAG_NAME, "main").text
        browser.get(server.base + f"/stories/{story}")
        assert "<img src=x onerror=\"window.__pwned='outlet'\">Evil Outlet" in browser.find_element(By.ID, "sources").text
    finally:
        server.stop()
