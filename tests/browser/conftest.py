"""Fixtures of the browser tests: real Chromium (Debian's) driven by Playwright for Python, against
a real build of the handbook on localhost. The server, the watched page and the other helpers
are in tests/helpers.py; how Chromium is launched, in harness/chromium.py (shared with the
benchmark)."""

from __future__ import annotations

import pytest

from tests.helpers import REPO, Server, Watched, build_project


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """The real handbook, built once with site_url set to the server (instant navigation needs it)."""
    site = tmp_path_factory.mktemp("browser") / "site"
    site.mkdir()
    running = Server(site)
    done = build_project(REPO, site, {"HANDBOOK_SITE_URL": running.url})
    assert done.returncode == 0, done.stderr
    yield running
    running.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    # Nothing may leave localhost.
    ctx.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    yield ctx
    ctx.close()


@pytest.fixture
def watched(context):
    page = Watched(context.new_page())
    yield page
    page.assert_clean()
