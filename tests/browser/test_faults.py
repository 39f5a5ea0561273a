"""Faults: the runtime cannot load, stalls or dies. Each gives a plain message within the stall
window (10 s without progress) plus 2 s, loses nothing the reader typed, throws nothing, and
"Try again" works once the network is back."""

from __future__ import annotations

import fnmatch
import json
import time

import pytest

from tests.helpers import FAULTS, Watched, end_runtimes, wait_ready

#: FAULTS (tests/helpers.py, which the Reliability page's test counts): every way the runtime
#: was seen or imagined to fail. The stdlib is read after the first answers when Python starts from its memory snapshot
#: (worker.js, installStdlib()), so its fault shows as the runtime stopping, not failing to start.
LATE = {"stdlib-404"}
#: The page's stall window (the plugin's timeout_ms): a start with no progress this long fails.
STALL_MS = 10_000


def trial_days(page) -> int | None:
    return json.loads(page.get_attribute("#trial-sizing", "data-result")).get("result", {}).get("trial_days")


@pytest.mark.parametrize(("name", "pattern", "how"), FAULTS, ids=[fault[0] for fault in FAULTS])
def test_fault_gives_a_plain_message_and_retry_recovers(browser, server, name, pattern, how):
    context = browser.new_context()
    try:
        # The browser logs the injected failures of the page's own requests; nothing else may
        # reach the console (the runtime's requests are the SharedWorker's, logged there).
        watched = Watched(context.new_page(), expected_console=("Failed to load resource",))
        page = watched.page
        with server.broken(pattern, how):
            page.goto(server.url + "sales/inbound/")
            static = page.text_content("#trial-sizing .calc__answer")
            started = time.monotonic()
            page.fill("#trial-sizing-annual_value", "75000")
            page.wait_for_selector('#trial-sizing[data-state="error"]', timeout=STALL_MS + 2_000)
            assert time.monotonic() - started < (STALL_MS + 2_000) / 1000
            if name in LATE:
                assert "stopped" in page.text_content("#trial-sizing .calc__status")
            else:
                assert "could not start" in page.text_content("#trial-sizing .calc__status")
                assert page.text_content("#trial-sizing .calc__answer") == static
            assert page.input_value("#trial-sizing-annual_value") == "75000"
            assert any(fnmatch.fnmatch(path, pattern) for path in server.requests)  # the fault was met

        # The network is back: a new runtime starts (the failed one is not connected to again).
        page.click("#trial-sizing .calc__retry")
        wait_ready(page, "#trial-sizing")
        page.wait_for_function(
            "JSON.parse(document.querySelector('#trial-sizing').dataset.result).result?.trial_days === 28"
        )
        assert page.text_content("#trial-sizing .calc__status").strip() == ""
        assert page.evaluate("window.__handbookCalculators.runtime.reused") is False
        watched.assert_clean()
    finally:
        context.close()


def test_runtime_dying_mid_session_is_noticed_and_recovers(browser, watched, server):
    page = watched.page
    page.goto(server.url + "sales/inbound/")
    wait_ready(page, "#trial-sizing")
    assert end_runtimes(browser, server) == 1  # as if it crashed or ran out of memory
    started = time.monotonic()
    page.fill("#trial-sizing-annual_value", "75000")
    page.wait_for_selector('#trial-sizing[data-state="error"]', timeout=11_000)
    assert time.monotonic() - started < 10.5
    assert "stopped" in page.text_content("#trial-sizing .calc__status")
    assert page.input_value("#trial-sizing-annual_value") == "75000"
    page.click("#trial-sizing .calc__retry")
    page.wait_for_function(
        "JSON.parse(document.querySelector('#trial-sizing').dataset.result).result?.trial_days === 28"
    )
    assert page.get_attribute("#trial-sizing", "data-state") == "ready"
