"""Cold first answers over a shaped link: the throttled-link section of the benchmark.

On loopback a first visit pays nothing for its bytes. Here the benchmark's server
is switched to a slower link (harness/link.py: one rate shared by every connection, a
round trip before each response, a host that sends files as they are or gzips them)
and the handbook page and the baseline page are loaded cold, each in a new browser
profile, interleaved, per cell. Per load: the first answer (ms since navigation, the
page's clock, as on loopback), and the bytes that crossed the link from navigation
start to that answer (the server's log up to the page's wall-clock ready time,
``performance.timeOrigin + readyAt``), and in which responses.

A load that gives up (a calculator reaches ``data-state="error"``, the page never
answers within the timeout, or the navigation fails) is kept as given up, not raised.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Playwright

from . import browser
from .serve import Process

#: What a load that gave up counts as in the table (bench/report.py shows "gave up").
GAVE_UP = math.inf


@dataclasses.dataclass(frozen=True)
class Cell:
    """One link: its rate (Mbit/s), its round trip (ms) and whether the host gzips."""

    rate_mbit: float
    delay_ms: float
    gzip: bool

    @property
    def label(self) -> str:
        host = "host gzipping" if self.gzip else "host as-is"
        return f"{self.rate_mbit:g} Mbit/s + {self.delay_ms:g} ms, {host}"

    def scaled(self, scale: float) -> Cell:
        """The same cell with its rate times ``scale`` (smoke runs only: see bench/run.py --link-scale)."""
        return dataclasses.replace(self, rate_mbit=self.rate_mbit * scale)

    def seconds_for(self, n_bytes: float) -> float:
        """How long ``n_bytes`` take at the link's rate alone."""
        return n_bytes * 8 / (self.rate_mbit * 1e6)


#: A slow and a fair connection, each from a host as-is and from a gzipping one.
CELLS = (Cell(10, 60, False), Cell(10, 60, True), Cell(50, 20, False), Cell(50, 20, True))


@dataclasses.dataclass
class Load:
    """One cold load over the link."""

    outcome: str  # "ready"; gave up: "error" (a calculator gave up), "timeout", "failed" (navigation)
    ready_ms: float  # first answer, ms since navigation (GAVE_UP if none)
    bytes: float  # bytes that crossed the link from navigation start to the first answer (GAVE_UP if none)
    # (path, bytes of it), one per response that crossed the link before the first answer, or
    # for a load that gave up, before it did (empty if the navigation failed)
    files: list[tuple[str, int]]

    @property
    def gave_up(self) -> bool:
        return self.outcome != "ready"


# Waits for the first answer (INIT_SCRIPT's bench.ready), a calculator in its error state,
# or the timeout, counted from navigation start; answers with the page's clocks.
WAIT = r"""
async (timeoutMs) => {
  const failed = new Promise((resolve) => {
    const check = () => document.querySelector('[data-state="error"]') !== null;
    if (check()) return resolve("error");
    new MutationObserver((_, observer) => { if (check()) { observer.disconnect(); resolve("error"); } })
      .observe(document, { subtree: true, attributes: true, attributeFilter: ["data-state"] });
  });
  const left = Math.max(0, timeoutMs - performance.now());
  const outcome = await Promise.race([
    window.__bench.ready.then(() => "ready"),
    failed,
    new Promise((resolve) => setTimeout(() => resolve("timeout"), left)),
  ]);
  return { outcome, readyAt: window.__bench.readyAt, endedAt: performance.now(), timeOrigin: performance.timeOrigin };
}
"""


def load_once(pw: Playwright, server: Process, url: str, timeout_ms: float) -> Load:
    """One cold load of ``url`` (a new browser profile) over the server's current link."""
    with browser.fresh_profile(pw) as (_, page):
        try:
            page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
            data = page.evaluate(WAIT, timeout_ms)
        except PlaywrightError:
            return Load("failed", GAVE_UP, GAVE_UP, [])
    ready = data["outcome"] == "ready"
    # Both ends in wall-clock seconds, the clock the server's log is kept in.
    since = data["timeOrigin"] / 1000
    sent = server.sent(since, since + (data["readyAt"] if ready else data["endedAt"]) / 1000)
    files = [(r["path"], r["bytes"]) for r in sent["responses"]]
    if not ready:
        return Load(data["outcome"], GAVE_UP, GAVE_UP, files)
    return Load("ready", data["readyAt"], sent["bytes"], files)


def measure(
    pw: Playwright, server: Process, urls: dict[str, str], cells: list[Cell], runs: int, timeout_ms: float, log
) -> dict[Cell, dict[str, list[Load]]]:
    """Every cell's loads: ``runs`` of each page in ``urls``, interleaved; the server unshaped after.

    One untimed load of each page comes first, from an unlimited gzipping host: it fills
    the host's cache of gzipped files (so no timed load pays for compressing, as from a
    CDN) and the OS's file cache, as the loopback section's untimed cold loads do.
    """
    out: dict[Cell, dict[str, list[Load]]] = {}
    try:
        server.shape(None, 0, gzip=True)
        for url in urls.values():
            load_once(pw, server, url, timeout_ms)
        for cell in cells:
            server.shape(cell.rate_mbit, cell.delay_ms, gzip=cell.gzip)
            out[cell] = {name: [] for name in urls}
            for run, name in browser.interleaved(runs, list(urls)):
                load = load_once(pw, server, urls[name], timeout_ms)
                out[cell][name].append(load)
                log(f"throttled {cell.label} {run + 1}/{runs} {name:8s} {describe(load)}")
    finally:
        server.unshape()
    return out


def describe(load: Load) -> str:
    """One line of progress for a load: its answer, bytes and responses, or that it gave up."""
    if load.gave_up:
        return f"gave up ({load.outcome}), {sum(n for _, n in load.files):,} B had crossed by then"
    counts = Counter(path.rsplit("/", 1)[-1] for path, _ in load.files)
    twice = ", ".join(f"{name} x{n}" for name, n in counts.items() if n > 1)
    return f"{load.ready_ms:7.0f} ms  {load.bytes:12,.0f} B  {len(load.files)} responses" + (
        f"  (more than once: {twice})" if twice else ""
    )


def file_counts(loads: list[Load]) -> dict[str, dict[str, list[int]]]:
    """Per path, per load: how many responses of it crossed the link before the first answer
    (or before the load gave up; more than one: a duplicate download), and their bytes.

    Returns:
        ``{path: {"responses": [per load], "bytes": [per load]}}``, paths sorted.
    """
    paths = sorted({path for load in loads for path, _ in load.files})
    return {
        path: {
            "responses": [sum(1 for p, _ in load.files if p == path) for load in loads],
            "bytes": [sum(n for p, n in load.files if p == path) for load in loads],
        }
        for path in paths
    }


def log_file_counts(label: str, loads: list[Load], log) -> None:
    """One line per path: responses per load before the first answer, and the bytes of the first load."""
    counts = file_counts(loads)
    outcomes = ",".join("answered" if not load.gave_up else "gave up" for load in loads)
    log(f"{label}: responses before the first answer or giving up, per load ({outcomes}), bytes of the first:")
    for path, seen in counts.items():
        flag = "  <- more than once" if max(seen["responses"]) > 1 else ""
        times = ",".join(str(n) for n in seen["responses"])
        log(f"    {times:>8s} x {seen['bytes'][0]:>12,} B  {path}{flag}")
