// Starts the calculators' Python runtime before the page is done, and keeps the theme's
// search index from competing with it.
//
// A classic script the plugin puts on pages with calculators just before the theme's
// own scripts (its config and bundle.js). calculators.js (a module) would start the
// runtime only after DOMContentLoaded and the theme's handlers for it; Python's
// start-up needs no page, so this script begins it at once and calculators.js adopts
// the running worker (see start() there). It does the first two steps of that function
// and nothing else; keep the two in step (the worker's URL and its "init" message).
(() => {
  // User Timing mark at the runtime's start (the benchmark times long tasks from it).
  const START_MARK = "handbook-calculators:start";
  // The longest the theme's search index waits for the first answer (see holdSearch()).
  const SEARCH_HOLD_MS = 3000;
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
  const release = holdSearch();
  const keep = (event) => {
    event.preventDefault?.(); // a failed worker script is reported to the reader, not as a page error
    early.events.push(event);
  };
  early.worker.onmessage = early.worker.onerror = early.worker.onmessageerror = keep;
  // Listeners stay when calculators.js replaces the on* handlers: this one runs after
  // calculators.js has shown the first answer.
  early.worker.addEventListener("message", ({ data }) => {
    if (data?.type === "result" || data?.type === "failed") release();
  });
  early.worker.addEventListener("error", release);
  const packageURL = absolute(script.dataset.package);
  const snapshotURL = script.dataset.snapshot ? absolute(script.dataset.snapshot) : null;
  early.worker.postMessage({ type: "init", indexURL, packageURL, snapshotURL });
  shared.early = early;

  // Material builds its search index in a worker of its own as the page loads: ~150 ms
  // of CPU, on a machine with two cores, at the very moment Python starts (measured: the
  // first answer ~50 ms later). So its worker gets the index only after the first answer,
  // after SEARCH_HOLD_MS at most, or as soon as the reader goes to the search box. The
  // theme creates that worker with `new Worker(config.search)` while its bundle runs,
  // right after this script; only that worker's messages are held, and `Worker` is the
  // browser's own again once it exists (or once the page is parsed).
  function holdSearch() {
    const Native = window.Worker;
    const held = []; // [worker, message args] in order
    let released = false;
    const searchURL = () => {
      const config = document.getElementById("__config");
      try {
        return config && absolute(JSON.parse(config.textContent).search);
      } catch {
        return null;
      }
    };
    const restore = () => {
      if (window.Worker === Held) window.Worker = Native;
    };
    class Held extends Native {
      constructor(url, options) {
        super(url, options);
        if (released || absolute(String(url)) !== searchURL()) return;
        restore();
        this.postMessage = (...args) => (released ? Native.prototype.postMessage.apply(this, args) : held.push([this, args]));
      }
    }
    window.Worker = Held;
    document.addEventListener("DOMContentLoaded", restore, { once: true });
    const release = () => {
      if (released) return;
      released = true;
      restore();
      clearTimeout(timer);
      document.removeEventListener("focusin", toSearch, true);
      for (const [worker, args] of held.splice(0)) Native.prototype.postMessage.apply(worker, args);
    };
    const toSearch = (event) => {
      if (event.target?.closest?.('.md-search, [data-md-component="search"]')) release();
    };
    document.addEventListener("focusin", toSearch, true);
    const timer = setTimeout(release, SEARCH_HOLD_MS);
    return release;
  }
})();
