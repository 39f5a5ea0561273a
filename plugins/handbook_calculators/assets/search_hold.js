// Holds back the theme's search index until the calculators have answered.
//
// Material builds its lunr search index in a worker of its own as every page loads: CPU
// time spent at the very moment Python starts, which delays the first answer on a
// machine with few cores (docs/performance.md). On pages with calculators the plugin puts
// this classic script (its import inlined, see assets.py) just before the theme's own
// scripts (its __config JSON, then bundle.js, which creates that worker with
// `new Worker(config.search)` as it runs).
// Until then `Worker` is wrapped: only the search worker's messages (the index) are
// held, and `Worker` is the browser's own again once that worker exists or the page is
// parsed. They go out when calculators.js calls `releaseSearch()` (the first answer is
// on screen, or the runtime failed), when the reader goes to the search box, or after
// HOLD_MS at most.
import { sharedState } from "./shared_state.js";

(() => {
  const HOLD_MS = 3000;
  const shared = sharedState();
  if (shared.releaseSearch) return;
  const Native = window.Worker;
  /** @type {[Worker, Parameters<Worker["postMessage"]>][]} the search worker's messages, in order */
  const held = [];
  let released = false;

  const absolute = (/** @type {string} */ path) => new URL(path, document.baseURI).href;
  const searchURL = () => {
    try {
      return absolute(JSON.parse(document.getElementById("__config")?.textContent ?? "").search);
    } catch {
      return null; // not this theme, or no search: nothing to hold
    }
  };
  const restore = () => {
    if (window.Worker === Held) window.Worker = Native;
  };
  class Held extends Native {
    /** @param {string | URL} url @param {WorkerOptions} [options] */
    constructor(url, options) {
      super(url, options);
      if (released || absolute(String(url)) !== searchURL()) return;
      restore();
      /** @param {Parameters<Worker["postMessage"]>} args */
      const hold = (...args) => {
        if (released) Native.prototype.postMessage.apply(this, args);
        else held.push([this, args]);
      };
      this.postMessage = /** @type {Worker["postMessage"]} */ (hold);
    }
  }

  const release = () => {
    if (released) return;
    released = true;
    restore();
    clearTimeout(timer);
    document.removeEventListener("focusin", toSearch, true);
    for (const [worker, args] of held.splice(0)) Native.prototype.postMessage.apply(worker, args);
  };
  const toSearch = (/** @type {FocusEvent} */ event) => {
    if (event.target instanceof Element && event.target.closest(".md-search")) release();
  };

  window.Worker = Held;
  document.addEventListener("DOMContentLoaded", restore, { once: true });
  document.addEventListener("focusin", toSearch, true);
  const timer = setTimeout(release, HOLD_MS);
  shared.releaseSearch = release;
})();
