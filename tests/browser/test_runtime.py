"""The runtime around the calculators: instant navigation, failures, small screens."""

from __future__ import annotations

import pytest
import yaml
from mkdocs.utils.yaml import yaml_load

from tests.helpers import REPO, WITHOUT_SHARED_WORKER, Server, Watched, build_project, wait_ready

RUNTIME_FILES = ("/assets/calculators/pyodide/", "/assets/calculators/worker-", "/assets/calculators/snapshot-")


def runtime_requests(server) -> list[str]:
    """What the server was asked for of the runtime (Playwright sees no SharedWorker request)."""
    return [path for path in server.requests if any(part in path for part in RUNTIME_FILES)]


def starts(page) -> int:
    """How many times this document started a runtime (calculators.js marks each start)."""
    return page.evaluate("performance.getEntriesByName('handbook-calculators:start').length")


def test_instant_navigation_between_calculator_pages_reuses_the_runtime(watched, server):
    page = watched.page
    page.goto(server.url + "sales/inbound/")
    wait_ready(page, "#trial-sizing")
    assert page.evaluate("typeof window.document$") == "object"  # navigation.instant is on
    fetched = len(runtime_requests(server))
    page.evaluate("window.__marker = 'same window'")
    page.click('nav a[href$="how-we-work/"]')
    page.wait_for_url("**/sales/how-we-work/")
    wait_ready(page, "#large-deal-check", timeout=10_000)
    assert page.evaluate("window.__marker") == "same window"  # no full reload happened
    page.fill("#large-deal-check-annual_value", "250001")
    page.wait_for_function(
        "JSON.parse(document.querySelector('#large-deal-check').dataset.result).result?.criteria?.includes('size')"
    )
    # Back to the first page: still live.
    page.go_back()
    wait_ready(page, "#trial-sizing", timeout=10_000)
    page.fill("#trial-sizing-annual_value", "19999")
    page.wait_for_function(
        "JSON.parse(document.querySelector('#trial-sizing').dataset.result).result?.trial_days === 0"
    )
    # The warm runtime was reused: started once, and nothing of it was fetched again.
    assert starts(page) == 1
    assert len(runtime_requests(server)) == fetched


def test_first_load_starts_after_the_page_from_the_snapshot(watched, server):
    """The default build: the worker starts once the page's own start-up (DOMContentLoaded and the
    theme's handlers for it) is over, in a task of its own, and restores Python's memory snapshot."""
    page = watched.page
    page.goto(server.url + "sales/inbound/")
    wait_ready(page, "#trial-sizing")
    timing = page.evaluate(
        """() => ({
            started: performance.getEntriesByName("handbook-calculators:start").map((mark) => mark.startTime),
            pageStartedUp: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd,
            fromSnapshot: window.__handbookCalculators.runtime.fromSnapshot,
        })"""
    )
    assert len(timing["started"]) == 1 and timing["fromSnapshot"] is True
    assert timing["started"][0] >= timing["pageStartedUp"] > 0
    assert any("/assets/calculators/snapshot-" in path for path in server.requests)


def test_a_page_loaded_again_finds_python_running(browser, server):
    """The runtime outlives the page (a SharedWorker with extendedLifetime): a reload, or
    the next page by a full load, is answered by the Python already running, and with the
    browser's cache nothing of the runtime crosses the network again (the page's preloads
    read it from there). A context of its own: routing requests, as the `context` fixture
    does, turns the HTTP cache off."""
    context = browser.new_context()
    watched = Watched(context.new_page())
    page = watched.page
    page.goto(server.url + "sales/inbound/")
    wait_ready(page, "#trial-sizing")
    assert page.evaluate("window.__handbookCalculators.runtime.reused") is False
    fetched = len(runtime_requests(server))
    for path, ready in (("sales/inbound/", "#trial-sizing"), ("sales/how-we-work/", "#large-deal-check")):
        page.goto(server.url + path)  # a full load: a new document and a new module instance
        wait_ready(page, ready)
        assert page.evaluate("window.__handbookCalculators.runtime.reused") is True
    page.fill("#large-deal-check-annual_value", "250001")
    page.wait_for_function(
        "JSON.parse(document.querySelector('#large-deal-check').dataset.result).result?.criteria?.includes('size')"
    )
    assert runtime_requests(server)[fetched:] == []  # nothing of the runtime was fetched again
    assert all(url.startswith(server.url) for url in watched.requests)
    watched.assert_clean()
    context.close()


def test_tabs_share_one_runtime(context, server):
    first, second = Watched(context.new_page()), Watched(context.new_page())
    first.page.goto(server.url + "sales/inbound/")
    wait_ready(first.page, "#trial-sizing")
    second.page.goto(server.url + "sales/inbound/")
    second.page.fill("#trial-sizing-annual_value", "75000")
    second.page.wait_for_function(
        "JSON.parse(document.querySelector('#trial-sizing').dataset.result).result?.trial_days === 28"
    )
    assert second.page.evaluate("window.__handbookCalculators.runtime.reused") is True
    first.page.fill("#trial-sizing-annual_value", "19999")  # both tabs are answered, each its own
    first.page.wait_for_function(
        "JSON.parse(document.querySelector('#trial-sizing').dataset.result).result?.trial_days === 0"
    )
    assert second.page.input_value("#trial-sizing-annual_value") == "75000"
    first.assert_clean()
    second.assert_clean()


