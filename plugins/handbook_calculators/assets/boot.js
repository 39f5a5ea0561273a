// Starts the calculators' Python runtime as soon as the page's own start-up is done.
//
// A classic script the plugin puts at the end of <body> on pages with calculators, after
// the theme's bundle. calculators.js (a module) would start the runtime only after
// DOMContentLoaded and the theme's handlers for it; Python's start-up needs no page, so
// this script begins it at once and calculators.js adopts the running worker (see
// start() there). It does the first two steps of that function and nothing else; keep
// the two in step (the worker's URL and its "init" message).
(() => {
  // User Timing mark at the runtime's start (the benchmark times long tasks from it).
  const START_MARK = "handbook-calculators:start";
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
  performance.mark(START_MARK);
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
  shared.early = early;
})();
