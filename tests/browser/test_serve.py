"""`mkdocs serve`: .wasm has the right type, and saving a rule rebuilds what the browser runs."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.helpers import REPO, Watched, wait_ready


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[str, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers.get("Content-Type", ""), response.read()


@pytest.fixture
def served_copy(tmp_path):
    """A copy of the project served by `mkdocs serve`, so its rules can be edited."""
    project = tmp_path / "project"
    for part in ("calculators", "docs"):
        shutil.copytree(REPO / part, project / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    (project / "node_modules").symlink_to(REPO / "node_modules")
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(project), "NO_MKDOCS_2_WARNING": "1", "HANDBOOK_SITE_URL": url},
    )
    deadline = time.monotonic() + 120
    while True:
        try:
            fetch(url)
            break
        except OSError:
            assert process.poll() is None, process.stderr.read()
            assert time.monotonic() < deadline, "mkdocs serve did not start"
            time.sleep(0.5)
    yield project, url
    process.terminate()
    process.wait(timeout=30)


def trial_days_in_html(url: str) -> int:
    from bs4 import BeautifulSoup

    page = BeautifulSoup(fetch(url + "sales/inbound/")[1], "html.parser")
    return json.loads(page.select_one("#trial-sizing")["data-result"])["result"]["trial_days"]


def test_serve_rebuilds_on_a_rule_change_and_the_browser_runs_the_new_rule(served_copy, browser):
    project, url = served_copy
    from bs4 import BeautifulSoup

    page_html = BeautifulSoup(fetch(url + "sales/inbound/")[1], "html.parser")
    runtime = page_html.select_one("#trial-sizing")["data-pyodide"].removeprefix("../../")
    content_type, wasm = fetch(url + runtime + "pyodide.asm.wasm")
    assert content_type == "application/wasm" and wasm[:4] == b"\0asm"
    assert trial_days_in_html(url) == 14

    context = browser.new_context()
    try:
        watched = Watched(context.new_page())
        page = watched.page
        page.goto(url + "sales/inbound/")
        wait_ready(page, "#trial-sizing")
        assert json.loads(page.get_attribute("#trial-sizing", "data-result"))["result"]["trial_days"] == 14

        rules = project / "calculators" / "rules.py"
        rules.write_text(rules.read_text().replace("SHORT_TRIAL_DAYS: Days = 14", "SHORT_TRIAL_DAYS: Days = 10"))
        deadline = time.monotonic() + 90
        while trial_days_in_html(url) != 10:
            assert time.monotonic() < deadline, "no rebuild after editing calculators/rules.py"
            time.sleep(1)

        page.goto(url + "sales/inbound/")
        wait_ready(page, "#trial-sizing")
        page.fill("#trial-sizing-annual_value", "21000")
        page.wait_for_function(
            "JSON.parse(document.querySelector('#trial-sizing').dataset.result).result?.trial_days === 10"
        )
        assert page.text_content('#trial-sizing .calc__row[data-output="trial_days"] dd') == "10"
        # The prose moved with it.
        assert "10 days" in page.text_content('table[data-table="trial-length"]')
        watched.assert_clean()
    finally:
        context.close()
