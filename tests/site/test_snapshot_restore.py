"""The memory snapshot the site ships, restored in real Pyodide under Node as the worker restores it.

build_snapshot.mjs leaves pages out of the snapshot and zeroes memory it judges dead (free
heap, the C stack, empty stream buffers); a mistake there shows only once Python runs in
the restored memory. So the snapshot is rebuilt here exactly as worker.js does it (the
header, the kept pages, the as-instantiated pages copied from the freshly instantiated
wasm memory), restored, and then must answer the parity vectors as CPython does, without
importing anything, and still work after: a stdlib import and heavy allocation.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
from pathlib import Path

import calculators
from plugins.handbook_calculators import assets
from tests.helpers import PYODIDE_DIR
from tests.parity.vectors import VECTORS

SCRIPT = """
import { readFileSync } from "node:fs";
const { loadPyodide } = await import(%(pyodide)s);
const [snapshotPath, stdlibPath, packagePath, vectorsPath] = process.argv.slice(2);

// worker.js, streamSnapshot(): the sparse file back into Pyodide's snapshot.
const sparse = readFileSync(snapshotPath);
const word = (i) => sparse.readUInt32LE(4 * i);
if (word(0) !== 0x32504e53) throw new Error("not a memory snapshot");
const [length, start, page, keptCount, instantiatedCount] = [1, 2, 3, 4, 5].map(word);
const pages = Array.from({ length: keptCount + instantiatedCount }, (_, i) => word(6 + i));
const [kept, asInstantiated] = [pages.slice(0, keptCount), pages.slice(keptCount)];
const snapshot = new Uint8Array(length);
let at = 24 + 4 * pages.length;
snapshot.set(sparse.subarray(at, at + start));
at += start;
for (const index of kept) {
  const size = Math.min(page, length - start - index * page);
  snapshot.set(sparse.subarray(at, at + size), start + index * page);
  at += size;
}
if (at !== sparse.length) throw new Error("memory snapshot is cut short or too long");

// The as-instantiated pages, from the wasm memory as instantiation leaves it (worker.js's
// fill()), before Pyodide restores the snapshot.
const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = async (source, imports) => {
  const result = await instantiate(source, imports);
  const memory = (result.instance ?? result).exports.memory;
  if (memory instanceof WebAssembly.Memory) {
    WebAssembly.instantiate = instantiate;
    const fresh = new Uint8Array(memory.buffer);
    for (const index of asInstantiated) {
      snapshot.set(fresh.subarray(index * page, (index + 1) * page), start + index * page);
    }
  }
  return result;
};

let installs = 0; // the finder of stdlib_first.py asks for the stdlib before a new import
globalThis.handbookCalculatorsStdlib = () => installs++;
const pyodide = await loadPyodide({
  _loadSnapshot: snapshot,
  stdLibURL: stdlibPath,
  stdin: () => null,
  stdout: () => {},
  stderr: (line) => console.error(line),
});
const modules = () => pyodide.runPython("import sys; len(sys.modules)");
const before = modules();
const call = pyodide.pyimport("calculators.browser").call;
const vectors = JSON.parse(readFileSync(vectorsPath, "utf8"));
const outputs = vectors.map((vector) => JSON.parse(call(JSON.stringify(vector))).output);
const imported = modules() - before;
const installsAtFirst = installs;
// What the worker does after the first answers; then the heap and the importer must still hold up.
pyodide.unpackArchive(new Uint8Array(readFileSync(packagePath)), "zip", { extractDir: "/home/pyodide/handbook" });
const later = pyodide.runPython(`
import gc, importlib.util, wave
junk = [str(i) * (i %% 97) for i in range(200_000)]
del junk
gc.collect()
wave.__name__ + " " + importlib.util.find_spec("calculators.rules").origin
`);
const again = JSON.stringify(vectors.map((vector) => JSON.parse(call(JSON.stringify(vector))).output));
const same = again === JSON.stringify(outputs);
console.log(JSON.stringify({ outputs, imported, installsAtFirst, installs, later, again: same }));
"""


def test_the_restored_snapshot_answers_as_cpython_does(tmp_path):
    node = shutil.which("node")
    assert node, "Node.js is needed to build the site"
    # The same snapshot a site build ships (the plugin's cache key: the stdlib's sha256, the package zip).
    stdlib = assets.precompiled_stdlib(PYODIDE_DIR)
    package = assets.package_zip(Path(calculators.__file__).parent)
    digest = hashlib.sha256(stdlib.read_bytes()).hexdigest()
    snapshot = assets.memory_snapshot(PYODIDE_DIR, stdlib, digest, package)
    archive, vectors, script = tmp_path / "calculators.zip", tmp_path / "vectors.json", tmp_path / "restore.mjs"
    archive.write_bytes(package)
    vectors.write_text(json.dumps(VECTORS))
    script.write_text(SCRIPT % {"pyodide": json.dumps((PYODIDE_DIR / "pyodide.mjs").as_uri())})
    done = subprocess.run(
        [node, str(script), str(snapshot), str(stdlib), str(archive), str(vectors)],
        capture_output=True,
        text=True,
        timeout=120,  # ~3 s; a damaged heap can make Python loop rather than fail
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]  # Pyodide's minified source can precede the error
    result = json.loads(done.stdout.strip().splitlines()[-1])
    expected = [calculators.run(v["calculator"], v["inputs"]) for v in VECTORS]
    for vector, cpython, restored in zip(VECTORS, expected, result["outputs"], strict=True):
        assert restored == json.loads(json.dumps(cpython)), vector
    # The answers needed no import (so no stdlib either), and the same calls gave the same answers later.
    assert (result["imported"], result["installsAtFirst"]) == (0, 0)
    assert result["installs"] == 1  # "wave", the first new import, asked for the stdlib once
    assert result["later"] == "wave /home/pyodide/handbook/calculators/rules.py"
    assert result["again"] is True


def test_the_snapshot_leaves_dead_memory_out(tmp_path):
    """The zeroing has not quietly stopped (build_snapshot.mjs skips what it does not recognise)."""
    stdlib = assets.precompiled_stdlib(PYODIDE_DIR)
    archive = tmp_path / "calculators.zip"
    archive.write_bytes(assets.package_zip(Path(calculators.__file__).parent))
    done = subprocess.run(
        ["node", str(assets.BUILD_SNAPSHOT), "--report", str(tmp_path / "out.bin"), str(stdlib), str(archive)],
        env={**os.environ, "PYODIDE_DIR": str(PYODIDE_DIR)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "memory snapshot:" not in done.stderr  # its notes when it leaves something as is
    report = json.loads(done.stdout)
    assert report["heapFree"], "the heap walk gave up"
    assert {"stack", "free", "top", "streams"} <= report["zeroed"].keys()
