"""A strict Content-Security-Policy: every calculator still runs and nothing is refused."""

from __future__ import annotations

import base64
import hashlib
import shutil
import time

import pytest
from bs4 import BeautifulSoup

from tests.helpers import Server, SiteHandler, Watched, wait_ready


#: The policy from the hardening issue. The one addition, img-src data:, is for the theme's own icons
#: (Material draws them as data: SVGs from its CSS); scripts get nothing beyond hashes of the theme's
#: inline scripts: no 'unsafe-eval', no 'unsafe-inline'.
def policy(script_hashes: list[str]) -> str:
    scripts = " ".join(["'self'", "'wasm-unsafe-eval'", *script_hashes])
    return f"default-src 'self'; script-src {scripts}; img-src 'self' data:"


def inline_script_hashes(html: str) -> list[str]:
    """sha256 sources for the theme's inline scripts (JSON data blocks are not executed)."""
    hashes = []
    for script in BeautifulSoup(html, "html.parser").find_all("script"):
        if script.get("src") or script.get("type") == "application/json":
            continue
        digest = hashlib.sha256(script.string.encode()).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode()}'")
    return hashes


class _StrictHandler(SiteHandler):
    def end_headers(self):
        hashes = []
        if self.path.endswith("/") or self.path.endswith(".html"):
            path = self.translate_path(self.path)
            path = path + "index.html" if path.endswith("/") else path
            try:
                with open(path, encoding="utf-8") as page:
                    hashes = inline_script_hashes(page.read())
            except OSError:
                pass
        self.send_header("Content-Security-Policy", policy(hashes))
        super().end_headers()


@pytest.fixture(scope="module")
def strict_server(server, tmp_path_factory):
    site = tmp_path_factory.mktemp("csp") / "site"
    shutil.copytree(server.httpd.RequestHandlerClass.keywords["directory"], site)
    running = Server(site, _StrictHandler)
    yield running
    running.close()


def test_calculators_run_under_a_strict_csp(context, strict_server):
    watched = Watched(context.new_page())
    page = watched.page
    console: list[str] = []
    page.on("console", lambda msg: console.append(msg.text))
    page.add_init_script("""
        window.__violations = [];
        document.addEventListener('securitypolicyviolation',
            (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
    """)
    for path, block, field, value in [
        ("sales/inbound/", "#trial-sizing", "annual_value", "75000"),
        ("sales/inbound/", "#qualify-lead", "annual_value", "19999"),
        ("sales/inbound/", "#checkin-plan", "annual_value", "30000"),
        ("sales/how-we-work/", "#large-deal-check", "annual_value", "250000"),
    ]:
        if not page.url.endswith(path):
            header = page.goto(strict_server.url + path).headers["content-security-policy"]
            assert "'unsafe-eval'" not in header and "'unsafe-inline'" not in header and "sha256-" in header
        wait_ready(page, block)
        before = page.get_attribute(block, "data-result")
        page.fill(f"{block}-{field}", value)
        # Playwright's wait_for_function compiles its predicate with eval, which this policy forbids.
        deadline = time.monotonic() + 10
        while page.get_attribute(block, "data-result") == before:
            assert time.monotonic() < deadline, f"{block} did not update under the CSP"
            page.wait_for_timeout(50)
        assert page.get_attribute(block, "data-state") == "ready"
    violations = page.evaluate("window.__violations")
    assert violations == [], sorted(set(violations))
    assert not [text for text in console if "Content Security Policy" in text], console
    watched.assert_clean()
