"""A smoke run of the speed benchmark (`make bench`): tiny counts, every metric must reach the table.

No target is asserted here: on a shared 2-core machine the numbers of a one-run
benchmark mean little. docs/performance.md holds the table of a full run.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bench.run import metric_names
from tests.conftest import REPO

pytestmark = pytest.mark.browser

PAGES, KEYSTROKES = 30, 4
#: The throttled links ten times faster (smoke runs only): every row, in about 40 s
#: instead of the three or four minutes of real rates.
LINK_SCALE = 10
ARGS = ["--runs", "1", "--prime", "1", "--keystrokes", str(KEYSTROKES), "--traffic-runs", "1"]
ARGS += ["--pages", str(PAGES), "--build-runs", "1"]
ARGS += ["--throttled-runs", "1", "--link-scale", str(LINK_SCALE)]


def test_the_benchmark_prints_one_table_with_every_metric():
    done = subprocess.run(
        [sys.executable, "-m", "bench", *ARGS],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=240,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.strip().splitlines()
    # One table and nothing else on stdout: a header, the rule under it, one row per metric.
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header == ["metric", "median", "min", "max", "ratio to baseline", "target", "result"]
    assert set(lines[1]) <= set("|-: ")
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in lines[2:]]
    assert all(len(row) == len(header) for row in rows), rows
    assert [row[0] for row in rows] == [name.strip() for name in metric_names(PAGES, KEYSTROKES, LINK_SCALE)]
    for row in rows:
        assert all(row[1:4]), row  # median, min, max measured
        assert row[6] in {"pass", "FAIL", "ref"}, row
        if row[6] != "ref":
            assert row[5] != "-", row  # every checked metric names its target
