"""Many leads at once: ``python -m calculators batch trial-length IN -o OUT`` over a generated CSV.

Each run is the whole command in a fresh process, as a rep would type it (Python's start-up
and imports included): rows per second of wall-clock time, and the process's peak resident
memory (``ru_maxrss`` of that one process, from ``os.wait4``; see MEASURE). The file is
written once; every run writes a new output file, checked to hold one answer per row.
"""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from .report import Row

#: The issue's targets.
MIN_ROWS_PER_S, MAX_PEAK_MB = 50_000, 200
CALCULATOR = "trial-length"
REPO = Path(__file__).resolve().parent.parent


def names(rows: int) -> list[str]:
    """The section's rows, in order."""
    what = f"python -m calculators batch {CALCULATOR}, {rows:,}-row CSV"
    return [f"{what}: rows per second", f"{what}: peak resident memory"]


def write_leads(path: Path, rows: int) -> None:
    """``rows`` valid leads: values across every trial band, written as reps do (45000,
    "45,000", "$45,000"), a start date on three rows in four, and two columns passed through."""
    first = dt.date(2026, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["lead_id", "company", "annual_value", "start_date"])
        for i in range(rows):
            value = (i * 7919) % 400 * 1000
            shown = (str(value), f"{value:,}", f"${value:,}")[i % 3]
            start = (first + dt.timedelta(days=i % 365)).isoformat() if i % 4 else ""
            writer.writerow([f"L{i:07d}", f"Company {i % 997}", shown, start])


#: Runs the command and prints its wall-clock seconds and peak resident KiB. A child's
#: ``ru_maxrss`` also counts the memory of the process it was forked from, up to its exec:
#: forked from this small interpreter (about 10 MB), not from the benchmark (playwright and
#: all), the figure is the command's own.
MEASURE = (
    "import os, sys, time\n"
    "started = time.perf_counter()\n"
    "pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ)\n"
    "_, status, usage = os.wait4(pid, 0)\n"
    "print(time.perf_counter() - started, usage.ru_maxrss)\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)


def run_once(source: Path, target: Path) -> tuple[float, float]:
    """One run of the command: (seconds, peak resident MB). Raises if it failed."""
    command = [sys.executable, "-m", "calculators", "batch", CALCULATOR, str(source), "-o", str(target)]
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], cwd=REPO, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {done.returncode}: {done.stderr[-2000:]}")
    seconds, kib = done.stdout.split()
    return float(seconds), int(kib) * 1024 / 1e6  # ru_maxrss is in KiB on Linux


def count_lines(path: Path) -> int:
    with path.open("rb") as fh:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))


def rows_per_s(value: float) -> str:
    return f"{value:,.0f} rows/s"


def megabytes(value: float) -> str:
    return f"{value:.0f} MB"


def measure(tmp: Path, rows: int, runs: int, log: Callable[[str], None]) -> tuple[list[Row], dict]:
    """The section's rows and raw figures: ``runs`` runs over a ``rows``-row file."""
    folder = tmp / "batch"
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "leads.csv"
    write_leads(source, rows)
    log(f"batch: {rows:,} rows ({source.stat().st_size / 1e6:.1f} MB), {runs} runs")
    speeds, peaks = [], []
    for r in range(runs):
        target = folder / f"answers-{r}.csv"
        seconds, peak = run_once(source, target)
        answered = count_lines(target) - 1
        if answered != rows:
            raise RuntimeError(f"batch wrote {answered:,} answers for {rows:,} rows")
        target.unlink()
        speeds.append(rows / seconds)
        peaks.append(peak)
        log(f"batch {r + 1}/{runs}: {seconds:.2f} s, {rows / seconds:,.0f} rows/s, peak {peak:.0f} MB")
    speed_name, memory_name = names(rows)
    table = [
        Row(
            speed_name,
            speeds,
            rows_per_s,
            target=f">= {MIN_ROWS_PER_S:,} rows/s",
            check=lambda row: row.median >= MIN_ROWS_PER_S,
        ),
        Row(
            memory_name,
            peaks,
            megabytes,
            target=f"<= {MAX_PEAK_MB} MB in every run",
            check=lambda row: max(row.values) <= MAX_PEAK_MB,
        ),
    ]
    return table, {"batch": {"rows": rows, "rows_per_s": speeds, "peak_mb": peaks}}
