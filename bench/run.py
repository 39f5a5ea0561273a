"""Runs every measurement and turns the results into the table's rows."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from . import browser, builds, sites
from .report import Row, count, kilobytes, ms, ms1, seconds, table
from .serve import Process

#: Targets of the issue, in one place.
WARM_MS, WARM_RATIO = 600, 0.40
COLD_MS, COLD_RATIO = 1600, 0.55
TYPING_P95_MS = 16
LONG_TASK_MS = 50
PLAIN_BUILD_RATIO, CALC_BUILD_RATIO, GROWTH_RATIO = 1.05, 1.3, 2.1


def metric_names(pages: int, keystrokes: int) -> list[str]:
    """Every row of the table, in order (the smoke test checks they are all there)."""
    n, n2 = f"{pages:,}", f"{2 * pages:,}"
    return [
        "First Python answer, warm (same tab again)",
        "First Python answer, warm, Python booted anew (runtime ended before)",
        "Baseline: bare page, stock loadPyodide(), warm",
        "First Python answer, cold (new profile)",
        "Baseline: bare page, stock loadPyodide(), cold",
        f"Input change -> updated answer, p95 of {keystrokes} keys",
        "Longest main-thread task, navigation -> ready (theme's start-up too)",
        "Longest main-thread task while Python boots (runtime start -> ready)",
        "Baseline: longest main-thread task, navigation -> ready",
        "Page without calculators: requests",
        "Page without calculators: bytes transferred",
        f"mkdocs build, {n} pages, no calculators",
        f"mkdocs build, {n} pages, no calculators, plugin disabled",
        f"mkdocs build, {n} pages, a calculator on every page",
        f"mkdocs build, {n} pages, a calculator on every page, plugin disabled",
        f"mkdocs build, {n2} pages, a calculator on every page",
        f"mkdocs build, {n2} pages, a calculator on every page, plugin disabled",
    ]


def paired(a: list[float], b: list[float]) -> list[float]:
    """Per-run ratios a[i] / b[i]: each against the baseline measured in the same run."""
    return [x / y for x, y in zip(a, b, strict=True)]


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def machine() -> str:
    """nproc, memory, Chromium, Python, Node: what the docs page reports."""
    memory = "?"
    try:
        with open("/proc/meminfo", encoding="utf-8") as fh:
            kb = int(next(line for line in fh if line.startswith("MemTotal")).split()[1])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    node = shutil.which("node")
    node_version = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip() if node else "-"
    return (
        f"{os.cpu_count()} cores, {memory} RAM, {platform.platform()}; {browser.chromium_version()}; "
        f"Python {platform.python_version()}; Node {node_version}"
    )


def browser_rows(args, tmp: Path) -> tuple[list[Row], dict]:
    names = metric_names(args.pages, args.keystrokes)
    raw: dict = {}
    with Process(tmp / "www") as server:
        built = sites.build_all(tmp, server.url, log)
        log(f"Pyodide runtime directory in the site: assets/pyodide/{built.pyodide_dir}/")
        urls = {"runtime": built.calculator_page, "baseline": built.baseline_page}
        with sync_playwright() as pw:
            log(f"first answer, cold: {args.runs} runs each, interleaved")
            cold = browser.first_answer_cold(pw, urls, args.runs, log)
            log(f"first answer, warm: {args.prime} priming loads, then {args.runs} runs each, interleaved")
            # "restart": the same page in a tab of its own whose runtime is ended before each
            # load, so that Python boots (with warm caches), as after the runtime's lifetime ran out.
            warm_urls = {"runtime": urls["runtime"], "restart": urls["runtime"], "baseline": urls["baseline"]}
            warm, tabs, closing = browser.first_answer_warm(
                pw, warm_urls, args.runs, args.prime, log, restart=frozenset({"restart"})
            )
            with closing:
                log(f"typing: {args.runs} page loads x {args.keystrokes} key presses")
                typing = []
                for r in range(args.runs):
                    latencies = browser.typing_latency(tabs["runtime"][1], urls["runtime"], args.keystrokes)
                    typing.append(latencies)
                    log(f"typing {r + 1}/{args.runs} p95 {browser.p95(latencies):.1f} ms, max {max(latencies):.1f} ms")
            log("requests and bytes of a page without calculators, plugin enabled vs disabled")
            launched = pw.chromium.launch(executable_path=browser.CHROMIUM, args=browser.CHROMIUM_ARGS, headless=True)
            traffic = {"enabled": [], "disabled": []}
            try:
                for r, name in browser.interleaved(args.traffic_runs, ["enabled", "disabled"]):
                    url = built.plain_enabled if name == "enabled" else built.plain_disabled
                    t = browser.traffic(launched, url)
                    traffic[name].append(t)
                    log(f"traffic {r + 1}/{args.traffic_runs} {name:8s} {t.requests} requests, {t.bytes} B")
            finally:
                launched.close()
    same_paths = True
    for on, off in zip(traffic["enabled"], traffic["disabled"], strict=True):
        if on.paths != off.paths:
            same_paths = False
            log(f"requests differ: enabled {on.paths} vs disabled {off.paths}")

    ready = {
        f"{kind}-{name}": [load.ready_ms for load in loads]
        for kind, by_name in (("cold", cold), ("warm", warm))
        for name, loads in by_name.items()
    }
    # The loads that boot Python (cold, and warm with the runtime ended) and the ones that
    # find it running (warm): long tasks are counted over all of them.
    runtime_loads = cold["runtime"] + warm["restart"] + warm["runtime"]
    baseline_loads = cold["baseline"] + warm["baseline"]
    raw.update(
        pyodide_dir=built.pyodide_dir,
        ready_ms=ready,
        long_tasks={
            "runtime": [load.long_tasks for load in runtime_loads],
            "baseline": [load.long_tasks for load in baseline_loads],
            "runtime_boot_at": [load.boot_ms for load in runtime_loads],
        },
        typing_ms=typing,
        traffic={k: [vars(t) for t in v] for k, v in traffic.items()},
    )
    plain_requests = [t.requests for t in traffic["disabled"]]
    plain_bytes = [t.bytes for t in traffic["disabled"]]
    rows = [
        Row(
            names[0],
            ready["warm-runtime"],
            ms,
            paired(ready["warm-runtime"], ready["warm-baseline"]),
            f"<= {WARM_MS} ms and <= {WARM_RATIO:.2f} x",
            lambda r: r.median <= WARM_MS and r.ratio <= WARM_RATIO,
        ),
        # Context: the warm target is the same tab loading the page again (the row
        # above), which finds the runtime running; this is the boot that comes after a pause
        # longer than the runtime's lifetime (docs/performance.md).
        Row(names[1], ready["warm-restart"], ms, paired(ready["warm-restart"], ready["warm-baseline"])),
        Row(names[2], ready["warm-baseline"], ms),
        Row(
            names[3],
            ready["cold-runtime"],
            ms,
            paired(ready["cold-runtime"], ready["cold-baseline"]),
            f"<= {COLD_MS} ms and <= {COLD_RATIO:.2f} x",
            lambda r: r.median <= COLD_MS and r.ratio <= COLD_RATIO,
        ),
        Row(names[4], ready["cold-baseline"], ms),
        Row(
            names[5],
            [browser.p95(run) for run in typing],
            ms1,
            target=f"p95 <= {TYPING_P95_MS} ms",
            check=lambda r: r.median <= TYPING_P95_MS,
        ),
        # Context, not a target: the target is "while Python boots" (the next row).
        # From navigation, this also holds the theme's own start-up task, which runs before
        # the runtime starts (docs/performance.md, "Long tasks").
        Row(names[6], [load.longest_task_ms for load in runtime_loads], ms),
        Row(
            names[7],
            [load.longest_task_since_boot_ms for load in runtime_loads],
            ms,
            target=f"no task >= {LONG_TASK_MS} ms in any run",
            check=lambda r: max(r.values) < LONG_TASK_MS,
        ),
        Row(names[8], [load.longest_task_ms for load in baseline_loads], ms),
        Row(
            names[9],
            [t.requests for t in traffic["enabled"]],
            count,
            paired([t.requests for t in traffic["enabled"]], plain_requests),
            f"= plugin disabled ({min(plain_requests)}-{max(plain_requests)})"
            if min(plain_requests) != max(plain_requests)
            else f"= plugin disabled ({plain_requests[0]})",
            lambda r: same_paths and all(x == 1 for x in r.ratios),
        ),
        Row(
            names[10],
            [t.bytes for t in traffic["enabled"]],
            kilobytes,
            paired([t.bytes for t in traffic["enabled"]], plain_bytes),
            f"= plugin disabled ({plain_bytes[0]:,} B)"
            if min(plain_bytes) == max(plain_bytes)
            else f"= plugin disabled ({min(plain_bytes):,}-{max(plain_bytes):,} B)",
            lambda r: all(x == 1 for x in r.ratios),
        ),
    ]
    return rows, raw


def build_rows(args, tmp: Path) -> tuple[list[Row], dict]:
    names = metric_names(args.pages, args.keystrokes)
    t = builds.run(tmp, args.pages, args.build_runs, log)
    rows = [
        Row(
            names[11],
            t["plain-on"],
            seconds,
            paired(t["plain-on"], t["plain-off"]),
            f"<= {PLAIN_BUILD_RATIO:.2f} x disabled",
            lambda r: r.ratio <= PLAIN_BUILD_RATIO,
        ),
        Row(names[12], t["plain-off"], seconds),
        Row(
            names[13],
            t["calc-on"],
            seconds,
            paired(t["calc-on"], t["calc-off"]),
            f"<= {CALC_BUILD_RATIO:.2f} x disabled",
            lambda r: r.ratio <= CALC_BUILD_RATIO,
        ),
        Row(names[14], t["calc-off"], seconds),
        Row(
            names[15],
            t["calc-on-2x"],
            seconds,
            paired(t["calc-on-2x"], t["calc-on"]),
            f"<= {GROWTH_RATIO:.2f} x {args.pages:,} pages",
            lambda r: r.ratio <= GROWTH_RATIO,
        ),
        Row(names[16], t["calc-off-2x"], seconds, paired(t["calc-off-2x"], t["calc-off"])),
    ]
    return rows, {"build_s": t}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="runs per browser variant, cold and warm (default 7)")
    parser.add_argument("--prime", type=int, default=3, help="untimed loads that warm each tab (default 3)")
    parser.add_argument("--keystrokes", type=int, default=50, help="key presses per typing run (default 50)")
    parser.add_argument("--traffic-runs", type=int, default=3, help="loads of the page without calculators (default 3)")
    parser.add_argument("--pages", type=int, default=2000, help="pages of the generated handbook (default 2000)")
    parser.add_argument("--build-runs", type=int, default=5, help="timed builds per variant (default 5)")
    parser.add_argument("--json", type=Path, help="also write every raw measurement to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (sites, projects)")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    if min(args.runs, args.prime, args.keystrokes, args.traffic_runs, args.pages, args.build_runs) < 1:
        parser.error("every count must be at least 1")
    if not browser.exists():
        parser.error(f"no Chromium at {browser.CHROMIUM}: apt-get install chromium, or set CHROMIUM")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    log(f"machine: {machine()}")
    tmp = Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    started = time.perf_counter()
    try:
        rows, raw = browser_rows(args, tmp)
        more, build_raw = build_rows(args, tmp)
        rows += more
        raw.update(build_raw)
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    log(f"done in {time.perf_counter() - started:.0f} s")
    if args.json:
        settings = {**vars(args), "json": str(args.json)}
        args.json.write_text(json.dumps({"machine": machine(), "args": settings, **raw}, indent=1), encoding="utf-8")
    print(table(rows), flush=True)
    return 1 if args.strict and any(row.result == "FAIL" for row in rows) else 0