def test_without_shared_worker_each_window_starts_its_own(context, server):
    """The fallback (no SharedWorker): a dedicated worker per window, started again on each load,
    and its faults are handled as the shared one's are."""
    watched = Watched(context.new_page(), expected_console=("Failed to load resource",))
    page = watched.page
    page.add_init_script(WITHOUT_SHARED_WORKER)
    for _ in range(2):
        page.goto(server.url + "sales/inbound/")
        page.fill("#trial-sizing-annual_value", "75000")
        page.wait_for_function(
            "JSON.parse(document.querySelector('#trial-sizing').dataset.result).result?.trial_days === 28"
        )
        assert page.evaluate("window.__handbookCalculators.runtime.reused") is False
    assert any("/worker-" in url for url in watched.requests)  # the page's own worker, seen by Playwright
    with server.broken("*/assets/calculators/snapshot-*.bin*", "404"):
        page.goto(server.url + "sales/inbound/")
        page.wait_for_selector('#trial-sizing[data-state="error"]', timeout=12_000)
        assert "could not start" in page.text_content("#trial-sizing .calc__status")
    page.click("#trial-sizing .calc__retry")
    wait_ready(page, "#trial-sizing")
    watched.assert_clean()


def test_after_a_stalled_start_the_next_page_starts_a_new_runtime(context, server):
    """A runtime that timed out is stopped and never connected to again: the next page load
    (not only Try again) starts a new one, even while the old one's request still hangs."""
    watched = Watched(context.new_page())
    page = watched.page
    with server.broken("*/assets/calculators/snapshot-*.bin*", "hang"):
        page.goto(server.url + "sales/inbound/")
        page.wait_for_selector('#trial-sizing[data-state="error"]', timeout=12_000)
        server.heal(release=False)  # new requests are answered; the stalled start's still hangs
        page.goto(server.url + "sales/inbound/")
        wait_ready(page, "#trial-sizing")
        assert page.evaluate("window.__handbookCalculators.runtime.reused") is False
    watched.assert_clean()


def test_without_snapshot_or_precompiled_stdlib_python_starts_from_scratch(browser, tmp_path):
    """The plainest runtime (plugin options memory_snapshot and precompile_stdlib off) still answers."""
    config = yaml_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(REPO / "docs")
    options = {
        "pyodide_dir": str(REPO / "node_modules" / "pyodide"),
        "memory_snapshot": False,
        "precompile_stdlib": False,
    }
    config["plugins"] = [
        {"sales-calculators": options} if entry == "sales-calculators" else entry for entry in config["plugins"]
    ]
    # The full dumper: mkdocs.yml names Python functions (toc's slugify, the mermaid fence).
    (tmp_path / "mkdocs.yml").write_text(yaml.dump(config, Dumper=yaml.Dumper), encoding="utf-8")
    site = tmp_path / "site"
    done = build_project(tmp_path, site)
    assert done.returncode == 0, done.stderr
    assert not list((site / "assets" / "calculators").glob("snapshot-*"))
    running = Server(site)
    context = browser.new_context()
    try:
        watched = Watched(context.new_page())
        watched.page.goto(running.url + "sales/inbound/")
        watched.page.fill("#trial-sizing-annual_value", "75000")
        watched.page.wait_for_function(
            "JSON.parse(document.querySelector('#trial-sizing').dataset.result).result?.trial_days === 28"
        )
        assert watched.page.evaluate("window.__handbookCalculators.runtime.fromSnapshot") is False
        watched.assert_clean()
    finally:
        context.close()
        running.close()


def test_instant_navigation_from_a_page_without_calculators(watched, server):
    page = watched.page
    page.goto(server.url)
    page.wait_for_load_state("networkidle")
    page.evaluate("window.__marker = 'same window'")
    page.click('nav a[href$="product-led/"]')
    page.wait_for_url("**/sales/product-led/")
    wait_ready(page, "#qualify-product-led")
    assert page.evaluate("window.__marker") == "same window"


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_phone_viewport_and_both_palettes(browser, server, scheme, tmp_path):
    context = browser.new_context(
        viewport={"width": 375, "height": 740},
        device_scale_factor=1,
        color_scheme="dark" if scheme == "slate" else "light",
    )
    try:
        watched = Watched(context.new_page())
        page = watched.page
        page.goto(server.url + "sales/inbound/")
        wait_ready(page, "#trial-sizing")
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme
        widths = page.evaluate("""() => [...document.querySelectorAll('.calc')].map(
            el => [el.scrollWidth, el.clientWidth])""")
        assert all(scroll <= client for scroll, client in widths), widths
        page.locator("#trial-sizing").screenshot(path=str(tmp_path / f"trial-{scheme}.png"))
        assert (tmp_path / f"trial-{scheme}.png").stat().st_size > 1000
        watched.assert_clean()
    finally:
        context.close()
