"""The finder the memory snapshot carries (stdlib_first.py), run in real Pyodide under Node.

The browser restores Python with an empty stand-in for the stdlib zip and installs the
real one after the first answers (worker.js); any import before that must have the worker
install it first. Here the "install" is a counter, checked around a first import.
"""

from __future__ import annotations

import json
import shutil
import subprocess

from plugins.handbook_calculators import assets
from tests.helpers import REPO

SCRIPT = """
import { loadPyodide } from "%(pyodide)s/pyodide.mjs";
import { readFileSync } from "node:fs";
const pyodide = await loadPyodide({ stdout: () => {}, stderr: (line) => console.error(line) });
let installs = 0;
globalThis.handbookCalculatorsStdlib = () => installs++;
pyodide.runPython(readFileSync(%(finder)s, "utf8"));
const loadedBefore = pyodide.runPython("import sys; 'wave' in sys.modules");
const imported = pyodide.runPython("import wave, json; json.__name__ + ' ' + wave.__name__");
const stillThere = pyodide.runPython("import sys; any(type(f).__name__ == 'StdlibFirst' for f in sys.meta_path)");
console.log(JSON.stringify({ loadedBefore, imported, installs, stillThere }));
"""


def test_the_first_new_import_installs_the_stdlib_once(tmp_path):
    node = shutil.which("node")
    assert node, "Node.js is needed to build the site"
    script = tmp_path / "check.mjs"
    pyodide = REPO / "node_modules" / "pyodide"
    script.write_text(SCRIPT % {"pyodide": pyodide.as_posix(), "finder": json.dumps(str(assets.STDLIB_FIRST))})
    done = subprocess.run([node, str(script)], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # "wave" was not loaded: importing it (and the loaded json) asked for the stdlib exactly once,
    # and the finder then left sys.meta_path to the usual finders.
    assert result == {"loadedBefore": False, "imported": "json wave", "installs": 1, "stillThere": False}
