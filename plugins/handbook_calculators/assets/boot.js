// Starts the calculators' Python runtime as soon as the page's own start-up is done.
//
// A classic script the plugin puts at the end of <body> on pages with calculators, after
// the theme's bundle. calculators.js (a module) would start the runtime only after
// DOMContentLoaded and the theme's handlers for it; Python's start-up needs no page, so
// this script begins it at once and calculators.js adopts the running worker (see
// start() there). It does the first three steps of that function and nothing else;
// keep the two in step (worker URL, "init" message, wasm compiled here and posted).
(() => {
  const script = document.currentScript;
  const shared = (window.__handbookCalculators ??= { runtime: null, seen: new WeakSet() });
  if (!script || shared.runtime || shared.early) return; // already running (instant navigation)
  const absolute = (path) => new URL(path, document.baseURI).href;
  const early = {
    url: absolute(script.dataset.worker),
    startedAt: performance.now(),
    events: [], // what the worker says before calculators.js takes over, replayed there
  };
  const indexURL = absolute(script.dataset.pyodide);
  try {
    early.worker = new Worker(early.url, { type: "module" });
  } catch (err) {
    return; // calculators.js starts its own and reports the failure to the reader
  }
  const keep = (event) => {
    event.preventDefault?.(); // a failed worker script is reported to the reader, not as a page error
    early.events.push(event);
  };
  early.worker.onmessage = early.worker.onerror = early.worker.onmessageerror = keep;
  const packageURL = absolute(script.dataset.package);
  const snapshotURL = script.dataset.snapshot ? absolute(script.dataset.snapshot) : null;
  early.worker.postMessage({ type: "init", indexURL, packageURL, snapshotURL });
  // Compiled here, on the page, for Chromium's wasm code cache: see calculators.js, start().
  WebAssembly.compileStreaming(fetch(`${indexURL}pyodide.asm.wasm`)).then(
    (module) => early.worker.postMessage({ type: "wasm", module }),
    () => early.worker.postMessage({ type: "wasm", module: null }),
  );
  shared.early = early;
})();
