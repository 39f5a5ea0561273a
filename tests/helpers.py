"""The one module of shared test helpers, and the tables more than one test reads.

Test modules and conftest.py files import from here (and from harness, calculators,
handbook_calculators and libraries), never from one another or from bench:
tests/unit/test_layout.py checks. The conftest.py files hold only fixtures.

- Builds: :data:`REPO`, :data:`PYODIDE_DIR`, :data:`BASE_CONFIG`, :func:`write_site`,
  :func:`run_mkdocs` and :func:`build_project` (real ``mkdocs build --strict`` processes),
  :func:`copy_project` (the project as a contributor has it, for other engines and plugins),
  :data:`ENGINES` and :func:`build_with` (each engine's build), :func:`assert_handbook_is_whole`
  and :func:`run_a_calculator` (the compatibility matrix, tests/compat/).
- The browser tests' static server (:class:`Server`, :class:`SiteHandler`), a watched
  page (:class:`Watched`), :func:`wait_ready`, the runtime's SharedWorkers
  (:func:`runtimes`, :func:`end_runtimes`) and :data:`WITHOUT_SHARED_WORKER`.
- Tables the Reliability page quotes (tests/site/test_reliability_page.py):
  :data:`FAULTS`, :data:`HOSTILE`, :data:`FUZZ_EXAMPLES`, and :func:`bad_block_cases`
  (the fixture files under tests/fixtures/bad-blocks/).
"""

from __future__ import annotations

import contextlib
import dataclasses
import fnmatch
import functools
import os
import re
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from harness.chromium import end_runtime_workers, runtime_workers
from harness.host import cache_control
from harness.link import Link, ShapingHandler, ShapingServer

REPO = Path(__file__).resolve().parents[1]
PYODIDE_DIR = REPO / "node_modules" / "pyodide"
FIXTURES = REPO / "tests" / "fixtures"

# --- Builds -------------------------------------------------------------------------------

BASE_CONFIG = f"""\
site_name: Test handbook
theme:
  name: material
  font: false
  features: [navigation.instant]
plugins:
  - sales-calculators:
      pyodide_dir: {PYODIDE_DIR}
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
validation:
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
"""


