"""Real Chromium (Debian's) driven by Playwright for Python, against a real build on localhost."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

# One definition of how Chromium is launched here (Debian's package; the flags of
# DESIGN.md "Environment facts"), shared with the benchmark.
from bench.browser import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import REPO
from tests.site.test_handbook import build_project


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a browser that drops a connection (e.g. an aborted wasm fetch) is not a failure


class Server:
    """A static file server for a built site, on 127.0.0.1 and a free port."""

    def __init__(self, root: Path, handler_class: type = _Quiet) -> None:
        handler = functools.partial(handler_class, directory=str(root))
        self.httpd = _QuietServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


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


@pytest.fixture(scope="session")
def browser():
    assert Path(CHROMIUM).exists(), "Debian's chromium is required: apt-get install chromium"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


class Watched:
    """A page plus everything that went wrong on it: uncaught errors, console errors, dialogs, requests."""

    def __init__(self, page, expected_console: tuple[str, ...] = ()) -> None:
        """``expected_console``: console errors a test provokes on purpose (e.g. a 404 it injects)."""
        self.page = page
        self.expected_console = expected_console
        self.errors: list[str] = []
        self.console_errors: list[str] = []
        self.dialogs: list[str] = []
        self.requests: list[str] = []
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("console", lambda msg: msg.type == "error" and self.console_errors.append(msg.text))
        page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda request: self.requests.append(request.url))

    def assert_clean(self) -> None:
        assert self.errors == [] and self.dialogs == []
        unexpected = [text for text in self.console_errors if not any(part in text for part in self.expected_console)]
        assert unexpected == []


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


def wait_ready(page, selector: str, timeout: float = 30_000) -> None:
    page.wait_for_selector(f'{selector}[data-state="ready"]', timeout=timeout)
