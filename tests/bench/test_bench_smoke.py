"""A smoke run of the speed benchmark (`make bench`): tiny counts, every metric must reach the table.

No target is asserted here: on a shared 2-core machine the numbers of a one-run
benchmark mean little. docs/performance.md holds the table of a full run.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.helpers import REPO

pytestmark = pytest.mark.browser

PAGES, KEYSTROKES = 30, 4
#: The throttled links ten times faster (smoke runs only): every row, in about 40 s
#: instead of the three or four minutes of real rates.
LINK_SCALE = 10
ARGS = ["--runs", "1", "--prime", "1", "--keystrokes", str(KEYSTROKES), "--traffic-runs", "1"]
ARGS += ["--pages", str(PAGES), "--build-runs", "1"]
ARGS += ["--throttled-runs", "1", "--link-scale", str(LINK_SCALE)]
#: The batch section over a small file (the full run's is 300,000 rows).
ARGS += ["--batch-rows", "3000", "--batch-runs", "1"]


def bench(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    """``python -m bench ARGS`` from the repository's root, as `make bench` runs it."""
    return subprocess.run(
        [sys.executable, "-m", "bench", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def test_the_benchmark_prints_one_table_with_every_metric():
    listed = bench(*ARGS, "--list-metrics", timeout=60)
    assert listed.returncode == 0, listed.stderr[-3000:]
    metrics = listed.stdout.strip().splitlines()
    # Every section: loopback and builds (at these counts), the batch command, then the throttled cells.
    assert f"p95 of {KEYSTROKES} keys" in metrics[5] and any(f"{PAGES} pages" in name for name in metrics)
    assert "Mbit/s" in metrics[-1], metrics
    assert any("batch trial-length, 3,000-row CSV" in name for name in metrics), metrics
    done = bench(*ARGS, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    # One table and nothing else on stdout: a header, the rule under it, one row per metric.
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header == ["metric", "median", "min", "max", "ratio to baseline", "target", "result"]
    assert set(lines[1]) <= set("|-: ")
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines[2:]]
    assert all(len(row) == len(header) for row in rows), rows
    assert [row[0] for row in rows] == [name.strip() for name in metrics]
    for row in rows:
        assert all(row[1:4]), row  # median, min, max measured
        assert row[6] in {"pass", "FAIL", "ref"}, row
        if row[6] != "ref":
            assert row[5] != "-", row  # every checked metric names its target
