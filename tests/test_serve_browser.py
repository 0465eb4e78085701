"""The web app in a real Chromium (Debian's, driven by Playwright): a denial marked and selected with the keyboard,
followed to its claim's timeline; search paged through; an article's markup shown and never run.

Screenshots go to out/screenshots/ (or $ACCORDING_ARTIFACTS). Without Chromium or Playwright the tests skip,
except where ACCORDING_REQUIRE_BROWSER=1 (as in .ci/run), where they fail: CI must not skip them.
"""
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from serve_story import PIER, story_db  # noqa: F401 (fixture)

pytestmark = pytest.mark.slow
CHROMIUM = os.environ.get("ACCORDING_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(os.environ.get("ACCORDING_ARTIFACTS") or Path(__file__).resolve().parent.parent / "out" / "screenshots")


def _unavailable(reason: str):
    if os.environ.get("ACCORDING_REQUIRE_BROWSER") == "1":
        pytest.fail(f"the browser tests are required here but {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason} (apt-get install chromium; pip install -e '.[test]')")


@pytest.fixture(scope="module")
def base_url(story_db):
    """The app on a loopback port of its own, served by uvicorn in a thread."""
    import uvicorn

    from according.serve import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(story_db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the test server did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed")
    if not os.path.exists(CHROMIUM):
        _unavailable(f"there is no Chromium at {CHROMIUM}")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    # nothing beyond the test server: a request anywhere else (a CDN, say) fails the test
    outside = []
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base_url)
                  else (outside.append(route.request.url), route.abort()))
    p = context.new_page()
    yield p
    context.close()
    assert not outside, f"the page asked for {outside}"


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _article_id(page, title: str) -> str:
    found = page.request.get("/api/search", params={"q": title, "limit": 50}).json()["hits"]
    return next(h["article_id"] for h in found if h["title"] == title)


def test_serve_browser_denial_marked_selected_and_followed_to_its_claim(page):
    page.goto(f"/articles/{_article_id(page, 'Norvale denies ferry sale')}")
    cue = page.locator('#article-text mark.m-cue.stance-deny', has_text="denied")
    assert cue.is_visible()
    # the keyboard reaches each statement once; Enter selects it
    first = page.locator("#article-text mark[tabindex]").first
    first.focus()
    while "Holm" not in (page.evaluate("document.activeElement.textContent") or ""):
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    panel = page.locator("#selected")
    assert "denies" in panel.inner_text() and "Ingrid Holm" in panel.inner_text()
    assert page.locator("#article-text mark.is-selected").count() >= 3  # its source, cue and content
    _shot(page, "article")
    panel.get_by_role("link", name="the claim across articles").click()
    page.wait_for_url("**/claims/**")
    dates = page.locator("ol.timeline time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert len(dates) >= 4 and dates == sorted(dates)
    statuses = page.locator("ol.timeline li.step").evaluate_all("els => els.map(e => e.dataset.status)")
    assert statuses[0] == "unverified" and "denied" in statuses and statuses[-1] == "confirmed"
    assert page.locator("svg.chain").is_visible()
    _shot(page, "claim")
    # each step leads to its evidence, selected on arrival
    page.locator("ol.timeline li.step a[href*='#st-']").nth(0).click()
    page.wait_for_url("**/articles/**#st-*")
    assert page.locator("#article-text mark.is-selected").count() >= 1


def test_serve_browser_search_pages_through(page):
    page.goto("/?q=Norvale&limit=2")
    total = int(page.locator("#results-heading").inner_text().split(" of ")[1].split()[0])
    seen = page.locator("li.hit").count()
    while page.locator("a[rel=next]").count():
        page.locator("a[rel=next]").click()
        page.wait_for_load_state()
        seen += page.locator("li.hit").count()
    assert seen == total > 2
    page.goto("/?q=ferry")
    _shot(page, "search")


def test_serve_browser_article_markup_runs_nothing(page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"/articles/{_article_id(page, PIER['title'])}")
    assert page.title().startswith(PIER["title"])  # the payloads would set it to 'pwned'
    text = page.locator("#article-text").inner_text()
    assert "<script>document.title='pwned'</script>" in text and "onerror=" in text
    assert page.locator("#article-text script, #article-text img").count() == 0
    page.locator("#article-text mark[tabindex]").first.click()
    assert page.title().startswith(PIER["title"]) and not dialogs
