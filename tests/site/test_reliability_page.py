"""The Reliability page's figures are the test suite's own."""

from __future__ import annotations

import re

import calculators
from tests.helpers import FAULTS, FUZZ_EXAMPLES, HOSTILE, REPO, bad_block_cases

PAGE = (REPO / "docs" / "reliability.md").read_text(encoding="utf-8")


def row(words: str) -> list[str]:
    line = next(line for line in PAGE.splitlines() if line.startswith("| " + words))
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_fuzz_figures():
    cells = row("Inputs fuzzed")
    count = len(calculators.names())
    assert cells[1] == f"{FUZZ_EXAMPLES:,} per calculator, {count} calculators: {FUZZ_EXAMPLES * count:,} per run"
    assert cells[2] == "0"


def test_fault_figures():
    assert row("Faults injected")[1] == str(len(FAULTS) + 1)  # + the runtime dying mid-session


def test_declaration_figures():
    assert row("Malformed declarations")[1] == str(len(bad_block_cases()))


def test_hostile_figures():
    assert row("Hostile strings")[1] == str(len(HOSTILE))


def test_every_row_reports_zero_failures():
    rows = [line for line in PAGE.splitlines() if re.match(r"\| (?!What|---)", line)]
    assert len(rows) == 4 and all(line.rstrip().endswith("| 0 |") for line in rows)
