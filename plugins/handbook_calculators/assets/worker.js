// Module worker for the handbook calculators: boots Pyodide once per window and
// answers run requests from calculators.js. See README-runtime.md for the protocol.
//
//   in:  {type: "init", indexURL, packageURL}       absolute URLs, sent once
//        {type: "wasm", module}                     pyodide.asm.wasm compiled by the page (or null)
//        {type: "run", id, request}                 request: JSON string for calculators.browser.call
//   out: {type: "ready", ms}                        Python is up and the package imports
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

async function boot({ indexURL, packageURL }) {
  const t0 = performance.now();
  try {
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
    const pyodide = await loadPyodide(options);

    pyodide.unpackArchive(await packageBytes, "zip", { extractDir: PACKAGE_DIR });
    pyodide.runPython(`import sys; sys.path.insert(0, ${JSON.stringify(PACKAGE_DIR)})`);
    const call = pyodide.pyimport("calculators.browser").call;

    ready = true;
    postMessage({ type: "ready", ms: Math.round(performance.now() - t0) });
    return call;
  } catch (err) {
    postMessage({ type: "failed", error: String(err?.message ?? err) });
    throw err;
  }
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
