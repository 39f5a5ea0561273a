"""The Chromium metrics: first Python answer (cold, warm), long tasks, typing latency, requests and bytes.

Debian's Chromium driven by Playwright for Python, launched as the browser tests do
(harness/chromium.py). Timings are taken *in the page* with ``performance.now()``
(milliseconds since navigation start), never from Python, so Playwright's own
round trips are not in them.
"""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, Playwright

from harness.chromium import CHROMIUM, CHROMIUM_ARGS, end_runtime_workers

from .sites import TYPING_CALCULATOR, TYPING_FIELD

VIEWPORT = {"width": 1280, "height": 900}
#: How long one page may take to reach "ready" before the run counts as broken.
READY_TIMEOUT_MS = 60_000

# Installed before any script of the page runs. Records performance.now() when the first
# element reaches data-state="ready" (a calculator showing its first live answer, or the
# baseline's <body>), and every main-thread long task (PerformanceObserver "longtask",
# buffered, so tasks before the observer existed count too).
INIT_SCRIPT = """
(() => {
  const bench = (window.__bench = { readyAt: null, readyId: null, longTasks: [] });
  bench.ready = new Promise((resolve) => {
    const check = () => {
      const el = document.querySelector('[data-state="ready"]');
      if (!el) return false;
      bench.readyAt = performance.now();
      bench.readyId = el.id || el.tagName.toLowerCase();
      resolve();
      return true;
    };
    new MutationObserver((_, observer) => { if (check()) observer.disconnect(); })
      .observe(document, { subtree: true, attributes: true, attributeFilter: ["data-state"] });
  });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.longTasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask", buffered: true });
  } catch (err) {
    bench.longTasks = null; // no longtask support: reported as a broken measurement
  }
})();
"""

COLLECT = r"""
async (timeoutMs) => {
  const bench = window.__bench;
  await Promise.race([
    bench.ready,
    new Promise((_, reject) => setTimeout(() => reject(new Error("not ready in time")), timeoutMs)),
  ]);
  // The task that set "ready" ends after the MutationObserver ran; its long-task entry
  // (if any) is delivered a little later. Long tasks that *started* before ready count.
  await new Promise((resolve) => setTimeout(resolve, 200));
  // When the Python runtime started: the mark calculators.js sets as it creates the
  // worker; for the baseline, which has no mark, its first request for Pyodide. (The
  // handbook's first requests for Pyodide's files are earlier: preloads from <head>, which
  // download while the theme starts up; no Python runs until the worker is created.)
  const marks = performance.getEntriesByName("handbook-calculators:start");
  const boot = (marks.length
    ? marks
    : performance.getEntriesByType("resource").filter((e) => /\/assets\/pyodide\//.test(e.name))
  ).map((e) => e.startTime);
  return {
    readyAt: bench.readyAt,
    readyId: bench.readyId,
    bootAt: boot.length ? Math.min(...boot) : null,
    longTasks: bench.longTasks && bench.longTasks.filter(([start]) => start < bench.readyAt),
  };
}
"""


@dataclasses.dataclass
class Load:
    """One navigation to a page until its first answer."""

    ready_ms: float
    ready_id: str
    boot_ms: float | None  # the runtime's start (its User Timing mark; the baseline: its first Pyodide request)
    long_tasks: list[tuple[float, float]]  # (start ms, duration ms) of tasks that began before ready

    @property
    def longest_task_ms(self) -> float:
        """The longest long task from navigation start to ready (0: none)."""
        return max((duration for _, duration in self.long_tasks), default=0.0)

    @property
    def longest_task_since_boot_ms(self) -> float:
        """The same, counting only tasks still running once the runtime had started."""
        if self.boot_ms is None:
            return self.longest_task_ms
        return max((d for start, d in self.long_tasks if start + d > self.boot_ms), default=0.0)


def measure_load(page: Page, url: str) -> Load:
    page.goto(url, timeout=READY_TIMEOUT_MS)
    data = page.evaluate(COLLECT, READY_TIMEOUT_MS)
    if data["longTasks"] is None:
        raise RuntimeError("this Chromium does not report long tasks (PerformanceObserver 'longtask')")
    return Load(data["readyAt"], data["readyId"], data["bootAt"], [tuple(t) for t in data["longTasks"]])


@contextlib.contextmanager
def fresh_profile(pw: Playwright):
    """A new browser on a new, empty profile (HTTP cache and code caches empty): one tab."""
    profile = tempfile.mkdtemp(prefix="bench-profile-")
    context = pw.chromium.launch_persistent_context(
        profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, viewport=VIEWPORT
    )
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.add_init_script(INIT_SCRIPT)
        time.sleep(0.5)  # let the browser finish starting up before the clock matters
        yield context, page
    finally:
        context.close()
        shutil.rmtree(profile, ignore_errors=True)


def interleaved(runs: int, names: list[str]):
    """(run, name) pairs, the order of names reversed every other run, so neither goes first always."""
    for run in range(runs):
        for name in names if run % 2 == 0 else reversed(names):
            yield run, name


def first_answer_cold(pw: Playwright, urls: dict[str, str], runs: int, log) -> dict[str, list[Load]]:
    """Cold: each load in a new browser with a new profile; variants interleaved.

    One untimed load of each variant comes first: the first browser start of a run reads
    Chromium itself and the site from disk into the OS's file cache, which a reader's
    cold load (a new profile in a browser that is already on the machine) does not pay.
    """
    for name in urls:
        with fresh_profile(pw) as (_, page):
            measure_load(page, urls[name])
    out: dict[str, list[Load]] = {name: [] for name in urls}
    for run, name in interleaved(runs, list(urls)):
        with fresh_profile(pw) as (_, page):
            load = measure_load(page, urls[name])
        out[name].append(load)
        log(f"cold  {run + 1}/{runs} {name:8s} {load.ready_ms:7.0f} ms  longest task {load.longest_task_ms:.0f} ms")
    return out


