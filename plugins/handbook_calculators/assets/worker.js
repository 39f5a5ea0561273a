// Module worker for the handbook calculators: boots Pyodide once per window and
// answers run requests from calculators.js. See README-runtime.md for the protocol.
//
//   in:  {type: "init", indexURL, packageURL, snapshotURL}   absolute URLs (snapshotURL may be null), sent once
//        {type: "wasm", module}                     pyodide.asm.wasm compiled by the page (or null)
//        {type: "run", id, request}                 request: JSON string for calculators.browser.call
//   out: {type: "ready", ms, snapshot}              Python is up and the package imports (snapshot: restored from one)
//        {type: "failed", error}                    the runtime cannot start (main thread shows the reader a message)
//        {type: "result", id, response}             response: the JSON string call() returned
//        {type: "result", id, error}                call() itself blew up (it is documented never to)

// The package is unpacked here, outside site-packages, and put first on sys.path.
const PACKAGE_DIR = "/home/pyodide/handbook";

// We load no Pyodide packages, so the 120 kB pyodide-lock.json is only read for its
// ABI check. Handing loadPyodide an empty lock file skips that request; it must carry
// the ABI of the runtime, so it is keyed by version. For a version not listed here,
// loadPyodide fetches pyodide-lock.json as usual, which the site does not ship: keep
// this table in step with the pinned npm package (info.abi_version in its lock file).
const ABI = { "314.0.7": "2026_0" };

let booted = null; // Promise of the Python call() function (a PyProxy)
let ready = false;
let receiveModule;
const pageModule = new Promise((resolve) => (receiveModule = resolve));

self.onmessage = ({ data }) => {
  if (data.type === "init" && !booted) {
    booted = boot(data);
    booted.catch(() => {}); // boot() reports its own failure
  } else if (data.type === "wasm") {
    receiveModule(data.module);
  } else if (data.type === "run") {
    run(data);
  }
};

// Anything that escapes (Emscripten aborts, a rejected fetch) must reach the page as
// one "failed" message, not sit in the console while the reader waits for the timeout.
self.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  if (!ready) postMessage({ type: "failed", error: String(event.reason) });
});

async function boot({ indexURL, packageURL, snapshotURL }) {
  const t0 = performance.now();
  try {
    // Python's memory with the package imported, made at build time (build_snapshot.mjs):
    // restoring it replaces Python's whole start-up. Fetched alongside everything else.
    const snapshot = snapshotURL ? fetchSnapshot(snapshotURL) : null;
    snapshot?.catch(() => {}); // awaited by loadPyodide; don't report it twice
    // Start the package download now; it overlaps the wasm compile.
    const packageBytes = fetch(packageURL).then((r) => {
      if (!r.ok) throw new Error(`${r.status} ${r.statusText} for ${packageURL}`);
      return r.arrayBuffer();
    });
    packageBytes.catch(() => {}); // awaited below; don't report it twice if Pyodide fails first

    const { loadPyodide, version } = await import(`${indexURL}pyodide.mjs`);
    usePageModule();
    const options = {
      indexURL,
      // The pages never read stdin; the default would call prompt(), absent in workers.
      stdin: () => null,
      stdout: () => {}, // calculators do not print; nothing to show anyway
      stderr: (line) => console.warn("[calculators]", line),
    };
    if (ABI[version]) {
      options.lockFileContents = { info: { abi_version: ABI[version] }, packages: {} };
      options.packageBaseUrl = indexURL; // required with lockFileContents; unused
    }
    if (snapshot) options._loadSnapshot = snapshot;
    const pyodide = await loadPyodide(options);

    // The files too (a snapshot holds memory, not files), for modules imported later.
    pyodide.unpackArchive(await packageBytes, "zip", { extractDir: PACKAGE_DIR });
    if (!snapshot) pyodide.runPython(`import sys; sys.path.insert(0, ${JSON.stringify(PACKAGE_DIR)})`);
    const call = pyodide.pyimport("calculators.browser").call;

    ready = true;
    postMessage({ type: "ready", ms: Math.round(performance.now() - t0), snapshot: Boolean(snapshot) });
    return call;
  } catch (err) {
    postMessage({ type: "failed", error: String(err?.message ?? err) });
    throw err;
  }
}

// The snapshot ships uncompressed (inflating it here is slow; a host may compress it on
// the wire, which the browser undoes). A gzipped file is accepted too.
async function fetchSnapshot(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${response.status} ${response.statusText} for ${url}`);
  let bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    bytes = new Uint8Array(await new Response(inflated).arrayBuffer());
  }
  return unsparse(bytes);
}

// The snapshot leaves out Python's zero pages (build_snapshot.mjs, sparse()): put the
// kept pages back at their places in a zeroed copy of the memory.
const SNAPSHOT_MAGIC = 0x50414e53;
function unsparse(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 16 || view.getUint32(0, true) !== SNAPSHOT_MAGIC) throw new Error("not a memory snapshot");
  const [length, page, count] = [4, 8, 12].map((at) => view.getUint32(at, true));
  const memory = new Uint8Array(length);
  let offset = 16 + 4 * count;
  for (let k = 0; k < count; k++) {
    const start = view.getUint32(16 + 4 * k, true) * page;
    const size = Math.min(page, length - start);
    if (size <= 0 || offset + size > bytes.byteLength) throw new Error("memory snapshot is cut short or damaged");
    memory.set(bytes.subarray(offset, offset + size), start);
    offset += size;
  }
  return memory;
}

// Chromium keeps the optimised code of a wasm module in its code cache, but (measured
// in Chromium 156) only a module compiled on the page's main thread gets it back: one
// compiled in a worker starts on baseline code, and Python's start-up then runs about
// twice as slow. So calculators.js compiles pyodide.asm.wasm and posts the module here,
// and we hand it to Pyodide by intercepting the one instantiateStreaming() call that
// loadPyodide() makes (it has no option for a precompiled module).
function usePageModule() {
  const original = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = async (source, imports) => {
    WebAssembly.instantiateStreaming = original;
    try {
      const module = await pageModule;
      if (!module) return await original(source, imports); // the page could not compile it: try here
      Promise.resolve(source).then((r) => r.body?.cancel(), () => {}); // our own copy is not needed
      return { module, instance: await WebAssembly.instantiate(module, imports) };
    } catch (err) {
      // loadPyodide() only logs a failed instantiation and then never settles, so say so
      // now rather than leave the reader waiting for the page's timeout.
      postMessage({ type: "failed", error: `wasm: ${err?.message ?? err}` });
      throw err;
    }
  };
}

async function run({ id, request }) {
  let call;
  try {
    call = await booted; // runs queue behind the boot, in the order they came
  } catch {
    return; // "failed" was already posted
  }
  try {
    postMessage({ type: "result", id, response: call(request) });
  } catch (err) {
    postMessage({ type: "result", id, error: String(err?.message ?? err) });
  }
}
