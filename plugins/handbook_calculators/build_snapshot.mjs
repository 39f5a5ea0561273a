// Make a memory snapshot of Pyodide with the calculators package already imported, so
// the browser restores Python's memory instead of starting Python and importing its
// modules: Python's whole start-up is skipped, and so is compiling every wasm function
// it would run, which is most of a first visit's wait (docs/performance.md has the
// figures). Runs inside Pyodide under Node, with the same stdlib zip
// and package zip the site ships, so the memory matches what the browser loads.
//
// Usage: node build_snapshot.mjs [--report] OUT STDLIB.zip PACKAGE.zip   (env PYODIDE_DIR: the npm package)
// --report also prints what the snapshot holds, as JSON (bench/snapshot.py makes the table).
// The MkDocs plugin runs it when the package or the runtime changes and caches the
// result in node_modules/.cache/handbook-calculators/ (see assets.py, memory_snapshot).
// OUT is the memory without the pages the browser can make itself, the memory no
// restored code reads zeroed first, so that more pages can be left out (see
// deadRanges() and sparse(); `python -m bench.snapshot` shows what is in it).
// `_makeSnapshot`, `makeMemorySnapshot` and `_loadSnapshot` are Pyodide's own snapshot
// support (used by Cloudflare's Python Workers), marked private: the plugin pins the
// Pyodide version (package-lock.json), and tests/browser boot from it.
//
// What the snapshot holds: Python's heap (the imported modules, sys.path with the
// package directory first). Not the files: the worker still installs the stdlib zip
// (for modules imported later) and unpacks the package (after the first answers).

import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

// What the worker and this script agree on: where the package lives, the file's layout.
import { PACKAGE_DIR, SNAPSHOT_MAGIC } from "./assets/snapshot_format.js";
const PAGE = 4096;
// Run last before the snapshot: what a restored Python does not need goes, and it says
// where the standard streams' buffers are (see deadRanges()). It must import nothing:
// the finder of stdlib_first.py, already in place, would fail the build.
const TIDY = `
def tidy():
    import gc, json, sys

    del globals()["tidy"]  # gone once this call returns
    # The stdlib zip's directory and the package directory's listing: read
    # again at the first import after the answers, once the worker has put the real
    # zip in place (the stand-in it restores with would not do anyway). Not
    # importlib.invalidate_caches(): it imports importlib.metadata.
    for finder in sys.path_importer_cache.values():
        if hasattr(finder, "invalidate_caches"):
            finder.invalidate_caches()
    sys._clear_internal_caches()  # the type attribute cache: the first call fills it again
    gc.collect()  # import-time cycles; a full collection also empties the free lists
    for stream in sys.stdout, sys.stderr:
        stream.flush()  # so their buffers hold nothing still to write
    streams = []
    for name in "stdin", "stdout", "stderr":
        buffered = getattr(sys, name).buffer
        basic = type(buffered).__basicsize__
        streams.append({"name": name, "at": id(buffered), "basic": basic, "size": buffered.__sizeof__() - basic})
    return json.dumps(streams)


tidy()
`;

// Emscripten's malloc (dlmalloc) for wasm32: see walkHeap().
const PINUSE = 1; // the previous chunk is in use
const CINUSE = 2; // this chunk is in use
const MIN_CHUNK = 16;
const MIN_TREE_CHUNK = 256; // smaller free chunks sit in doubly linked lists, bigger in trees
const TOP_FOOT = 40; // 8-aligned chunk2mem(0) + the padded malloc_segment + MIN_CHUNK

// Every object reachable from the ones the gc tracks (code objects are not tracked: their
// parts are added by hand), by type: count and sys.getsizeof() bytes, biggest first.
const CENSUS = `
def census():
    import gc, json, sys, types

    del globals()["census"]
    seen = {}
    todo = gc.get_objects()
    mine = {id(seen), id(todo)}
    while todo:
        obj = todo.pop()
        if id(obj) in seen or id(obj) in mine:
            continue
        seen[id(obj)] = obj
        todo.extend(gc.get_referents(obj))
        if isinstance(obj, types.CodeType):
            todo.extend((obj.co_consts, obj.co_names, obj.co_linetable, obj.co_exceptiontable, obj.co_qualname))
    by_type = {}
    docs = {}
    for obj in seen.values():
        count, size = by_type.get(type(obj).__name__, (0, 0))
        by_type[type(obj).__name__] = (count + 1, size + sys.getsizeof(obj))
        if isinstance(obj, (type, types.FunctionType, types.ModuleType)):
            doc = getattr(obj, "__doc__", None)
            if isinstance(doc, str):
                docs[id(doc)] = sys.getsizeof(doc)
    types_ = sorted(([name, *numbers] for name, numbers in by_type.items()), key=lambda row: -row[2])
    return json.dumps(
        {"modules": len(sys.modules), "objects": len(seen), "bytes": sum(row[2] for row in types_),
         "types": types_, "docstrings": [len(docs), sum(docs.values())]}
    )


census()
`;

