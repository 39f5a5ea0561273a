"""Runs every measurement and turns the results into the table's rows."""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from . import batch, browser, builds, sites, throttled
from .report import Row, count, kilobytes, ms, ms1, or_gave_up, seconds, table
from .serve import Process

#: Targets of the issue, in one place.
WARM_MS, WARM_RATIO = 600, 0.40
COLD_MS, COLD_RATIO = 1600, 0.55
TYPING_P95_MS = 16
LONG_TASK_MS = 50
PLAIN_BUILD_RATIO, CALC_BUILD_RATIO, GROWTH_RATIO = 1.05, 1.3, 2.1
THROTTLED_RATIO, THROTTLED_BYTES_RATIO, THROTTLED_OVERLAP_S = 0.75, 1.00, 0.6
#: The section that can run alone (--only) or be skipped (--skip-throttled).
THROTTLED = "throttled"
#: Many leads at once (bench/batch.py): can run alone (--only batch), needs no browser.
BATCH = "batch"


def throttled_cells(link_scale: float = 1.0) -> list[throttled.Cell]:
    """The throttled section's links, their rates times ``link_scale`` (1 but in smoke runs)."""
    return [cell.scaled(link_scale) for cell in throttled.CELLS]


def throttled_names(cell: throttled.Cell) -> list[str]:
    """The rows of one throttled cell, in order."""
    over = f"over {cell.label}"
    return [
        f"First Python answer, cold, {over}",
        f"Baseline: bare page, stock loadPyodide(), cold, {over}",
        f"Bytes before the first answer, cold, {over}",
        f"First answer minus bytes / link rate, cold, {over}",
    ]


def metric_names(pages: int, keystrokes: int, link_scale: float = 1.0, batch_rows: int = 300_000) -> list[str]:
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
        *batch.names(batch_rows),
        *(name for cell in throttled_cells(link_scale) for name in throttled_names(cell)),
    ]


def listed_metrics(args: argparse.Namespace) -> list[str]:
    """The rows a run with these options prints, in order (``--list-metrics``)."""
    names = metric_names(args.pages, args.keystrokes, args.link_scale, args.batch_rows)
    n_throttled = sum(len(throttled_names(cell)) for cell in throttled_cells(args.link_scale))
    if args.only == BATCH:
        return batch.names(args.batch_rows)
    if args.only == THROTTLED:
        return names[-n_throttled:]
    if args.skip_throttled:
        return names[:-n_throttled]
    return names


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


def browser_rows(args, pw, built: sites.Sites) -> tuple[list[Row], dict]:
    """The loopback rows: first answers, typing, long tasks, traffic (the server unshaped)."""
    names = metric_names(args.pages, args.keystrokes)
    raw: dict = {}
    urls = {"runtime": built.calculator_page, "baseline": built.baseline_page}
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


def paired_or_gave_up(a: list[float], b: list[float]) -> list[float]:
    """As paired(), but a run where either load gave up has no ratio worth the name: infinite."""
    return [x / y if math.isfinite(x) and math.isfinite(y) else math.inf for x, y in zip(a, b, strict=True)]


def throttled_rows(args, pw, server: Process, built: sites.Sites) -> tuple[list[Row], dict]:
    """The throttled-link rows: cold loads of the handbook and the baseline over each cell's link."""
    cells = throttled_cells(args.link_scale)
    urls = {"runtime": built.calculator_page, "baseline": built.baseline_page}
    if args.link_scale != 1:
        log(f"link rates x {args.link_scale:g}: a smoke run, not a measurement")
    timeout_ms = args.throttled_timeout * 1000
    log(f"throttled link: {len(cells)} cells x {args.throttled_runs} runs each, interleaved")
    loads = throttled.measure(pw, server, urls, cells, args.throttled_runs, timeout_ms, log)
    rows, raw = [], {}
    for cell in cells:
        runtime, baseline = loads[cell]["runtime"], loads[cell]["baseline"]
        rows += cell_rows(cell, runtime, baseline)
        raw[cell.label] = {
            name: {
                "loads": [as_json(load) for load in by_name],
                "files_before_first_answer": throttled.file_counts(by_name),
            }
            for name, by_name in loads[cell].items()
        }
        for name, by_name in loads[cell].items():
            throttled.log_file_counts(f"{cell.label}, {name}", by_name, log)
    return rows, {"throttled": raw}


def as_json(load: throttled.Load) -> dict:
    """A load for --json: what a load that gave up lacks is null (JSON has no infinity)."""
    return {k: None if v == math.inf else v for k, v in dataclasses.asdict(load).items()}


