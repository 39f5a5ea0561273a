"""The handbook as a reader meets it: offline search (and its index waiting for the calculators), edit links,
no third-party requests."""

from __future__ import annotations

import time
from urllib.parse import urlparse

from tests.helpers import REPO, WITHOUT_SHARED_WORKER, Watched, wait_ready

PAGES = ["", "calculators/"] + [f"sales/{page.stem}/" for page in sorted((REPO / "docs" / "sales").glob("*.md"))]


def test_no_page_makes_a_third_party_request(watched, server):
    page = watched.page
    # Playwright sees no request of a SharedWorker: with the runtime in a dedicated worker
    # (what calculators.js falls back to), the same script's requests are the page's.
    page.add_init_script(WITHOUT_SHARED_WORKER)
    for path in PAGES:
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
    hosts = {urlparse(url).hostname for url in watched.requests}
    assert hosts == {"127.0.0.1"}, hosts


def test_search_works_offline(watched, server):
    page = watched.page
    page.goto(server.url)
    page.keyboard.press("/")  # Material's shortcut focuses the search box
    page.keyboard.type("MEDDPICC")
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    assert "MEDDPICC" in page.text_content(".md-search-result")


def test_every_page_has_an_edit_link(watched, server):
    page = watched.page
    for path in PAGES:
        page.goto(server.url + path)
        edit = page.locator('a[title="Edit this page"]')
        assert edit.count() == 1 and edit.get_attribute("href").endswith(".md"), path


# Installed before the page's scripts: notes, for each worker of the page, whether a calculator
# showed its live answer before that worker was sent its first message.
_SEARCH_TIMING = """
(() => {
  const answeredFirst = (window.__answeredFirst = {});
  const Native = window.Worker;
  const urls = new WeakMap();
  window.Worker = class extends Native {
    constructor(url, options) {
      super(url, options);
      urls.set(this, String(url));
    }
  };
  const post = Native.prototype.postMessage;
  Native.prototype.postMessage = function (...args) {
    const url = urls.get(this);
    if (url && !(url in answeredFirst)) answeredFirst[url] = Boolean(document.querySelector(".calc[data-state=ready]"));
    return post.apply(this, args);
  };
})();
"""


def test_search_index_waits_for_the_first_answer(watched, server):
    """The theme builds its search index after the calculators' first answer, not while Python starts."""
    page = watched.page
    page.add_init_script(_SEARCH_TIMING)
    page.goto(server.url + "sales/inbound/")
    page.wait_for_function("Object.keys(__answeredFirst).some((url) => url.includes('/search.'))", timeout=30_000)
    answered_first = page.evaluate("__answeredFirst")
    assert [first for url, first in answered_first.items() if "/workers/search." in url] == [True]
    page.keyboard.press("/")
    page.keyboard.type("MEDDPICC")
    page.wait_for_selector(".md-search-result__item", timeout=15_000)


def test_search_does_not_wait_for_a_stalled_runtime(browser, server):
    """Going to the search box releases the index at once, even if Python never starts."""
    context = browser.new_context()
    try:
        watched = Watched(context.new_page())
        page = watched.page
        with server.broken("*/assets/calculators/snapshot-*.bin*", "hang"):
            page.goto(server.url + "sales/inbound/")
            page.wait_for_timeout(500)
            started = time.monotonic()
            page.keyboard.press("/")
            page.keyboard.type("MEDDPICC")
            page.wait_for_selector(".md-search-result__item", timeout=15_000)
            # Well before the hold's cap (3 s) would have let it go.
            assert time.monotonic() - started < 1.5
            assert page.get_attribute("#trial-sizing", "data-state") != "ready"
        watched.assert_clean()
    finally:
        context.close()


# Off-screen blocks of a calculator page skip their layout until the reader nears them
# (calculators.css, content-visibility: auto): what must still hold.
SKIPPED = """() => [...document.querySelectorAll('.md-content .md-typeset > :is(p, ul, ol, div)')]
    .filter((block) => block.firstElementChild?.checkVisibility({ contentVisibilityAuto: true }) === false)
    .length"""


def test_link_to_a_late_anchor_lands_on_its_heading(watched, server):
    page = watched.page
    page.goto(server.url + "sales/inbound/#closed-lost")
    wait_ready(page, "#trial-sizing")
    assert page.evaluate(SKIPPED) > 5  # blocks between the top and the heading were never laid out
    for _ in range(2):  # where it lands, and still there once the blocks around it are laid out
        top = page.evaluate("document.getElementById('closed-lost').getBoundingClientRect().top")
        header = page.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom")
        assert header <= top <= header + 40, (top, header)
        page.wait_for_timeout(500)


def test_printing_lays_out_every_block(watched, server):
    page = watched.page
    page.goto(server.url + "sales/inbound/")
    wait_ready(page, "#trial-sizing")
    assert page.evaluate(SKIPPED) > 5
    page.emulate_media(media="print")
    assert page.evaluate(SKIPPED) == 0
