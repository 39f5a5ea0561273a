"""Parity: the same vectors give identical JSON in CPython and in real Pyodide (Node + the npm package)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from handbook_calculators.assets import package_zip

import calculators
from tests.helpers import REPO
from tests.parity.vectors import VECTORS


def test_cpython_and_pyodide_agree(tmp_path):
    archive = tmp_path / "calculators.zip"
    archive.write_bytes(package_zip(Path(calculators.__file__).parent))
    vectors = tmp_path / "vectors.json"
    vectors.write_text(json.dumps(VECTORS))
    done = subprocess.run(
        ["node", str(REPO / "tests" / "parity" / "run_in_pyodide.mjs"), str(archive), str(vectors)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]  # Pyodide's minified source can precede the error
    reply = json.loads(done.stdout)
    assert reply["python"].startswith("3.14"), reply["python"]
    expected = [calculators.run(v["calculator"], v["inputs"]) for v in VECTORS]
    for vector, cpython, pyodide in zip(VECTORS, expected, reply["outputs"], strict=True):
        assert pyodide == json.loads(json.dumps(cpython)), vector
    assert any(output["ok"] for output in expected) and any(not output["ok"] for output in expected)
