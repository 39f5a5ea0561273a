"""A broken calculator never builds green: the build names the page's block, the exception
and where the calculator raised it; an unknown rule id names its file and line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import calculators
from tests.helpers import PYODIDE_DIR, run_mkdocs, write_site

PACKAGE = Path(calculators.__file__).parent
#: No memory snapshot: these builds must fail before it matters, and making one takes seconds.
CONFIG = f"""\
site_name: Broken calculators
theme:
  name: material
plugins:
  - sales-calculators:
      pyodide_dir: {PYODIDE_DIR}
      memory_snapshot: false
"""
PAGE = "# Trials\n\nSome text.\n\n```calculator trial-length\nannual_value: 45000\n```\n"


def project_with(tmp_path: Path, module: str, edit) -> tuple[Path, int]:
    """A small site with its own copy of the calculators package, one module edited.
    Returns the project and the 1-based line the edit changed."""
    package = tmp_path / "calculators"
    shutil.copytree(PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    path = package / module
    lines = path.read_text(encoding="utf-8").splitlines()
    at = edit(lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    write_site(tmp_path, {"trials.md": PAGE}, CONFIG)
    return tmp_path, at + 1


def test_a_calculator_that_raises_on_the_example_fails_the_build_naming_the_block(tmp_path):
    def raise_in_compute(lines: list[str]) -> int:
        at = next(i for i, line in enumerate(lines) if line.startswith("def compute("))
        at += next(i for i, line in enumerate(lines[at:]) if line.strip().endswith('"""')) + 1
        lines.insert(at, '    raise ZeroDivisionError("a bug in compute")')
        return at

    project, line = project_with(tmp_path, "trial_length.py", raise_in_compute)
    done = run_mkdocs(project, env={"PYTHONPATH": str(project)})
    assert done.returncode != 0
    assert "docs/trials.md:5: calculator 'trial-length' raised ZeroDivisionError: a bug in compute" in done.stderr
    assert f"at calculators/trial_length.py:{line}" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_reason_with_an_unknown_rule_id_fails_the_build_naming_its_line(tmp_path):
    def cite_l92(lines: list[str]) -> int:
        at = next(i for i, line in enumerate(lines) if re.search(r'reason\(\s*"L3"', line))
        lines[at] = lines[at].replace('"L3"', '"L92"')
        return at

    project, line = project_with(tmp_path, "trial_length.py", cite_l92)
    done = run_mkdocs(project, env={"PYTHONPATH": str(project)})
    assert done.returncode != 0
    assert f"calculators/trial_length.py:{line}: rule id 'L92' is not defined in calculators/rules.py" in done.stderr
    assert "Traceback" not in done.stderr
