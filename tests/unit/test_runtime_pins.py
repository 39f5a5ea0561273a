"""The browser runtime's pins: the npm packages are pinned exactly, and nothing else types a version."""

from __future__ import annotations

import json
import re

from handbook_calculators import assets

from tests.helpers import PYODIDE_DIR, REPO


def test_package_json_pins_the_runtime_exactly_and_the_lock_file_agrees():
    package = json.loads((REPO / "package.json").read_text())
    lock = json.loads((REPO / "package-lock.json").read_text())
    for name in ("pyodide", "fzstd"):
        pinned = package["dependencies"][name]
        assert re.fullmatch(r"[0-9]+(\.[0-9]+)*", pinned), f"{name} must be pinned exactly, not {pinned!r}"
        assert lock["packages"][f"node_modules/{name}"]["version"] == pinned
    assert json.loads((PYODIDE_DIR / "package.json").read_text())["version"] == package["dependencies"]["pyodide"]


def test_the_abi_comes_from_the_installed_lock_file():
    # The worker hands loadPyodide() the ABI instead of its lock file (which the site does not
    # ship); the plugin reads it from the installed package, so an upgrade needs no other edit.
    lock = json.loads((PYODIDE_DIR / "pyodide-lock.json").read_text())
    assert assets.pyodide_abi(PYODIDE_DIR) == lock["info"]["abi_version"]


def test_no_script_types_the_runtime_version():
    version = json.loads((REPO / "package.json").read_text())["dependencies"]["pyodide"]
    scripts = [
        *(assets.ASSETS).glob("*.js"),
        *(assets.ASSETS.parent).glob("*.mjs"),
        *(assets.ASSETS.parent).glob("*.py"),
    ]
    assert [path.name for path in scripts if version in path.read_text(encoding="utf-8")] == []
