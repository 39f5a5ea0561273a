"""The handbook as a reader meets it: offline search, edit links, no third-party requests."""

from __future__ import annotations

from urllib.parse import urlparse

from tests.conftest import REPO

PAGES = ["", "calculators/"] + [f"sales/{page.stem}/" for page in sorted((REPO / "docs" / "sales").glob("*.md"))]


def test_no_page_makes_a_third_party_request(watched, server):
    page = watched.page
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
