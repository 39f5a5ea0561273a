// Module worker for the handbook calculators: boots Pyodide once per window and
// answers run requests from calculators.js. See README-runtime.md for the protocol.
//
//   in:  {type: "init", indexURL, packageURL, snapshotURL}   absolute URLs (snapshotURL may be null), sent once
//        {type: "run", id, request}                 request: JSON string for calculators.browser.call
//        {type: "guess", id, requests}              several requests at once (answers ahead of a key press)
//   out: {type: "ready", ms, snapshot}              Python is up and the package imports (snapshot: restored from one)
//        {type: "failed", error}                    the runtime cannot start (main thread shows the reader a message)
//        {type: "result", id, response}             response: the JSON string call() returned
//        {type: "result", id, error}                call() itself blew up (it is documented never to)
//        {type: "guesses", id, responses}           the answers to a "guess", in its order (null: call() threw)

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

self.onmessage = ({ data }) => {
  if (data.type === "init" && !booted) {
    booted = boot(data);
    booted.catch(() => {}); // boot() reports its own failure
  } else if (data.type === "run") {
    run(data);
  } else if (data.type === "guess") {
    guess(data);
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
    // The wasm first: it is the biggest download and compile, and loadPyodide() would
    // only start it after its own scripts. See useModule().
    const module = WebAssembly.compileStreaming(fetch(`${indexURL}pyodide.asm.wasm`));
    module.catch(() => {}); // awaited in useModule()
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
    useModule(module);
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

// The snapshot ships uncompressed: inflating it here is slower than reading it (a host
// may still compress it on the wire, which the browser undoes before we see it).
async function fetchSnapshot(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${response.status} ${response.statusText} for ${url}`);
  return unsparse(new Uint8Array(await response.arrayBuffer()));
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

// loadPyodide() compiles the wasm only after it has loaded its own scripts and the
// snapshot; boot() starts the compile at once instead, and we hand that module to
// Pyodide by intercepting the one instantiateStreaming() call loadPyodide() makes (it
// has no option for a precompiled module). The compile stays in this worker, not on the
// page: Chromium reuses its cached optimised wasm code only for a main-thread compile,
// which made the first answer ~40 ms sooner on a repeat visit, but reading that cache
// back is a 50-110 ms task on the page's main thread (v8.wasm.compileConsume), a
// freeze the reader could feel; with the memory snapshot, little wasm code runs before
// the first answer, so the baseline code is nearly as fast.
function useModule(compiling) {
  const original = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = async (source, imports) => {
    WebAssembly.instantiateStreaming = original;
    const module = await compiling.catch(() => null);
    // Our compile failed (e.g. a host serving the wasm with the wrong type): let
    // Pyodide try its own way, which falls back to a non-streaming compile.
    if (!module) return original(source, imports);
    try {
      Promise.resolve(source).then((r) => r.body?.cancel(), () => {}); // Pyodide's own copy is not needed
      return { module, instance: await WebAssembly.instantiate(module, imports) };
    } catch (err) {
      // loadPyodide() only logs a failed instantiation and then never settles, so say so
      // now rather than leave the reader waiting for the page's timeout.
      postMessage({ type: "failed", error: `wasm: ${err?.message ?? err}` });
      throw err;
    }
  };
}

// Answers asked for ahead of the reader's next key (calculators.js, guessNext()): one
// message for all of them; a request that fails is answered with null.
async function guess({ id, requests }) {
  let call;
  try {
    call = await booted;
  } catch {
    return;
  }
  const responses = requests.map((request) => {
    try {
      return call(request);
    } catch {
      return null;
    }
  });
  postMessage({ type: "guesses", id, responses });
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
