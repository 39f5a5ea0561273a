"""Who may import whom: the test suites share tests/helpers.py, not one another, and not the benchmark.

A test module (tests/**/test_*.py) or a conftest.py imported elsewhere runs its tests or
fixtures twice and ties one suite to another; the benchmark is a tool, not a library of the
tests. What the benchmark and the tests both need is in harness/, which imports neither.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.helpers import REPO


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module name) of every import in the file, functions' own included."""
    return imports_in(path.read_text(encoding="utf-8"), list(path.relative_to(REPO).parent.parts))


def imports_in(source: str, package: list[str]) -> list[tuple[int, str]]:
    """The same for ``source``, a module of ``package`` (its folders from the repository's root).

    ``from a.b import c`` counts as ``a.b`` and as ``a.b.c`` (``c`` may be a module);
    relative imports are resolved against the package.
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def forbidden_for_tests(module: str) -> bool:
    parts = module.split(".")
    if parts[0] == "bench":
        return True
    return parts[0] == "tests" and any(part.startswith("test_") or part == "conftest" for part in parts[1:])


def python_files(folder: str) -> list[Path]:
    return sorted((REPO / folder).rglob("*.py"))


def name(path: Path) -> str:
    return str(path.relative_to(REPO))


@pytest.mark.parametrize("path", python_files("tests"), ids=name)
def test_tests_import_no_test_module_conftest_or_bench(path):
    bad = [f"{name(path)}:{line}: {module}" for line, module in imported_modules(path) if forbidden_for_tests(module)]
    assert bad == [], "import shared helpers from tests.helpers (or harness) instead"


@pytest.mark.parametrize("folder", ["harness", "bench"])
def test_harness_and_bench_import_no_tests(folder):
    owners = {"tests"} if folder == "bench" else {"tests", "bench"}
    bad = [
        f"{name(path)}:{line}: {module}"
        for path in python_files(folder)
        for line, module in imported_modules(path)
        if module.split(".")[0] in owners
    ]
    assert python_files(folder)
    assert bad == []


def test_the_check_sees_what_it_must_refuse():
    source = (
        "from tests.browser.conftest import Server\n"
        "from tests.site import test_errors\n"
        "from .test_fuzz import x\n"
        "import bench.link\n"
        "def f():\n    from bench.run import metric_names\n"
        "from tests.helpers import REPO\n"
        "from tests.parity.vectors import VECTORS\n"
        "from harness.link import Link\n"
    )
    flagged = {line for line, module in imports_in(source, ["tests", "unit"]) if forbidden_for_tests(module)}
    assert flagged == {1, 2, 3, 4, 6}