def cell_rows(cell: throttled.Cell, runtime: list[throttled.Load], baseline: list[throttled.Load]) -> list[Row]:
    """One cell's four rows (throttled_names()); a load that gave up counts as infinite."""
    names = throttled_names(cell)
    ready = [load.ready_ms for load in runtime]
    base_ready = [load.ready_ms for load in baseline]
    sent = [load.bytes for load in runtime]
    base_sent = [load.bytes for load in baseline]
    # What is left of the first answer once the bytes it needed are paid for at the link's
    # rate: the part that did not overlap the download (round trips, boot after the last byte).
    beyond = [load.ready_ms / 1000 - cell.seconds_for(load.bytes) for load in runtime]
    beyond = [x if math.isfinite(x) else math.inf for x in beyond]
    return [
        Row(
            names[0],
            ready,
            or_gave_up(ms),
            paired_or_gave_up(ready, base_ready),
            f"<= {THROTTLED_RATIO:.2f} x, no load gives up",
            lambda r: r.ratio <= THROTTLED_RATIO and all(math.isfinite(v) for v in r.values),
        ),
        Row(names[1], base_ready, or_gave_up(ms)),
        Row(
            names[2],
            sent,
            or_gave_up(kilobytes),
            paired_or_gave_up(sent, base_sent),
            f"<= {THROTTLED_BYTES_RATIO:.2f} x baseline",
            lambda r: r.ratio <= THROTTLED_BYTES_RATIO,
        ),
        Row(
            names[3],
            beyond,
            or_gave_up(seconds),
            target=f"<= {THROTTLED_OVERLAP_S} s",
            check=lambda r: r.median <= THROTTLED_OVERLAP_S,
        ),
    ]


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
    parser.add_argument(
        "--throttled-runs", type=int, default=3, help="cold loads per page and throttled cell (default 3)"
    )
    parser.add_argument(
        "--throttled-timeout",
        type=float,
        default=120,
        help="seconds a throttled load may take to its first answer before it counts as given up (default 120)",
    )
    parser.add_argument(
        "--link-scale",
        type=float,
        default=1.0,
        help="SMOKE RUNS ONLY: multiply the throttled links' rates by this, to finish sooner (default 1)",
    )
    parser.add_argument(
        "--batch-rows", type=int, default=300_000, help="rows of the batch section's CSV file (default 300,000)"
    )
    parser.add_argument("--batch-runs", type=int, default=3, help="runs of the batch command (default 3)")
    section = parser.add_mutually_exclusive_group()
    section.add_argument(
        "--only",
        choices=[THROTTLED, BATCH],
        help="run this section alone, nothing else (throttled: its site build included; batch: no browser needed)",
    )
    section.add_argument("--skip-throttled", action="store_true", help="leave the throttled-link section out")
    parser.add_argument("--json", type=Path, help="also write every raw measurement to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (sites, projects)")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument(
        "--list-metrics", action="store_true", help="print the table's metric names, one a line, and measure nothing"
    )
    args = parser.parse_args(argv)
    counts = (args.runs, args.prime, args.keystrokes, args.traffic_runs, args.pages, args.build_runs)
    if min(*counts, args.throttled_runs, args.batch_rows, args.batch_runs) < 1:
        parser.error("every count must be at least 1")
    if args.link_scale <= 0 or args.throttled_timeout <= 0:
        parser.error("--link-scale and --throttled-timeout must be positive")
    if args.only != BATCH and not browser.exists():
        parser.error(f"no Chromium at {browser.CHROMIUM}: apt-get install chromium, or set CHROMIUM")
    return args


def measure_all(args, tmp: Path) -> tuple[list[Row], dict]:
    """Every section the options ask for; rows in the table's order (loopback, builds, batch, throttled)."""
    if args.only == BATCH:
        return batch.measure(tmp, args.batch_rows, args.batch_runs, log)
    loopback = args.only is None
    rows, raw, throttled_part = [], {}, ([], {})
    with Process(tmp / "www") as server:
        built = sites.build_all(tmp, server.url, log)
        log(f"Pyodide runtime directory in the site: assets/calculators/pyodide/{built.pyodide_dir}/")
        raw["pyodide_dir"] = built.pyodide_dir
        with sync_playwright() as pw:
            if loopback:
                more, more_raw = browser_rows(args, pw, built)
                rows += more
                raw.update(more_raw)
            # After the loopback rows, which must not see a shaped server (the section
            # switches the shaping on per cell and off when it ends).
            if not args.skip_throttled:
                throttled_part = throttled_rows(args, pw, server, built)
    if loopback:
        more, build_raw = build_rows(args, tmp)
        rows += more
        raw.update(build_raw)
        more, batch_raw = batch.measure(tmp, args.batch_rows, args.batch_runs, log)
        rows += more
        raw.update(batch_raw)
    rows += throttled_part[0]
    raw.update(throttled_part[1])
    return rows, raw


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.list_metrics:
        print("\n".join(listed_metrics(args)), flush=True)
        return 0
    log(f"machine: {machine()}")
    tmp = Path(tempfile.mkdtemp(prefix="handbook-bench-"))
    started = time.perf_counter()
    try:
        rows, raw = measure_all(args, tmp)
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