def run_mkdocs(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` in a real process, as a contributor runs it; ``env`` adds to the environment."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        check=False,
        timeout=300,
    )


def build_project(project: Path, site: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` of the project at ``project`` (its own mkdocs.yml) into ``site``."""
    return run_mkdocs(project, "-d", str(site), env=env)


def write_site(root: Path, pages: dict[str, str], config: str = BASE_CONFIG) -> Path:
    """A small project: mkdocs.yml plus docs/<page>."""
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    for name, text in pages.items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def copy_project(root: Path) -> Path:
    """The project as a contributor has it (mkdocs.yml, docs/, the installed node_modules),
    copied to ``root``, without anything a previous build staged into docs/."""
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "docs", root / "docs", ignore=lambda folder, names: _staged(folder, names))
    (root / "node_modules").symlink_to(REPO / "node_modules")
    return root


def _staged(folder: str, names: list[str]) -> list[str]:
    return ["calculators"] if Path(folder).name == "assets" and Path(folder).parent.name == "docs" else []


#: Each engine's build command, as the README gives it (ProperDocs is pointed at mkdocs.yml
#: explicitly, or it looks for properdocs.yml first; Zensical finds mkdocs.yml itself and
#: writes to the project's site/).
ENGINES = {
    "mkdocs": [sys.executable, "-m", "mkdocs", "build", "--strict"],
    "properdocs": [sys.executable, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml"],
    "zensical": [sys.executable, "-m", "zensical", "build"],
}
#: The handbook's pages with calculators, and how many each has.
HANDBOOK_CALCULATORS = {"sales/inbound": 5, "sales/how-we-work": 1, "sales/product-led": 2, "sales/outbound": 1}
#: What must never reach a page: a reference left as written (either syntax), a block's placeholder.
LEAKS = ("[[rule:", "[[table:", "{{ rule:", "{{ table:", "hbcalcslot")


def build_with(engine: str, project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``engine``'s build (see :data:`ENGINES`) of the project at ``project``, in a real process."""
    return subprocess.run(
        [*ENGINES[engine], *args],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
        timeout=600,
    )


def assert_handbook_is_whole(site: Path) -> None:
    """Every calculator of the handbook with its runtime's files in the site, references
    rendered (a value, a table, a heading anchor), nothing internal on any page."""
    from bs4 import BeautifulSoup

    for path, count in HANDBOOK_CALCULATORS.items():
        page = BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")
        widgets = page.select("div.calc[data-calculator]")
        assert len(widgets) == count, path
        for widget in widgets:
            for attribute in ("data-worker", "data-package", "data-snapshot", "data-zstd"):
                assert (site / path / widget[attribute]).resolve().is_file(), (path, attribute)
            assert (site / path / widget["data-pyodide"] / "pyodide.asm.wasm.zst").resolve().is_file()
        scripts = [tag["src"] for tag in page.select("script[src]") if "assets/calculators/" in tag["src"]]
        assert scripts and all((site / path / src).resolve().is_file() for src in scripts), scripts
    inbound = BeautifulSoup((site / "sales/inbound/index.html").read_text(encoding="utf-8"), "html.parser")
    assert inbound.select_one('span.rule-value[data-rule="T1"]').get_text() == "$20,000"
    assert inbound.select_one('table[data-table="trial-length"]') is not None
    assert inbound.find(id="principles") is not None  # a heading anchor written { #principles }
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not [leak for leak in LEAKS if leak in text], page


def run_a_calculator(browser, site: Path, path: str = "sales/inbound/", calc: str = "#trial-sizing") -> None:
    """Serve ``site``, open ``path`` in Chromium, wait for ``calc`` to start, type a new
    annual value and see its answer change; no error on the page."""
    server = Server(site)
    context = browser.new_context()
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    try:
        tab = context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.goto(server.url + path)
        wait_ready(tab, calc)
        answer = tab.locator(f"{calc} .calc__answer")
        before = answer.inner_text()
        tab.fill(f"{calc} input[name=annual_value]", "75000")
        tab.wait_for_function(
            "([calc, before]) => document.querySelector(calc + ' .calc__answer').innerText !== before",
            arg=[calc, before],
        )
        assert errors == []
    finally:
        context.close()
        server.close()


# --- Bad calculator blocks and references (tests/fixtures/bad-blocks/) ---------------------

BAD_BLOCKS = FIXTURES / "bad-blocks"
#: The comment that opens each fixture: the line of the file the problem is reported on
#: (the comment's own lines count) and words the message must contain.
_EXPECT = re.compile(r"\A<!--\s*expect line (\d+):\s*(.*?)\s*-->\n", re.DOTALL)


@dataclasses.dataclass(frozen=True)
class BadBlock:
    """One malformed page: the plugin must reject it with ``line`` and ``words`` in the message."""

    id: str
    markdown: str
    line: int
    words: str


def bad_block_cases() -> list[BadBlock]:
    """Every tests/fixtures/bad-blocks/<id>.md, sorted by id (see that folder's README.txt)."""
    cases = []
    for path in sorted(BAD_BLOCKS.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        found = _EXPECT.match(text)
        if not found:
            raise ValueError(f"{path}: must start with <!-- expect line N: words of the message -->")
        words = " ".join(found[2].split())  # the comment may wrap; the message does not
        cases.append(BadBlock(path.stem, text, int(found[1]), words))
    return cases


# --- Tables the Reliability page quotes ------------------------------------------------------

#: Examples per calculator in the fuzzing (tests/unit/test_fuzz.py): 10,000 in the test
#: command, FUZZ_EXAMPLES=... in `make fuzz`.
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10000"))

#: Text typed into every text field of every calculator (tests/browser/test_hostile.py).
HOSTILE = ["<img src=x onerror=alert(1)>", '"><script>alert(1)</script>', "javascript:alert(1)"]

#: (name, URL pattern to break, how): every way the runtime was seen or imagined to fail to
#: load (tests/browser/test_faults.py; ``how`` is a fault of :meth:`Server.broken`).
FAULTS = [
    ("wasm-404", "*/pyodide.asm.wasm*", "404"),
    ("wasm-blocked", "*/pyodide.asm.wasm*", "abort"),
    ("wasm-stalled", "*/pyodide.asm.wasm*", "hang"),
    ("stdlib-404", "*/python_stdlib*.zip", "404"),
    ("worker-script-404", "*/assets/calculators/worker-*.js", "404"),
    ("worker-script-broken", "*/assets/calculators/worker-*.js", "syntax"),
    ("package-404", "*/assets/calculators/calculators-*.zip", "404"),
    ("package-stalled", "*/assets/calculators/calculators-*.zip", "hang"),
    ("snapshot-404", "*/assets/calculators/snapshot-*.bin*", "404"),
    ("snapshot-stalled", "*/assets/calculators/snapshot-*.bin*", "hang"),
    ("snapshot-garbage", "*/assets/calculators/snapshot-*.bin*", "garbage"),
    ("snapshot-truncated", "*/assets/calculators/snapshot-*.bin*", "truncated"),
]

# --- The browser tests' static server --------------------------------------------------------

#: Installed before a page's scripts: a browser without SharedWorker, where calculators.js
#: runs the same worker script as a dedicated Worker of the window (whose requests, unlike
#: a SharedWorker's, Playwright sees).
WITHOUT_SHARED_WORKER = "delete window.SharedWorker;"


class SiteHandler(ShapingHandler):
    """Serves the site; notes each request and answers the ones a test broke (see Server.broken()).

    Everything it sends crosses the server's link while a test shapes it (Server.shaped()).
    The cache headers are a static host's, as the benchmark's server sends them
    (harness/host.py: content-hashed assets immutable, pages revalidated); a broken answer
    is never stored, so that once the test heals the site, the browser fetches the file
    again, as after a network fault.
    """

    fault: str | None = None

    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store" if self.fault else cache_control(self.path))
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

    def __init__(self, root: Path, handler_class: type = SiteHandler) -> None:
        self.root = root
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
        """Every request while the block runs crosses a slower link (harness/link.py): ``rate_mbit``
        Mbit/s shared by all connections (``None``: unlimited), ``delay_ms`` before each response,
        and with ``gzip`` every file gzipped when the request accepts it. Yields the
        :class:`~harness.link.Link`, whose log says what crossed it (``bytes_between()``,
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