const args = process.argv.slice(2);
const report = args[0] === "--report";
if (report) args.shift();
const [out, stdlib, packageZip] = args;
if (!out || !stdlib || !packageZip || !process.env.PYODIDE_DIR) {
  console.error("usage: PYODIDE_DIR=... node build_snapshot.mjs [--report] OUT STDLIB.zip PACKAGE.zip");
  process.exit(2);
}
const pyodideDir = resolve(process.env.PYODIDE_DIR);
let stdinRead = false;
const { loadPyodide } = await import(pathToFileURL(join(pyodideDir, "pyodide.mjs")).href);
const instantiated = await memoryAsInstantiated(() =>
  loadPyodide({
    _makeSnapshot: true,
    stdLibURL: resolve(stdlib),
    // As the worker has it (no terminal, nothing to read), so the standard streams
    // Python makes at start-up are the same. Nothing here reads stdin: if something
    // did, its buffer would hold data and is kept (see deadRanges()).
    stdin: () => {
      stdinRead = true;
      return null;
    },
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
const streams = JSON.parse(pyodide.runPython(TIDY));
const layout = memoryLayout(pyodide._module);
const snapshot = pyodide.makeMemorySnapshot();
const memory = snapshot.subarray(headerLength(snapshot));
const dead = deadRanges(memory, layout, stdinRead ? streams.filter((s) => s.name !== "stdin") : streams);
const erased = {}; // by kind, the bytes that were not zero already (for the report)
for (const { kind, from, to } of dead.ranges) {
  erased[kind] = (erased[kind] ?? 0) + countNonZero(memory.subarray(from, to));
  memory.fill(0, from, to);
}
writeFileSync(out, sparse(snapshot, instantiated.memory));
if (report) console.log(JSON.stringify(contents(pyodide, snapshot, layout, dead, erased)));

// The wasm memory right after instantiation: the wasm's data segments (Python's static
// objects and tables), before any code ran. Pyodide has no hook there, so the one
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

// Where things are in the wasm memory: static data below the C stack, then the heap that
// malloc grows with sbrk. Read just before the snapshot, with no wasm code running; null
// if this Pyodide does not export them (then nothing is zeroed).
function memoryLayout(module) {
  const layout = {
    stackLow: module.___stack_low,
    stackHigh: module.___stack_high,
    stackPointer: module._emscripten_stack_get_current?.(),
    heapBase: module.___heap_base,
    sbrkPointer: module._emscripten_get_sbrk_ptr?.(),
  };
  return Object.values(layout).every(Number.isInteger) ? layout : null;
}

// The bytes of the snapshot's memory that no restored code reads before writing them,
// zeroed in the snapshot (never in the running Python) so that sparse() leaves their pages
// out and the rest compresses better: the C stack below the stack pointer (no wasm code
// runs while the snapshot is taken), malloc's free memory and the standard streams'
// buffers, which hold nothing (stdin was never read, the others were just flushed) but
// whatever the memory held before (stdin's: bytes of the stdlib zip, which do not
// compress). Returns the ranges, and the heap's free chunks for the report. Anything
// unexpected leaves that part as it is, with a note on stderr: a bigger snapshot, never
// a broken one.
function deadRanges(memory, layout, streams) {
  const ranges = [];
  if (!layout) {
    console.error("memory snapshot: nothing zeroed (this Pyodide does not export its memory layout)");
    return { ranges, heapEnd: null, free: null };
  }
  const { stackLow, stackPointer, stackHigh, heapBase, sbrkPointer } = layout;
  if (stackLow <= stackPointer && stackPointer <= stackHigh && stackHigh <= memory.length)
    ranges.push({ kind: "stack", from: stackLow, to: stackPointer });
  else console.error("memory snapshot: the C stack is left as is (its pointer is out of bounds)");
  let heapEnd = null;
  let heap;
  try {
    heapEnd = new DataView(memory.buffer, memory.byteOffset).getUint32(sbrkPointer, true);
    heap = walkHeap(memory, heapBase, heapEnd);
  } catch (err) {
    console.error(`memory snapshot: the heap is left as is (${err.message})`);
    return { ranges, heapEnd, free: null };
  }
  ranges.push(...heap.free.map(({ from, to, kind, keep }) => ({ kind, from: from + keep, to })));
  for (const stream of streams) {
    const buffer = streamBuffer(memory, stream, heap.inUse);
    if (buffer === null) console.error(`memory snapshot: ${stream.name}'s buffer is left as is (not found)`);
    else ranges.push({ kind: "streams", from: buffer, to: buffer + stream.size });
  }
  return { ranges, heapEnd, free: heap.free.map(({ from, to }) => [from, to]) };
}

// Emscripten's malloc is dlmalloc; for wasm32 a chunk is its previous chunk's size (used
// only while that one is free), then its own size with two flags, then the user's bytes;
// 8-byte alignment, no footers. A free chunk keeps list pointers after its size, 2 words
// in a small one, 6 in a big one (a tree node); the last chunk before sbrk's end is the
// "top", followed by TOP_FOOT bytes. Walked from the heap's base, every chunk is checked
// against its neighbours, and the walk must end exactly at the top: otherwise (a layout
// this script does not know, memory taken from sbrk by someone else) it throws.
function walkHeap(memory, base, end) {
  const view = new DataView(memory.buffer, memory.byteOffset);
  const word = (at) => view.getUint32(at, true);
  if (base % 8 || !(base < end && end <= memory.length)) throw new Error(`heap ${base}..${end} out of bounds`);
  const free = [];
  const inUse = new Map(); // the user's address -> usable bytes
  let previousInUse = true;
  for (let chunk = base; ; ) {
    const head = word(chunk + 4);
    const size = head & ~7;
    if (Boolean(head & PINUSE) !== previousInUse) throw new Error(`chunk at ${chunk}: flags disagree with the last one`);
    if (chunk + size + TOP_FOOT === end && !(head & CINUSE)) {
      if (word(chunk + size + 4) !== TOP_FOOT) throw new Error(`top chunk at ${chunk}: no end marker`);
      free.push({ kind: "top", from: chunk, to: chunk + size, keep: 8 });
      return { free, inUse };
    }
    if (size < MIN_CHUNK || size % 8 || chunk + size + TOP_FOOT > end) throw new Error(`chunk at ${chunk}: size ${size}`);
    if (head & CINUSE) inUse.set(chunk + 8, size - 4); // its next chunk's first word is the user's too
    else if (!previousInUse || word(chunk + size) !== size) throw new Error(`free chunk at ${chunk}: malformed`);
    else free.push({ kind: "free", from: chunk, to: chunk + size, keep: size < MIN_TREE_CHUNK ? 16 : 32 });
    previousInUse = Boolean(head & CINUSE);
    chunk += size;
  }
}

// A stream's buffer, found among the words of its BufferedReader/Writer object: the one
// pointer to an allocated chunk as big as the buffer (the object's other pointers are to
// small objects). null unless exactly one word qualifies.
function streamBuffer(memory, { at, basic, size }, inUse) {
  const view = new DataView(memory.buffer, memory.byteOffset);
  const found = [];
  for (let offset = 0; offset + 4 <= basic; offset += 4) {
    const pointer = view.getUint32(at + offset, true);
    if ((inUse.get(pointer) ?? 0) >= size) found.push(pointer);
  }
  return found.length === 1 ? found[0] : null;
}

// Pyodide's snapshot is its own header, then Python's memory. Of the memory's PAGE-sized
// pages, many are zero (more after deadRanges()) and some still hold just what
// instantiating the wasm put there: both are left out; the worker gets the second kind
// from its own freshly instantiated memory. The file itself is not compressed here: the
// plugin makes its zstd sibling (assets.py), which the worker expands as it streams in,
// and a host that compresses it on the wire is fine too (the browser expands that before
// worker.js sees it).
// Layout: little-endian uint32s SNAPSHOT_MAGIC, snapshot length, header length (where the memory
// starts), page size, K pages kept, W pages as instantiated, the K page indices, the W
// page indices (pages of the memory, from 0); then Pyodide's header; then the kept
// pages' bytes in order (the last page of memory may be short). worker.js,
// streamSnapshot(), reads it back.
function sparse(snapshot, instantiated) {
  const start = headerLength(snapshot);
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
  const header = Uint32Array.of(SNAPSHOT_MAGIC, snapshot.length, start, PAGE, kept.length, asInstantiated.length, ...kept, ...asInstantiated);
  const pages = kept.map((index) => memory.subarray(index * PAGE, (index + 1) * PAGE));
  return Buffer.concat([new Uint8Array(header.buffer), snapshot.subarray(0, start), ...pages]);
}

function isZero(bytes) {
  const copy = bytes.slice(); // aligned, for the 8-byte view
  const words = new BigUint64Array(copy.buffer, 0, copy.length >> 3);
  return words.every((word) => word === 0n) && copy.subarray(words.length << 3).every((byte) => byte === 0);
}

function headerLength(snapshot) {
  return new DataView(snapshot.buffer, snapshot.byteOffset).getUint32(4, true); // where the memory starts
}

// For --report (bench/snapshot.py): the memory's regions, what was zeroed, and the biggest
// holders among Python's objects (counted after the snapshot was taken: the count's own
// objects are not in it).
function contents(pyodide, snapshot, layout, dead, zeroed) {
  return {
    page: PAGE,
    header: headerLength(snapshot),
    memory: snapshot.length - headerLength(snapshot),
    layout: layout && { ...layout, heapEnd: dead.heapEnd },
    zeroed,
    heapFree: dead.free,
    python: JSON.parse(pyodide.runPython(CENSUS)),
  };
}

function countNonZero(bytes) {
  let count = 0;
  for (const byte of bytes) if (byte !== 0) count++;
  return count;
}
