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
// OUT is the memory without the pages the browser can make itself (30 MB becomes ~9 MB;
// see sparse()). `_makeSnapshot`, `makeMemorySnapshot` and `_loadSnapshot` are Pyodide's
// own snapshot support (used by Cloudflare's Python Workers), marked private: the
// plugin pins the Pyodide version (package-lock.json), and tests/browser boot from it.
//
// What the snapshot holds: Python's heap (the imported modules, sys.path with the
// package directory first). Not the files: the worker still installs the stdlib zip
// (for modules imported later) and unpacks the package (after the first answers).

import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

// Where worker.js unpacks the package; must match PACKAGE_DIR there.
const PACKAGE_DIR = "/home/pyodide/handbook";
// The sparse layout (see sparse() below); must match SNAPSHOT_MAGIC in worker.js.
const MAGIC = 0x32504e53; // "SNP2"
const PAGE = 4096;

const [out, stdlib, packageZip] = process.argv.slice(2);
if (!out || !stdlib || !packageZip || !process.env.PYODIDE_DIR) {
  console.error("usage: PYODIDE_DIR=... node build_snapshot.mjs OUT STDLIB.zip PACKAGE.zip");
  process.exit(2);
}
const pyodideDir = resolve(process.env.PYODIDE_DIR);
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
const instantiated = await memoryAsInstantiated(() =>
  loadPyodide({
    _makeSnapshot: true,
    stdLibURL: resolve(stdlib),
    stdout: () => {},
    stderr: (line) => console.error(line),
  }),
);
const pyodide = instantiated.result;
pyodide.unpackArchive(new Uint8Array(readFileSync(packageZip)), "zip", { extractDir: PACKAGE_DIR });
pyodide.runPython(`import sys; sys.path.insert(0, ${JSON.stringify(PACKAGE_DIR)})`);
// Import what a page calls, and call it once so lazily built state (regex caches,
// first-use imports) is in the snapshot too. The answer itself is not kept.
const call = pyodide.pyimport("calculators.browser").call;
const names = JSON.parse(pyodide.runPython("import calculators, json; json.dumps(calculators.names())"));
for (const calculator of names) call(JSON.stringify({ calculator, inputs: {} }));
call.destroy(); // a snapshot cannot hold references to JavaScript objects
// A finder, first on sys.meta_path, for the stdlib the worker installs only after the
// first answers: see stdlib_first.py.
pyodide.runPython(readFileSync(new URL("stdlib_first.py", import.meta.url), "utf8"));
writeFileSync(out, sparse(pyodide.makeMemorySnapshot(), instantiated.memory));

// The wasm memory right after instantiation: the wasm's data segments (Python's static
// objects and tables, ~3 MB), before any code ran. Pyodide has no hook there, so the one
// WebAssembly.instantiate() whose instance exports a memory is watched; worker.js does
// the same.
async function memoryAsInstantiated(start) {
  const instantiate = WebAssembly.instantiate;
  let memory = null;
  WebAssembly.instantiate = async (source, imports) => {
    const result = await instantiate(source, imports);
    const exported = (result.instance ?? result).exports.memory;
    if (!memory && exported instanceof WebAssembly.Memory) memory = new Uint8Array(exported.buffer).slice();
    return result;
  };
  try {
    const result = await start();
    if (!memory) throw new Error("no wasm memory seen at instantiation: check this script against the Pyodide version");
    return { result, memory };
  } finally {
    WebAssembly.instantiate = instantiate;
  }
}

// Pyodide's snapshot is its own header, then Python's 30 MB of memory. Of the memory's
// 4 kB pages, 60% are zero and ~10% still hold just what instantiating the wasm put
// there: both are left out (30 MB becomes ~9 MB); the worker gets the second kind from
// its own freshly instantiated memory. Not gzipped here: inflating the snapshot with
// DecompressionStream took the worker ~100-200 ms, on the critical path of the first
// answer (a host that compresses it on the wire is fine: the browser inflates that
// before worker.js sees it).
// Layout: little-endian uint32s MAGIC, snapshot length, header length (where the memory
// starts), page size, K pages kept, W pages as instantiated, the K page indices, the W
// page indices (pages of the memory, from 0); then Pyodide's header; then the kept
// pages' bytes in order (the last page of memory may be short). worker.js,
// streamSnapshot(), reads it back.
function sparse(snapshot, instantiated) {
  const start = new DataView(snapshot.buffer, snapshot.byteOffset).getUint32(4, true); // Pyodide's header length
  const memory = snapshot.subarray(start);
  const kept = [];
  const asInstantiated = [];
  for (let index = 0; index * PAGE < memory.length; index++) {
    const page = memory.subarray(index * PAGE, (index + 1) * PAGE);
    if (isZero(page)) continue;
    const original = instantiated.subarray(index * PAGE, index * PAGE + page.length);
    if (original.length === page.length && Buffer.compare(page, original) === 0) asInstantiated.push(index);
    else kept.push(index);
  }
  const header = Uint32Array.of(MAGIC, snapshot.length, start, PAGE, kept.length, asInstantiated.length, ...kept, ...asInstantiated);
  const pages = kept.map((index) => memory.subarray(index * PAGE, (index + 1) * PAGE));
  return Buffer.concat([new Uint8Array(header.buffer), snapshot.subarray(0, start), ...pages]);
}

function isZero(bytes) {
  const copy = bytes.slice(); // aligned, for the 8-byte view
  const words = new BigUint64Array(copy.buffer, 0, copy.length >> 3);
  return words.every((word) => word === 0n) && copy.subarray(words.length << 3).every((byte) => byte === 0);
}