def end_runtime(context: BrowserContext, page: Page) -> None:
    """Ends the calculators' runtime in this tab's browser, as its lifetime running out would:
    it outlives its pages for minutes (calculators.js, connect()), and a warm load that has
    to boot Python is timed with it ended."""
    cdp = context.new_cdp_session(page)
    try:
        end_runtime_workers(cdp)
    finally:
        cdp.detach()


def first_answer_warm(
    pw: Playwright, urls: dict[str, str], runs: int, prime: int, log, restart: frozenset[str] = frozenset()
) -> tuple[dict[str, list[Load]], dict[str, tuple[BrowserContext, Page]], contextlib.ExitStack]:
    """Warm: one tab per variant (own profile) loads its page ``prime`` times, then the
    measured loads of the variants alternate. The variants named in ``restart`` end the
    runtime before each load (end_runtime()), so Python boots with warm caches. Also
    returns the tabs, still open, and the ExitStack that closes them."""
    stack = contextlib.ExitStack()
    tabs = {name: stack.enter_context(fresh_profile(pw)) for name in urls}

    def load(name: str) -> Load:
        context, page = tabs[name]
        if name in restart:
            end_runtime(context, page)
            time.sleep(0.3)  # let the ended worker's memory go before the clock starts
        return measure_load(page, urls[name])

    try:
        for name in urls:
            for _ in range(prime):  # fill the HTTP cache and V8's JS and wasm code caches
                load(name)
        out: dict[str, list[Load]] = {name: [] for name in urls}
        for run, name in interleaved(runs, list(urls)):
            done = load(name)
            out[name].append(done)
            log(f"warm  {run + 1}/{runs} {name:8s} {done.ready_ms:7.0f} ms  longest task {done.longest_task_ms:.0f} ms")
    except BaseException:
        stack.close()
        raise
    return out, tabs, stack


#: Pause before each key press: a fast typist's pace (about ten keys a second). The page
#: asks for the answers of the likely next keys between key presses (calculators.js,
#: guessNext()); keys sent back to back as fast as the answers show (~30 a second) would
#: often beat those answers, which no reader does.
KEY_INTERVAL_MS = 100

TYPING_SETUP = """
([selector, field]) => {
  const calc = document.querySelector(selector);
  const input = calc.querySelector(`[name="${field}"]`);
  const lat = (window.__latencies = []);
  let inputAt = null;
  // Capture phase on the document: runs before the calculator's own listener on its form.
  document.addEventListener("input", (event) => { if (event.target === input) inputAt = performance.now(); }, true);
  new MutationObserver(() => {
    if (inputAt === null) return;
    lat.push(performance.now() - inputAt);
    inputAt = null;
  }).observe(calc.querySelector(".calc__output"), { subtree: true, childList: true, characterData: true });
  return input.value;
}
"""


def typing_latency(page: Page, url: str, keystrokes: int) -> list[float]:
    """Real key presses into a ready calculator; ms from each ``input`` event to the answer's DOM update.

    The field alternates between two values with different answers (Backspace turns
    45000 into 4500, "0" turns it back), so every keystroke changes the answer.
    """
    page.goto(url, timeout=READY_TIMEOUT_MS)
    page.evaluate(COLLECT, READY_TIMEOUT_MS)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.calc')].every((c) => c.dataset.state === 'ready')",
        timeout=READY_TIMEOUT_MS,
    )
    selector = f"#{TYPING_CALCULATOR}"
    start = page.evaluate(TYPING_SETUP, [selector, TYPING_FIELD])
    if not start.endswith("0"):
        raise RuntimeError(f"{selector} {TYPING_FIELD} starts at {start!r}; the typing test needs a value ending in 0")
    page.click(f"{selector} [name='{TYPING_FIELD}']")
    page.keyboard.press("End")
    for k in range(keystrokes):
        page.wait_for_timeout(KEY_INTERVAL_MS)
        page.keyboard.press("Backspace" if k % 2 == 0 else "0")
        # Polled on a timer: the default (every animation frame) would keep Chromium drawing
        # frames, which no reader's page does between key presses, and delay the answer.
        page.wait_for_function("(n) => window.__latencies.length >= n", arg=k + 1, timeout=10_000, polling=25)
    return page.evaluate("() => window.__latencies")


def p95(values: list[float]) -> float:
    """95th percentile, linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = 0.95 * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclasses.dataclass
class Traffic:
    requests: int
    bytes: int
    paths: list[str]


def traffic(browser: Browser, url: str) -> Traffic:
    """Requests and bytes (response headers + body, as Chromium received them) of one cold load."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        finished, failed = [], []
        context.on("requestfinished", lambda request: finished.append(request))
        context.on("requestfailed", lambda request: failed.append(request))
        page = context.new_page()
        page.goto(url, wait_until="networkidle")
        page.wait_for_timeout(500)  # anything a late script starts
        total = 0
        for request in finished:
            sizes = request.sizes()
            total += sizes["responseHeadersSize"] + sizes["responseBodySize"]
        paths = sorted(r.url.removeprefix(url) for r in finished + failed)
        return Traffic(len(finished) + len(failed), total, paths)
    finally:
        context.close()


def chromium_version() -> str:
    try:
        done = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30, check=False)
        return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "unknown"
    except OSError:
        return "unknown"


def exists() -> bool:
    return Path(CHROMIUM).exists()
