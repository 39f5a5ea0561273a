"""Rule ids: one registry (rules.SOURCES); a reason citing anything else cannot build or run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from handbook_calculators.citations import unknown_rule_ids

import calculators
from calculators import rules
from calculators.reasons import UnknownRule, reason

PACKAGE = Path(calculators.__file__).parent


def test_every_rule_id_the_package_spells_is_registered():
    assert unknown_rule_ids(PACKAGE, rules.SOURCES) == []


def test_an_unknown_id_is_found_with_its_file_and_line(tmp_path):
    package = tmp_path / "calculators"
    shutil.copytree(PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    module = package / "trial_length.py"
    lines = module.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if "reason(" in line and "import" not in line)
    lines[at] = lines[at].replace("reason(", 'reason("L92", "typo") or reason(', 1)
    module.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert unknown_rule_ids(package, rules.SOURCES) == [("calculators/trial_length.py", at + 1, "L92")]


def test_reason_refuses_an_unknown_id():
    assert reason("L2", "x")["source"] == rules.SOURCES["L2"]
    with pytest.raises(UnknownRule, match="L92"):
        reason("L92", "x")
