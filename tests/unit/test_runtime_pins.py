"""The browser runtime's pins agree with the npm package it ships."""

from __future__ import annotations

import json
import re

from tests.conftest import REPO

PYODIDE = REPO / "node_modules" / "pyodide"
WORKER = REPO / "plugins" / "handbook_calculators" / "assets" / "worker.js"


def test_worker_abi_table_matches_the_pinned_pyodide():
    # worker.js skips the lock-file request by passing the ABI itself; a Pyodide upgrade that
    # forgets the table would make loadPyodide fetch a lock file the site does not ship.
    version = json.loads((PYODIDE / "package.json").read_text())["version"]
    abi = json.loads((PYODIDE / "pyodide-lock.json").read_text())["info"]["abi_version"]
    table = dict(
        re.findall(
            r'"([0-9.]+)":\s*"([0-9_]+)"', re.search(r"const ABI = \{(.*?)\};", WORKER.read_text(), re.DOTALL).group(1)
        )
    )
    assert table.get(version) == abi


def test_package_json_pins_pyodide_exactly():
    package = json.loads((REPO / "package.json").read_text())
    assert package["dependencies"]["pyodide"] == "314.0.7"
    lock = json.loads((REPO / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/pyodide"]["version"] == "314.0.7"
