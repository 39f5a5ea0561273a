"""Real Chromium (Debian's) driven by Playwright for Python, against a real build on localhost."""

from __future__ import annotations

import contextlib
import fnmatch
import functools
import threading
import time
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

# One definition of how Chromium is launched here (Debian's package; the flags of
# DESIGN.md "Environment facts") and its view of the runtime, shared with the benchmark.
from bench.browser import CHROMIUM, CHROMIUM_ARGS, end_runtime_workers, runtime_workers

# One implementation of a slower link (rate, round trip, gzip host, log of bytes sent),
# shared with the benchmark's server.
from bench.link import Link, ShapingHandler, ShapingServer
from bench.serve import IMMUTABLE
from tests.conftest import REPO
from tests.site.test_handbook import build_project

#: Installed before a page's scripts: a browser without SharedWorker, where calculators.js
#: runs the same worker script as a dedicated Worker of the window (whose requests, unlike
#: a SharedWorker's, Playwright sees).
WITHOUT_SHARED_WORKER = "delete window.SharedWorker;"


class _SiteHandler(ShapingHandler):
    """Serves the site; notes each request and answers the ones a test broke (see Server.broken()).

    Everything it sends crosses the server's link while a test shapes it (Server.shaped()).
    The cache headers are a static host's, as the benchmark's server sends them (content-hashed
    assets immutable, pages revalidated); a broken answer is never stored, so that once the
    test heals the site, the browser fetches the file again, as after a network fault.
    """

    fault: str | None = None

    def log_message(self, *args):
        pass

    def end_headers(self):
        if self.fault:
            self.send_header("Cache-Control", "no-store")
        else:
            self.send_header("Cache-Control", IMMUTABLE if "/assets/" in self.path else "no-cache")
        super().end_headers()

    def do_GET(self):
        server = self.server
        server.requests.append(self.path)
        how = next((how for pattern, how in server.faults if fnmatch.fnmatch(self.path, pattern)), None)
        self.fault = how
        if how is None:
            super().do_GET()
        elif how == "404":
            self.send_error(404, "not found")
        elif how == "hang":  # never answered; the connection closes once the test heals the site
            server.healed.wait(60)
        elif how == "abort":  # the connection closes with no answer, as when it is reset
            pass
        elif how == "syntax":
            self._send(b"this is not javascript (", "text/javascript")
        elif how == "garbage":
            self._send(b"\x00not a snapshot" * 64, "application/octet-stream")
        elif how == "truncated":  # a complete answer, but only the file's first 4 kB
            path = Path(self.translate_path(self.path))
            self._send(path.read_bytes()[:4096], "application/octet-stream")
        elif how == "stall":
            self._stall(Path(self.translate_path(self.path)))
        else:
            raise ValueError(f"unknown fault {how!r}")

    def _stall(self, path: Path) -> None:
        """A download that stops half way: the file's full Content-Length, its first half, then
        nothing until the test heals the site; then the connection closes, the body short."""
        body = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])  # returns once the half has crossed a shaped link
        self.wfile.flush()
        self.server.stalled_at = time.monotonic()
        self.server.healed.wait(60)
        self.close_connection = True

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _QuietServer(ShapingServer):
    """Threaded; a browser that drops a connection (e.g. an aborted wasm fetch) is not a failure."""


class Server:
    """A static file server for a built site, on 127.0.0.1 and a free port.

    Faults are injected here, in the server, not with Playwright's routes: the runtime is a
    SharedWorker, and Playwright sees none of a shared worker's requests (tested:
    context.route() never hears them). For the same reason ``requests`` (every path asked
    for, in order) is how tests see what the runtime fetched.
    """

    def __init__(self, root: Path, handler_class: type = _SiteHandler) -> None:
        handler = functools.partial(handler_class, directory=str(root))
        self.httpd = _QuietServer(("127.0.0.1", 0), handler)
        self.httpd.requests = self.requests = []
        self.httpd.faults = []  # (fnmatch pattern of the path, how)
        self.httpd.healed = threading.Event()
        self.httpd.stalled_at = None  # time.monotonic() when a "stall" fault last stopped sending
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @contextlib.contextmanager
    def broken(self, pattern: str, how: str):
        """Requests whose path matches ``pattern`` (fnmatch, ``*`` spans folders) fail ``how``
        until ``heal()`` or the end of the block: 404, hang, abort, syntax, garbage, truncated,
        stall (a 200 with the file's full Content-Length and its first half, then nothing until
        healed, when the connection closes; ``httpd.stalled_at`` is the time.monotonic() at
        which the last such response stopped sending)."""
        self.httpd.healed.clear()
        self.httpd.stalled_at = None
        self.httpd.faults.append((pattern, how))
        try:
            yield
        finally:
            self.heal()

    @contextlib.contextmanager
    def shaped(self, rate_mbit: float | None, delay_ms: float, gzip: bool = False):
        """Every request while the block runs crosses a slower link (bench/link.py): ``rate_mbit``
        Mbit/s shared by all connections (``None``: unlimited), ``delay_ms`` before each response,
        and with ``gzip`` every file gzipped when the request accepts it. Yields the
        :class:`~bench.link.Link`, whose log says what crossed it (``bytes_between()``,
        ``report()``). Outside the block the server is not shaped (the default)."""
        link = Link(rate_mbit, delay_ms, gzip=gzip)
        self.httpd.link = link
        try:
            yield link
        finally:
            self.httpd.link = None

    def heal(self, release: bool = True) -> None:
        """New requests are answered again; ``release``: so is (by closing) any request left hanging."""
        self.httpd.faults.clear()
        if release:
            self.httpd.healed.set()

    def close(self) -> None:
        self.heal()
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


def runtimes(browser, server: Server) -> list[dict]:
    """The calculators' SharedWorkers running for ``server`` in this browser."""
    cdp = browser.new_browser_cdp_session()
    try:
        return runtime_workers(cdp, server.url)
    finally:
        cdp.detach()


def end_runtimes(browser, server: Server) -> int:
    """Ends them from outside, as a crash would; how many there were."""
    cdp = browser.new_browser_cdp_session()
    try:
        return end_runtime_workers(cdp, server.url)
    finally:
        cdp.detach()
