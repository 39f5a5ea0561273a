// The state the page's scripts share across instant navigation and redeploys: one object
// on `window`, made by whichever script runs first. Inlined into calculators.js and
// search_hold.js when the site is built (assets.py, linked()).

/**
 * @typedef {object} SharedState
 * @property {import("./calculators.js").Runtime | null} runtime The live runtime (calculators.js).
 * @property {WeakSet<Element>} seen Calculator blocks already attached.
 * @property {(() => void) | undefined} releaseSearch Lets the theme's search index be built (search_hold.js).
 * @property {(() => void) | undefined} init Attaches new blocks: the newest copy of calculators.js.
 * @property {boolean} subscribed calculators.js follows instant navigation (document$) once per window.
 */

/** @returns {SharedState} */
export function sharedState() {
  const w = /** @type {Window & { __handbookCalculators?: SharedState }} */ (window);
  w.__handbookCalculators ??= {
    runtime: null,
    seen: new WeakSet(),
    releaseSearch: undefined,
    init: undefined,
    subscribed: false,
  };
  return w.__handbookCalculators;
}
