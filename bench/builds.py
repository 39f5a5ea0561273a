"""Build-time metrics: ``mkdocs build`` of a generated handbook, plugin enabled vs disabled.

Each variant is its own project, generated once; every timed build goes into a fresh,
empty output directory (deleting the last site is not timed). The variants take turns,
in an order reversed every other round, so that a noisy moment hits all of them, and
each ratio is taken between builds of the same round.
"""

from __future__ import annotations

import dataclasses
import shutil
import time
from pathlib import Path

from . import handbook, sites


@dataclasses.dataclass(frozen=True)
class Variant:
    key: str
    pages: int
    calculators: bool
    enabled: bool


def variants(pages: int) -> list[Variant]:
    """The six builds: N pages with no calculators and with one on every page, plugin on and
    off, and 2N pages with calculators, plugin on and off (how the cost grows)."""
    return [
        Variant("plain-on", pages, calculators=False, enabled=True),
        Variant("plain-off", pages, calculators=False, enabled=False),
        Variant("calc-on", pages, calculators=True, enabled=True),
        Variant("calc-off", pages, calculators=True, enabled=False),
        Variant("calc-on-2x", 2 * pages, calculators=True, enabled=True),
        Variant("calc-off-2x", 2 * pages, calculators=True, enabled=False),
    ]


def timed_build(project: Path, out: Path) -> float:
    """Seconds of wall time for ``mkdocs build`` (a new process, as a contributor runs it)."""
    if out.exists():
        shutil.rmtree(out)
    started = time.perf_counter()
    sites.mkdocs_build(project, out)
    return time.perf_counter() - started


def run(tmp: Path, pages: int, rounds: int, log) -> dict[str, list[float]]:
    """Seconds per build, by variant key, ``rounds`` builds each."""
    chosen = variants(pages)
    projects = {}
    for v in chosen:
        log(f"generating {v.pages} pages ({v.key})")
        projects[v.key] = handbook.generate(
            tmp / "builds" / v.key, v.pages, calculators=v.calculators, enabled=v.enabled
        )
    out = tmp / "builds" / "site"
    times: dict[str, list[float]] = {v.key: [] for v in chosen}
    # One untimed build first: warms the OS file cache and the plugin's stdlib cache alike.
    timed_build(projects["calc-on"], out)
    for r in range(rounds):
        order = chosen if r % 2 == 0 else list(reversed(chosen))
        for v in order:
            seconds = timed_build(projects[v.key], out)
            times[v.key].append(seconds)
            log(f"build {r + 1}/{rounds} {v.key:12s} {v.pages:5d} pages {seconds:6.2f} s")
    shutil.rmtree(out, ignore_errors=True)
    return times
