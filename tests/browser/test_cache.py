"""Cache safety: after a rule changes and the site is rebuilt, a browser holding the old site gets the new rules."""

from __future__ import annotations

import json
import shutil
import time

from tests.helpers import REPO, Server, SiteHandler, Watched, build_project, runtimes, wait_ready


class _CachingHost(SiteHandler):
    """Headers of a typical static host: pages revalidate, hashed and versioned assets are immutable."""

    def end_headers(self):
        immutable = "/assets/calculators/" in self.path
        self.send_header("Cache-Control", "public, max-age=31536000, immutable" if immutable else "no-cache")
        super().end_headers()


def test_a_rebuilt_site_reaches_a_browser_with_the_old_one_cached(browser, tmp_path):
    project = tmp_path / "project"
    for part in ("calculators", "docs"):
        shutil.copytree(REPO / part, project / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    (project / "node_modules").symlink_to(REPO / "node_modules")
    site = project / "site"
    site.mkdir()
    server = Server(site, _CachingHost)
    env = {"PYTHONPATH": str(project), "HANDBOOK_SITE_URL": server.url}
    context = browser.new_context()
    try:
        assert build_project(project, site, env).returncode == 0
        watched = Watched(context.new_page())
        page = watched.page
        page.goto(server.url + "sales/inbound/")
        wait_ready(page, "#trial-sizing")
        old_package = page.get_attribute("#trial-sizing", "data-package")
        page.fill("#trial-sizing-annual_value", "21000")
        page.wait_for_function(
            "JSON.parse(document.querySelector('#trial-sizing').dataset.result).result?.trial_days === 14"
        )
        # The address bar follows the form once typing pauses, and Chromium then fetches the
        # favicon again: let that happen before the rebuild empties the site directory.
        page.wait_for_function("location.search.includes('annual_value=21000')")

        rules = project / "calculators" / "rules.py"
        rules.write_text(rules.read_text().replace("SHORT_TRIAL_DAYS: Days = 14", "SHORT_TRIAL_DAYS: Days = 10"))
        assert build_project(project, site, env).returncode == 0

        page.goto(server.url + "sales/inbound/")
        wait_ready(page, "#trial-sizing")
        assert page.get_attribute("#trial-sizing", "data-package") != old_package
        page.fill("#trial-sizing-annual_value", "21000")
        page.wait_for_function(
            "JSON.parse(document.querySelector('#trial-sizing').dataset.result).result?.trial_days === 10"
        )
        assert json.loads(page.get_attribute("#trial-sizing", "data-result"))["ok"]
        # The old deploy's runtime, which no page uses now, ends once the new one has started
        # (worker.js asks its pages and waits 5 s), rather than staying for its whole lifetime.
        deadline = time.monotonic() + 15
        while len(runtimes(browser, server)) > 1 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert len(runtimes(browser, server)) == 1
        page.fill("#trial-sizing-annual_value", "19999")  # ... and the new one still answers
        page.wait_for_function(
            "JSON.parse(document.querySelector('#trial-sizing').dataset.result).result?.trial_days === 0"
        )
        watched.assert_clean()
    finally:
        context.close()
        server.close()
