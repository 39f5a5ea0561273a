// Make a memory snapshot of Pyodide with the calculators package already imported, so
// the browser restores Python's memory instead of starting Python and importing
// ~150 modules: the first answer comes several hundred ms sooner on a first visit
// (every wasm function the start-up would run is also never compiled) and ~100 ms
// sooner on a repeat visit. Runs inside Pyodide under Node, with the same stdlib zip
// and package zip the site ships, so the memory matches what the browser loads.
//
// Usage: node build_snapshot.mjs OUT STDLIB.zip PACKAGE.zip   (env PYODIDE_DIR: the npm package)
// The MkDocs plugin runs it when the package or the runtime changes and caches the
// result in node_modules/.cache/handbook-calculators/ (see assets.py, memory_snapshot).
// OUT is the memory without its zero pages (30 MB becomes ~12 MB; see sparse()). `_makeSnapshot`, `makeMemorySnapshot` and `_loadSnapshot` are Pyodide's
// own snapshot support (used by Cloudflare's Python Workers), marked private: the
// plugin pins the Pyodide version (package-lock.json), and tests/browser boot from it.
//
// What the snapshot holds: Python's heap (the imported modules, sys.path with the
// package directory first). Not the files: the worker still installs the stdlib zip
// and unpacks the package, for modules imported later.

import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

// Where worker.js unpacks the package; must match PACKAGE_DIR there.
const PACKAGE_DIR = "/home/pyodide/handbook";
// The sparse layout (see sparse() below); must match SNAPSHOT_MAGIC in worker.js.
const MAGIC = 0x50414e53; // "SNAP"
const PAGE = 4096;

const [out, stdlib, packageZip] = process.argv.slice(2);
if (!out || !stdlib || !packageZip || !process.env.PYODIDE_DIR) {
  console.error("usage: PYODIDE_DIR=... node build_snapshot.mjs OUT STDLIB.zip PACKAGE.zip");
  process.exit(2);
}
const pyodideDir = resolve(process.env.PYODIDE_DIR);
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  _makeSnapshot: true,
  stdLibURL: resolve(stdlib),
  stdout: () => {},
  stderr: (line) => console.error(line),
});
pyodide.unpackArchive(new Uint8Array(readFileSync(packageZip)), "zip", { extractDir: PACKAGE_DIR });
pyodide.runPython(`import sys; sys.path.insert(0, ${JSON.stringify(PACKAGE_DIR)})`);
// Import what a page calls, and call it once so lazily built state (regex caches,
// first-use imports) is in the snapshot too. The answer itself is not kept.
const call = pyodide.pyimport("calculators.browser").call;
const names = JSON.parse(pyodide.runPython("import calculators, json; json.dumps(calculators.names())"));
for (const calculator of names) call(JSON.stringify({ calculator, inputs: {} }));
call.destroy(); // a snapshot cannot hold references to JavaScript objects
writeFileSync(out, sparse(pyodide.makeMemorySnapshot()));

// Python's 30 MB of memory is 60% zero pages: leaving them out makes 12 MB. Not gzipped
// here: inflating 12 MB with DecompressionStream took the worker ~100-200 ms, on the
// critical path of the first answer (a host that compresses it on the wire is fine:
// the browser inflates that before worker.js sees it). Layout, all little-endian uint32: MAGIC, memory length, page size, number of
// pages kept, the index of each kept page; then the kept pages' bytes in that order
// (the last page may be short). worker.js, unsparse(), reads it back.
function sparse(memory) {
  const kept = [];
  for (let index = 0; index * PAGE < memory.length; index++) {
    if (memory.subarray(index * PAGE, (index + 1) * PAGE).some((byte) => byte !== 0)) kept.push(index);
  }
  const header = Uint32Array.of(MAGIC, memory.length, PAGE, kept.length, ...kept);
  const pages = kept.map((index) => memory.subarray(index * PAGE, (index + 1) * PAGE));
  return Buffer.concat([new Uint8Array(header.buffer), ...pages]);
}
