"""Every module of the package is imported up front, so a memory snapshot holds all of it.

The browser restores Python from a snapshot taken after ``import calculators.browser``
and unpacks the package's files only after the first answers (worker.js). An import
inside a function would read those files later, possibly before they are there.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import calculators

PACKAGE = Path(calculators.__file__).parent
#: Not part of what the browser runs: the shell-only modules (not even shipped), and the
#: text the build puts in pages.
NOT_IN_BROWSER = {f"calculators.{name}" for name in calculators.SHELL_ONLY} | {"calculators.references"}


def modules() -> set[str]:
    return {f"calculators.{p.stem}" if p.stem != "__init__" else "calculators" for p in PACKAGE.glob("*.py")}


def test_no_import_inside_functions_or_classes():
    late = []
    for path in sorted(PACKAGE.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                late += [
                    f"{path.name}:{inner.lineno}"
                    for inner in ast.walk(node)
                    if isinstance(inner, (ast.Import, ast.ImportFrom))
                ]
    assert late == [], f"imports that run only when called (move them to the top): {late}"


def test_the_browser_module_imports_the_whole_package():
    # A fresh interpreter: this test process has imported more than the browser does.
    code = "import sys, calculators.browser; print(' '.join(m for m in sys.modules if m.startswith('calculators')))"
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    loaded = set(done.stdout.split())
    assert modules() - NOT_IN_BROWSER - loaded == set()


def test_shell_only_modules_are_not_shipped_to_the_browser():
    import zipfile
    from io import BytesIO

    from handbook_calculators import assets

    shipped = set(zipfile.ZipFile(BytesIO(assets.package_zip(PACKAGE))).namelist())
    assert {f"calculators/{name}.py" for name in calculators.SHELL_ONLY} & shipped == set()
    assert "calculators/browser.py" in shipped and "calculators/rules.py" in shipped
